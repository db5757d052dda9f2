// Who may do what, in one place. Domain services call these; resolvers only pass the viewer through.
import type { Transaction } from 'sequelize';
import { LabMembership } from '../db/models';
import { rawQuery } from '../db/raw';
import { DomainError } from '../errors';
import type { LabRole } from '../db/models/lab-membership';
import type { PartnerViewer, UserViewer, Viewer } from './viewer';

export class NotAuthenticated extends DomainError {
  constructor(message = 'Sign in first: send Authorization: Bearer <token>.') {
    super('UNAUTHENTICATED', message);
  }
}

export class NotAllowed extends DomainError {
  constructor(message = 'You are not allowed to do this.') {
    super('FORBIDDEN', message);
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
  if (!(await canManageLab(user, labId, transaction))) throw new NotAllowed("Only this lab's managers and platform admins may do this.");
  return user;
}

/** Platform administration: partner keys, webhook subscriptions. */
export function requireAdmin(viewer: Viewer): UserViewer {
  const user = requireUser(viewer);
  if (!user.isAdmin) throw new NotAllowed('Only platform admins may do this.');
  return user;
}

export type BookingAccess = { allowed: true; managesLab: boolean } | { allowed: false; reason: string };

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
    return role ? { allowed: true, managesLab } : { allowed: false, reason: "Only this lab's members may book this instrument." };
  }
  return (await options.isQualified?.(viewer.userId, instrument.id, options.transaction))
    ? { allowed: true, managesLab }
    : { allowed: false, reason: 'This instrument requires training: ask a lab manager to qualify you first.' };
}

export const SCOPES = ['availability:read'] as const;
export type Scope = (typeof SCOPES)[number];

/** Free/busy may be read by any signed-in user and by partner keys holding the scope. */
export function requireAvailabilityReader(viewer: Viewer): UserViewer | PartnerViewer {
  if (viewer.kind === 'USER') return viewer;
  if (viewer.kind === 'PARTNER') {
    if (viewer.scopes.includes('availability:read')) return viewer;
    throw new NotAllowed('This API key lacks the availability:read scope.');
  }
  throw new NotAuthenticated('Sign in (Authorization: Bearer <token>) or use a partner key (Authorization: ApiKey <key>).');
}
