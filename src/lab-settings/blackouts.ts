// Blackouts: spans (UTC instants) in which an instrument, or its whole lab, cannot be booked.
import type { DateTime } from 'luxon';
import { Op, type WhereOptions } from 'sequelize';
import { requireLabManager, requireUser } from '../access/policies';
import type { Viewer } from '../access/viewer';
import { afterStartPosition, START_ORDER, type StartOrderedPage } from '../db/keyset';
import { Blackout, Instrument } from '../db/models';
import type { BlackoutKind } from '../db/models/blackout';
import type { BlackoutRow } from '../db/rows';
import { badRequest, notFound } from '../errors';
import { runTransaction } from '../db/transaction';
import { DAY_MS } from '../scheduling/zone-time';
import { MAX_REASON_LENGTH, badInput, failure, success, type SettingsResult } from './errors';
import { instrumentNotFound, labNotFound, managedLab } from './targets';

/** Longer closures are a status (MAINTENANCE, RETIRED), not a blackout. */
export const MAX_BLACKOUT_DAYS = 366;

export interface AddBlackoutInput {
  labId?: number;
  instrumentId?: number;
  kind?: BlackoutKind;
  reason?: string;
  start: DateTime;
  end: DateTime;
}

export async function addBlackout(viewer: Viewer, input: AddBlackoutInput): Promise<SettingsResult<BlackoutRow>> {
  requireUser(viewer);
  let labId = input.labId;
  if (input.instrumentId !== undefined) {
    const instrument = await Instrument.findByPk(input.instrumentId, { attributes: ['id', 'labId'], raw: true });
    if (!instrument) return failure(instrumentNotFound());
    labId = instrument.labId;
  }
  if (labId === undefined) return failure(badInput('labId', 'BLACKOUT_TARGET'));
  const target = await managedLab(viewer, labId);
  if (!target) return failure(labNotFound());
  if (input.labId !== undefined && input.labId !== labId) {
    return failure(badInput('labId', 'INSTRUMENT_NOT_IN_LAB'));
  }

  const reason = (input.reason ?? '').trim();
  if (reason.length > MAX_REASON_LENGTH) return failure(badInput('reason', 'REASON_TOO_LONG', { max: MAX_REASON_LENGTH }));
  if (!(input.end > input.start)) return failure({ code: 'INVALID_TIME_RANGE', field: 'end', params: { reason: 'END_NOT_AFTER_START_FIELD' } });
  if (input.end.toMillis() - input.start.toMillis() > MAX_BLACKOUT_DAYS * DAY_MS) {
    return failure(badInput('end', 'BLACKOUT_TOO_LONG', { maxDays: MAX_BLACKOUT_DAYS }));
  }
  const created = await runTransaction(Blackout.sequelize!, { kind: 'models' }, (transaction) =>
    Blackout.create(
      {
        labId,
        instrumentId: input.instrumentId ?? null,
        kind: input.kind ?? 'OTHER',
        reason,
        startAt: input.start.toJSDate(),
        endAt: input.end.toJSDate(),
        createdBy: target.user.userId,
      },
      { transaction },
    ),
  );
  return success(created.get({ plain: true }) as BlackoutRow);
}

export async function removeBlackout(viewer: Viewer, blackoutId: number): Promise<SettingsResult<number>> {
  requireUser(viewer);
  const blackout = await Blackout.findByPk(blackoutId, { attributes: ['id', 'labId'], raw: true });
  if (!blackout) return failure(notFound('id', 'blackout'));
  await requireLabManager(viewer, blackout.labId);
  await runTransaction(Blackout.sequelize!, { kind: 'models' }, (transaction) => Blackout.destroy({ where: { id: blackout.id }, transaction }));
  return success(blackout.id);
}

export type BlackoutListPage = StartOrderedPage;

/** Blackouts of the lab and its instruments overlapping [from, to), by start; for its managers and admins. */
export async function listLabBlackouts(
  viewer: Viewer,
  labId: number,
  range: { from?: DateTime; to?: DateTime },
  page: BlackoutListPage,
): Promise<BlackoutRow[]> {
  await requireLabManager(viewer, labId);
  if (range.from && range.to && !(range.to > range.from)) throw badRequest('END_AFTER_START', { from: 'from', to: 'to' });
  const and: WhereOptions<BlackoutRow>[] = [{ labId }];
  if (range.from) and.push({ endAt: { [Op.gt]: range.from.toJSDate() } });
  if (range.to) and.push({ startAt: { [Op.lt]: range.to.toJSDate() } });
  if (page.after) and.push(afterStartPosition<BlackoutRow>(page.after));
  return Blackout.findAll({ where: { [Op.and]: and }, order: START_ORDER, limit: page.size + 1, raw: true });
}
