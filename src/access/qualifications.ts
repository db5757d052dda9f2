// Instrument qualifications: a lab's managers (and admins) record who was trained on which instrument. Booking an
// instrument whose access policy is QUALIFIED requires one (see bookingAccess).
import { Op, type Transaction } from 'sequelize';
import { runTransaction } from '../db/transaction';
import { Instrument, InstrumentQualification, User } from '../db/models';
import type { InstrumentQualificationRow } from '../db/rows';
import { badInput, DomainError, notFound } from '../errors';
import { requireLabManager, requireUser, userVisibilities } from './policies';
import type { AccessUserError, IdPage } from './user-errors';
import type { UserViewer, Viewer } from './viewer';

export interface QualificationTarget {
  instrumentId: number;
  /** exactly one of userId and email */
  userId?: number;
  email?: string;
}

export interface QualificationResult {
  qualification: InstrumentQualificationRow | null;
  errors: AccessUserError[];
}

export async function isQualified(userId: number, instrumentId: number, transaction?: Transaction): Promise<boolean> {
  return (await InstrumentQualification.count({ where: { userId, instrumentId }, transaction })) > 0;
}

function targetErrors(target: QualificationTarget): AccessUserError[] {
  if ((target.userId === undefined) === (target.email === undefined)) {
    return [badInput('userId', 'USER_BY_ID_OR_EMAIL')];
  }
  if (target.email !== undefined && target.email.length > 320) return [badInput('email', 'NOT_AN_EMAIL')];
  return [];
}

/**
 * Resolves the instrument and the user under the caller's transaction and checks the caller manages the
 * instrument's lab. Instruments are public, so a missing one is NOT_FOUND for anyone. A user is found only if the
 * caller may see them (userVisibilities): one the caller may not see gets the very answer a missing one gets, so
 * granting by id or e-mail tells a manager nothing about people outside their labs, not even that they exist.
 */
type ResolvedTarget = { error: AccessUserError } | { error?: undefined; manager: UserViewer; instrumentId: number; userId: number };

async function resolveTarget(viewer: Viewer, target: QualificationTarget, transaction: Transaction): Promise<ResolvedTarget> {
  const instrument = await Instrument.findByPk(target.instrumentId, { attributes: ['id', 'labId'], raw: true, transaction });
  if (!instrument) return { error: notFound('instrumentId', 'instrument') };
  const manager = await requireLabManager(viewer, instrument.labId, transaction);
  const user = target.userId !== undefined
    ? await User.findByPk(target.userId, { attributes: ['id'], raw: true, transaction })
    : await User.findOne({ where: { email: target.email! }, attributes: ['id'], raw: true, transaction });
  // Asked for a missing user too (id 0 matches nobody), so both answers take the same statements.
  const visibility = (await userVisibilities(manager, [user?.id ?? 0], transaction)).get(user?.id ?? 0);
  if (!user || visibility === 'NONE') return { error: notFound(target.userId !== undefined ? 'userId' : 'email', 'user') };
  return { manager, instrumentId: instrument.id, userId: user.id };
}

/** Idempotent: granting an existing qualification returns it unchanged. */
export async function grantQualification(viewer: Viewer, target: QualificationTarget): Promise<QualificationResult> {
  requireUser(viewer);
  const invalid = targetErrors(target);
  if (invalid.length) return { qualification: null, errors: invalid };
  return runTransaction(InstrumentQualification.sequelize!, { kind: 'models' }, async (transaction) => {
    const resolved = await resolveTarget(viewer, target, transaction);
    if (resolved.error) return { qualification: null, errors: [resolved.error] };
    const key = { instrumentId: resolved.instrumentId, userId: resolved.userId };
    // INSERT IGNORE: a concurrent grant of the same pair is not an error.
    await InstrumentQualification.bulkCreate([{ ...key, grantedBy: resolved.manager.userId }], { ignoreDuplicates: true, transaction });
    const row = await InstrumentQualification.findOne({ where: key, raw: true, transaction });
    return { qualification: row, errors: [] };
  });
}

export async function revokeQualification(viewer: Viewer, target: QualificationTarget): Promise<{ revoked: boolean; errors: AccessUserError[] }> {
  requireUser(viewer);
  const invalid = targetErrors(target);
  if (invalid.length) return { revoked: false, errors: invalid };
  return runTransaction(InstrumentQualification.sequelize!, { kind: 'models' }, async (transaction) => {
    const resolved = await resolveTarget(viewer, target, transaction);
    if (resolved.error) return { revoked: false, errors: [resolved.error] };
    const removed = await InstrumentQualification.destroy({ where: { instrumentId: resolved.instrumentId, userId: resolved.userId }, transaction });
    return { revoked: removed > 0, errors: [] };
  });
}

/** Qualifications on one instrument, oldest first: for the lab's managers and admins. */
export async function listQualifications(viewer: Viewer, instrumentId: number, page: IdPage): Promise<InstrumentQualificationRow[]> {
  requireUser(viewer);
  const instrument = await Instrument.findByPk(instrumentId, { attributes: ['labId'], raw: true });
  if (!instrument) throw new DomainError('NOT_FOUND', { what: 'instrument' });
  await requireLabManager(viewer, instrument.labId);
  return InstrumentQualification.findAll({
    where: { instrumentId, ...(page.afterId ? { id: { [Op.gt]: page.afterId } } : {}) },
    order: [['id', 'ASC']],
    limit: page.size + 1,
    raw: true,
  });
}
