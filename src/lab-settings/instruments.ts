// Admins add instruments to a lab and edit what describes them (name, category, kind, approval, check-in, who may
// book). Rules, approval, who may book, hours and status have their own commands (instrument-rules.ts,
// opening-hours.ts), as the lab's managers set them too.
import { requireAdmin } from '../access/policies';
import { NOT_ONE_PRINTABLE_LINE } from '../access/profile';
import type { Viewer } from '../access/viewer';
import { Instrument, Lab } from '../db/models';
import type { AccessPolicy, InstrumentKind } from '../db/models/instrument';
import type { InstrumentRow } from '../db/rows';
import { runTransaction } from '../db/transaction';
import { notFound } from '../errors';
import { badInput, failure, success, type SettingsError, type SettingsResult } from './errors';

/** The columns' widths (instruments.name VARCHAR(200), category VARCHAR(64)); a description longer than this is surely pasted by mistake. */
export const MAX_INSTRUMENT_NAME = 200;
export const MAX_CATEGORY = 64;
export const MAX_DESCRIPTION = 5000;


export interface InstrumentDescription {
  name?: string;
  category?: string;
  description?: string | null;
  kind?: InstrumentKind;
  requiresApproval?: boolean;
  requiresCheckIn?: boolean;
  accessPolicy?: AccessPolicy;
}

/** Trims the texts and reports every one that is refused. */
function checked(input: InstrumentDescription): { values: InstrumentDescription; errors: SettingsError[] } {
  const values = { ...input };
  const errors: SettingsError[] = [];
  const line = (field: 'name' | 'category', max: number) => {
    if (values[field] === undefined) return;
    const text = values[field].trim();
    values[field] = text;
    if ([...text].length < 1 || [...text].length > max) errors.push(badInput(field, 'TEXT_LENGTH', { name: field, max }));
    else if (NOT_ONE_PRINTABLE_LINE.test(text)) errors.push(badInput(field, 'TEXT_NOT_ONE_LINE', { name: field }));
  };
  line('name', MAX_INSTRUMENT_NAME);
  line('category', MAX_CATEGORY);
  if (values.description != null) {
    values.description = values.description.trim() || null;
    if (values.description && [...values.description].length > MAX_DESCRIPTION) {
      errors.push(badInput('description', 'TEXT_LENGTH', { name: 'description', max: MAX_DESCRIPTION }));
    }
  }
  return { values, errors };
}

export async function createInstrument(
  viewer: Viewer,
  input: InstrumentDescription & { labId: number; name: string; category: string },
): Promise<SettingsResult<InstrumentRow>> {
  requireAdmin(viewer);
  const { labId, ...description } = input;
  const { values, errors } = checked(description);
  if (errors.length) return failure(...errors);
  return runTransaction(Instrument.sequelize!, { kind: 'models' }, async (transaction) => {
    if (!(await Lab.findByPk(labId, { attributes: ['id'], raw: true, transaction }))) return failure<InstrumentRow>(notFound('labId', 'lab'));
    const created = await Instrument.create({ ...values, labId, name: values.name!, category: values.category! }, { transaction });
    return success(created.get({ plain: true }) as InstrumentRow);
  });
}

export async function updateInstrument(viewer: Viewer, id: number, input: InstrumentDescription): Promise<SettingsResult<InstrumentRow>> {
  requireAdmin(viewer);
  const { values, errors } = checked(input);
  if (errors.length) return failure(...errors);
  const changes = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  return runTransaction(Instrument.sequelize!, { kind: 'models' }, async (transaction) => {
    const existing = await Instrument.findByPk(id, { raw: true, transaction, lock: transaction.LOCK.UPDATE });
    if (!existing) return failure<InstrumentRow>(notFound('id', 'instrument'));
    if (Object.keys(changes).length) await Instrument.update(changes, { where: { id }, transaction });
    return success({ ...existing, ...changes } as InstrumentRow);
  });
}
