// Admins create and edit institutions and labs, and choose each lab's managers. Opening hours, holidays and
// closures have their own commands (opening-hours.ts, public-holidays.ts, closures.ts), as managers set them.
import { requireAdmin } from '../access/policies';
import { NOT_ONE_PRINTABLE_LINE } from '../access/profile';
import type { Viewer } from '../access/viewer';
import { Institution, Lab, LabMembership, User } from '../db/models';
import type { InstitutionRow, LabRow, UserRow } from '../db/rows';
import { runTransaction } from '../db/transaction';
import { notFound } from '../errors';
import { isValidTimeZone } from '../time-zone';
import { badInput, failure, success, type SettingsError, type SettingsResult } from './errors';

/** institutions.name and labs.name are VARCHAR(200). */
export const MAX_PLACE_NAME = 200;

// Intl knows every assigned ISO 3166-1 region; ZZ (unknown) and the groupings it also names are not countries.
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const NOT_COUNTRIES = new Set(['ZZ', 'EU', 'EZ', 'UN', 'QO']);
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && !NOT_COUNTRIES.has(code) && regionNames.of(code) !== undefined;
}

export interface PlaceDescription {
  name?: string;
  countryCode?: string;
  timeZone?: string;
}

/** Trims the name, upper-cases the country, and reports every value that is refused. */
function checked(input: PlaceDescription): { values: PlaceDescription; errors: SettingsError[] } {
  const values = { ...input };
  const errors: SettingsError[] = [];
  if (values.name !== undefined) {
    const text = values.name.trim();
    values.name = text;
    if ([...text].length < 1 || [...text].length > MAX_PLACE_NAME) errors.push(badInput('name', 'TEXT_LENGTH', { name: 'name', max: MAX_PLACE_NAME }));
    else if (NOT_ONE_PRINTABLE_LINE.test(text)) errors.push(badInput('name', 'TEXT_NOT_ONE_LINE', { name: 'name' }));
  }
  if (values.countryCode !== undefined) {
    values.countryCode = values.countryCode.trim().toUpperCase();
    if (!isCountryCode(values.countryCode)) errors.push(badInput('countryCode', 'NOT_A_COUNTRY', { value: input.countryCode }));
  }
  if (values.timeZone !== undefined) {
    values.timeZone = values.timeZone.trim();
    if (!isValidTimeZone(values.timeZone)) errors.push(badInput('timeZone', 'NOT_A_TIME_ZONE', { value: input.timeZone }));
  }
  return { values, errors };
}

const given = (values: object) => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));

export async function createInstitution(viewer: Viewer, input: Required<PlaceDescription>): Promise<SettingsResult<InstitutionRow>> {
  requireAdmin(viewer);
  const { values, errors } = checked(input);
  if (errors.length) return failure(...errors);
  const created = await Institution.create(values as Required<PlaceDescription>);
  return success(created.get({ plain: true }) as InstitutionRow);
}

export async function updateInstitution(viewer: Viewer, id: number, input: PlaceDescription): Promise<SettingsResult<InstitutionRow>> {
  requireAdmin(viewer);
  const { values, errors } = checked(input);
  if (errors.length) return failure(...errors);
  const changes = given(values);
  return runTransaction(Institution.sequelize!, { kind: 'models' }, async (transaction) => {
    const existing = await Institution.findByPk(id, { raw: true, transaction, lock: transaction.LOCK.UPDATE });
    if (!existing) return failure<InstitutionRow>(notFound('id', 'institution'));
    if (Object.keys(changes).length) await Institution.update(changes, { where: { id }, transaction });
    return success({ ...existing, ...changes } as InstitutionRow);
  });
}

/** A new lab closes on its country's public holidays when there is data for them (the column's default), else observes none. */
export async function createLab(viewer: Viewer, input: Required<PlaceDescription> & { institutionId: number }): Promise<SettingsResult<LabRow>> {
  requireAdmin(viewer);
  const { institutionId, ...place } = input;
  const { values, errors } = checked(place);
  if (errors.length) return failure(...errors);
  return runTransaction(Lab.sequelize!, { kind: 'models' }, async (transaction) => {
    if (!(await Institution.findByPk(institutionId, { attributes: ['id'], raw: true, transaction }))) {
      return failure<LabRow>(notFound('institutionId', 'institution'));
    }
    const created = await Lab.create({ ...(values as Required<PlaceDescription>), institutionId }, { transaction });
    return success(created.get({ plain: true }) as LabRow);
  });
}

/** Name, country and zone only: a lab stays in its institution (its bookings and members belong there). */
export async function updateLab(viewer: Viewer, id: number, input: PlaceDescription): Promise<SettingsResult<LabRow>> {
  requireAdmin(viewer);
  const { values, errors } = checked(input);
  if (errors.length) return failure(...errors);
  const changes = given(values);
  return runTransaction(Lab.sequelize!, { kind: 'models' }, async (transaction) => {
    const existing = await Lab.findByPk(id, { raw: true, transaction, lock: transaction.LOCK.UPDATE });
    if (!existing) return failure<LabRow>(notFound('id', 'lab'));
    if (Object.keys(changes).length) await Lab.update(changes, { where: { id }, transaction });
    return success({ ...existing, ...changes } as LabRow);
  });
}

/** The lab's managers, by name. */
export async function labManagers(viewer: Viewer, labId: number): Promise<UserRow[]> {
  requireAdmin(viewer);
  const memberships = await LabMembership.findAll({ where: { labId, role: 'MANAGER' }, attributes: ['userId'], raw: true });
  if (!memberships.length) return [];
  return User.findAll({ where: { id: memberships.map((m) => m.userId) }, order: [['name', 'ASC'], ['id', 'ASC']], raw: true });
}

/** Makes the user with that e-mail a manager of the lab: a member becomes a manager, anyone else joins as one. */
export async function addLabManager(viewer: Viewer, labId: number, email: string): Promise<SettingsResult<UserRow>> {
  requireAdmin(viewer);
  return runTransaction(Lab.sequelize!, { kind: 'models' }, async (transaction) => {
    if (!(await Lab.findByPk(labId, { attributes: ['id'], raw: true, transaction }))) return failure<UserRow>(notFound('labId', 'lab'));
    // Admins see every user, so looking one up by e-mail discloses nothing to them.
    const user = await User.findOne({ where: { email: email.trim() }, raw: true, transaction });
    if (!user) return failure<UserRow>(notFound('email', 'user'));
    const membership = await LabMembership.findOne({ where: { labId, userId: user.id }, transaction, lock: transaction.LOCK.UPDATE });
    if (!membership) await LabMembership.create({ labId, userId: user.id, role: 'MANAGER' }, { transaction });
    else if (membership.role !== 'MANAGER') await membership.update({ role: 'MANAGER' }, { transaction });
    return success(user as UserRow);
  });
}

/** The user stays a member of the lab (their bookings and qualifications are kept) but no longer manages it. */
export async function removeLabManager(viewer: Viewer, labId: number, userId: number): Promise<SettingsResult<UserRow>> {
  requireAdmin(viewer);
  return runTransaction(Lab.sequelize!, { kind: 'models' }, async (transaction) => {
    const membership = await LabMembership.findOne({ where: { labId, userId, role: 'MANAGER' }, transaction, lock: transaction.LOCK.UPDATE });
    if (!membership) return failure<UserRow>(notFound('userId', 'labManager'));
    await membership.update({ role: 'MEMBER' }, { transaction });
    return success((await User.findByPk(userId, { raw: true, transaction })) as UserRow);
  });
}
