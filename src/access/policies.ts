// Who may do what, in one place. Domain services call these; resolvers only pass the viewer through.
import type { Transaction } from 'sequelize';
import { LabMembership } from '../db/models';
import { rawQuery } from '../db/raw';
import { DomainError } from '../errors';
import type { LabRole } from '../db/models/lab-membership';
import type { PartnerViewer, UserViewer, Viewer } from './viewer';

/** UNAUTHENTICATED; `reason` picks the sentence (errors.json `error.UNAUTHENTICATED.<reason>`), none: "sign in first". */
export class NotAuthenticated extends DomainError {
  constructor(reason?: 'SIGN_IN_OR_PARTNER_KEY') {
    super('UNAUTHENTICATED', reason ? { reason } : {});
  }
}

/** Why a viewer may not do something: each a FORBIDDEN sentence in the catalogs. */
export type NotAllowedReason =
  | 'LAB_MANAGERS_AND_ADMINS' | 'ADMINS' | 'MANAGERS_DECIDE' | 'MISSING_SCOPE' | 'HIDDEN_USER' | 'USAGE_LOGS' | 'WEBHOOK_DELIVERIES';

/** FORBIDDEN, with the reason and its parameters (none: "you are not allowed to do this"). */
export class NotAllowed extends DomainError {
  constructor(reason?: NotAllowedReason, params: Record<string, string> = {}) {
    super('FORBIDDEN', reason ? { reason, ...params } : {});
  }
}

export function requireUser(viewer: Viewer): UserViewer {
  if (viewer.kind !== 'USER') throw new NotAuthenticated();
  return viewer;
}

export async function labRole(userId: number, labId: number, transaction?: Transaction): Promise<LabRole | null> {
  const [membership] = await rawQuery<{ role: LabRole }[]>(
    LabMembership.sequelize!,
    'SELECT role FROM lab_memberships WHERE user_id = ? AND lab_id = ?',
    [userId, labId],
    { transaction, type: 'read' },
  );
  return membership?.role ?? null;
}

export async function managedLabIds(userId: number): Promise<number[]> {
  const rows = await LabMembership.findAll({ where: { userId, role: 'MANAGER' }, attributes: ['labId'], raw: true });
  return rows.map((r) => r.labId);
}

export async function canManageLab(viewer: Viewer, labId: number, transaction?: Transaction): Promise<boolean> {
  if (viewer.kind !== 'USER') return false;
  if (viewer.isAdmin) return true;
  return (await labRole(viewer.userId, labId, transaction)) === 'MANAGER';
}

export async function requireLabManager(viewer: Viewer, labId: number, transaction?: Transaction): Promise<UserViewer> {
  const user = requireUser(viewer);
  if (!(await canManageLab(user, labId, transaction))) throw new NotAllowed('LAB_MANAGERS_AND_ADMINS');
  return user;
}

/** Platform administration: partner keys, webhook subscriptions. */
export function requireAdmin(viewer: Viewer): UserViewer {
  const user = requireUser(viewer);
  if (!user.isAdmin) throw new NotAllowed('ADMINS');
  return user;
}

/** A booking as the booking policies see it: who holds it and which lab its instrument belongs to. */
export interface BookingInLab {
  booking: { userId: number };
  labId: number;
}

/**
 * What a user may do with an existing booking:
 * - SEE: the booker, the lab's managers and platform admins see it in full (everyone else sees busy time only);
 * - CHANGE (cancel, reschedule): the same people;
 * - DECIDE (approve, reject): the lab's managers and admins; the booker may see it but not decide it (FORBIDDEN);
 * - RECORD_USE (check in, check out): the booker only.
 * Anyone who may not see a booking is answered as if it did not exist.
 */
export type BookingPermission = 'SEE' | 'CHANGE' | 'DECIDE' | 'RECORD_USE';

const allows = (permission: BookingPermission, isBooker: boolean, managesLab: boolean): boolean =>
  permission === 'RECORD_USE' ? isBooker : permission === 'DECIDE' ? managesLab : isBooker || managesLab;

export async function mayOnBooking(viewer: UserViewer, permission: BookingPermission, target: BookingInLab): Promise<boolean> {
  const isBooker = target.booking.userId === viewer.userId;
  // The lab role costs a query: not asked when the answer cannot depend on it.
  if (permission === 'RECORD_USE' || (permission !== 'DECIDE' && isBooker)) return allows(permission, isBooker, false);
  return allows(permission, isBooker, await canManageLab(viewer, target.labId));
}

/** mayOnBooking for several bookings at once (a group's parts): one statement for the viewer's roles in their labs. */
export async function mayOnBookings(viewer: UserViewer, permission: BookingPermission, targets: readonly BookingInLab[]): Promise<boolean[]> {
  const needsRole = !viewer.isAdmin && targets.some((t) => permission === 'DECIDE' || (permission !== 'RECORD_USE' && t.booking.userId !== viewer.userId));
  const managed = new Set<number>();
  if (needsRole) {
    const labIds = [...new Set(targets.map((t) => t.labId))];
    const rows = await rawQuery<{ lab_id: number }[]>(
      LabMembership.sequelize!,
      "SELECT lab_id FROM lab_memberships WHERE user_id = ? AND role = 'MANAGER' AND lab_id IN (?)",
      [viewer.userId, labIds],
      { type: 'read' },
    );
    for (const row of rows) managed.add(Number(row.lab_id));
  }
  return targets.map((t) => allows(permission, t.booking.userId === viewer.userId, viewer.isAdmin || managed.has(t.labId)));
}

/**
 * What a user may do with a booking group (bookings requested together), from what they may do with its parts:
 * - SEE: they may see any part; they see the group's status and, in full, only the parts they may see;
 * - CANCEL: they may change any part (its booker, a manager of one of its labs, admins): cancelling that one part
 *   would cancel the group anyway;
 * - MOVE (reschedule the group): they may change every part, since moving the group moves a booking in every lab.
 * Anyone who may see no part is answered as if the group did not exist.
 */
export type BookingGroupPermission = 'SEE' | 'CANCEL' | 'MOVE';

export async function mayOnBookingGroup(viewer: UserViewer, permission: BookingGroupPermission, parts: readonly BookingInLab[]): Promise<boolean> {
  const answers = await mayOnBookings(viewer, permission === 'SEE' ? 'SEE' : 'CHANGE', parts);
  return permission === 'MOVE' ? answers.length > 0 && answers.every(Boolean) : answers.some(Boolean);
}

/** How a user stands to a booking, for a command that needs both answers (reschedule: may act, and skips approval). */
export async function relationToBooking(
  viewer: UserViewer,
  target: BookingInLab,
): Promise<{ may: (permission: BookingPermission) => boolean; managesLab: boolean }> {
  const isBooker = target.booking.userId === viewer.userId;
  const managesLab = await canManageLab(viewer, target.labId);
  return { may: (permission) => allows(permission, isBooker, managesLab), managesLab };
}

/** Refuses a booker who asks to decide their own request: they may see it, so NOT_FOUND would be a lie. */
export function requireNotBookerDeciding(viewer: UserViewer, target: BookingInLab): void {
  if (target.booking.userId === viewer.userId) throw new NotAllowed('MANAGERS_DECIDE');
}

/**
 * Which bookings a user may see in full, for list queries: all (admins), or their own plus those on the instruments
 * of the labs they manage.
 */
export async function visibleBookings(viewer: UserViewer): Promise<{ all: true } | { all: false; userId: number; managedLabIds: number[] }> {
  if (viewer.isAdmin) return { all: true };
  return { all: false, userId: viewer.userId, managedLabIds: await managedLabIds(viewer.userId) };
}

export type BookingAccess = { allowed: true; managesLab: boolean } | { allowed: false; reason: 'MEMBERS_ONLY' | 'TRAINING_REQUIRED' };

/**
 * May this user book this instrument? OPEN: anyone signed in; MEMBERS: the lab's members and managers;
 * QUALIFIED: users a manager qualified on it. Managers and admins always may.
 */
export async function bookingAccess(
  viewer: Pick<UserViewer, 'userId' | 'isAdmin'>,
  instrument: { id: number; labId: number; accessPolicy: 'OPEN' | 'MEMBERS' | 'QUALIFIED'; viewerRole?: LabRole | null },
  options: { transaction?: Transaction; isQualified?: (userId: number, instrumentId: number, transaction?: Transaction) => Promise<boolean> } = {},
): Promise<BookingAccess> {
  // The role comes with the instrument when it was loaded for this user (loadScheduleFacts' roleOfUserId); else it is
  // read here. Inside a booking transaction every read must use its connection: a second pool connection per waiting
  // writer would exhaust the pool while they queue on the instrument lock.
  const role = instrument.viewerRole !== undefined ? instrument.viewerRole : await labRole(viewer.userId, instrument.labId, options.transaction);
  const managesLab = viewer.isAdmin || role === 'MANAGER';
  if (managesLab || instrument.accessPolicy === 'OPEN') return { allowed: true, managesLab };
  if (instrument.accessPolicy === 'MEMBERS') {
    return role ? { allowed: true, managesLab } : { allowed: false, reason: 'MEMBERS_ONLY' };
  }
  return (await options.isQualified?.(viewer.userId, instrument.id, options.transaction))
    ? { allowed: true, managesLab }
    : { allowed: false, reason: 'TRAINING_REQUIRED' };
}

export const SCOPES = ['availability:read'] as const;

/** Free/busy may be read by any signed-in user and by partner keys holding the scope. */
export function requireAvailabilityReader(viewer: Viewer): UserViewer | PartnerViewer {
  if (viewer.kind === 'USER') return viewer;
  if (viewer.kind === 'PARTNER') {
    if (viewer.scopes.includes('availability:read')) return viewer;
    throw new NotAllowed('MISSING_SCOPE', { scope: 'availability:read' });
  }
  throw new NotAuthenticated('SIGN_IN_OR_PARTNER_KEY');
}

/**
 * What one user may see of another: the one rule for User fields, asked by every resolver that shows a User and by
 * every command that finds a user from input (grantQualification).
 * - ALL: oneself; platform admins see everyone.
 * - CONTACT (name, e-mail, institution): a lab's managers see the people linked to their lab (its members, anyone
 *   with a booking on or a qualification for one of its instruments), and those people see the lab's managers (who
 *   decided their booking, who qualified them).
 * - NONE: nobody else. A user one may not see is answered exactly like a user that does not exist.
 */
export type UserVisibility = 'ALL' | 'CONTACT' | 'NONE';
export type UserField = 'name' | 'email' | 'institution' | 'timeZone' | 'locale' | 'isAdmin' | 'memberships' | 'reminders' | 'approvalMail';
const CONTACT_FIELDS: ReadonlySet<UserField> = new Set<UserField>(['name', 'email', 'institution']);

export function mayReadUserField(visibility: UserVisibility, field: UserField): boolean {
  return visibility === 'ALL' || (visibility === 'CONTACT' && CONTACT_FIELDS.has(field));
}

// Labs a user is linked to: member (managers included), booker, or qualified on one of its instruments.
const LABS_OF_USER = `SELECT lab_id FROM lab_memberships WHERE user_id = ?
  UNION SELECT i.lab_id FROM bookings b JOIN instruments i ON i.id = b.instrument_id WHERE b.user_id = ?
  UNION SELECT i.lab_id FROM instrument_qualifications q JOIN instruments i ON i.id = q.instrument_id WHERE q.user_id = ?`;

/** Which of these users the viewer may see, and how much (one statement for the whole batch). */
export async function userVisibilities(viewer: Viewer, userIds: readonly number[], transaction?: Transaction): Promise<Map<number, UserVisibility>> {
  const result = new Map<number, UserVisibility>(userIds.map((id) => [id, 'NONE']));
  if (viewer.kind !== 'USER') return result;
  const others: number[] = [];
  for (const id of userIds) {
    if (viewer.isAdmin || id === viewer.userId) result.set(id, 'ALL');
    else others.push(id);
  }
  if (others.length === 0) return result;
  const me = viewer.userId;
  const rows = await rawQuery<{ user_id: number }[]>(
    LabMembership.sequelize!,
    `SELECT m.user_id FROM lab_memberships m
       JOIN lab_memberships mine ON mine.lab_id = m.lab_id AND mine.user_id = ? AND mine.role = 'MANAGER'
      WHERE m.user_id IN (?)
     UNION SELECT b.user_id FROM bookings b JOIN instruments i ON i.id = b.instrument_id
       JOIN lab_memberships mine ON mine.lab_id = i.lab_id AND mine.user_id = ? AND mine.role = 'MANAGER'
      WHERE b.user_id IN (?)
     UNION SELECT q.user_id FROM instrument_qualifications q JOIN instruments i ON i.id = q.instrument_id
       JOIN lab_memberships mine ON mine.lab_id = i.lab_id AND mine.user_id = ? AND mine.role = 'MANAGER'
      WHERE q.user_id IN (?)
     UNION SELECT t.user_id FROM lab_memberships t
      WHERE t.role = 'MANAGER' AND t.user_id IN (?) AND t.lab_id IN (${LABS_OF_USER})`,
    [me, others, me, others, me, others, others, me, me, me],
    { transaction, type: 'read' },
  );
  for (const row of rows) result.set(Number(row.user_id), 'CONTACT');
  return result;
}
