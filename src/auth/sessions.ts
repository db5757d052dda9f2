// Sessions behind the cookie. Kept in MariaDB and checked on every request (no process-local cache), so a sign-out,
// an admin's revocation or a disabled account takes effect at once in every API process.
import { notFound } from '../errors';
import type { Sequelize } from 'sequelize';
import type { Config } from '../config';
import { systemClock, type Clock } from '../clock';
import { User } from '../db/models';
import { rawQuery, type WriteResult } from '../db/raw';
import { requireUser } from '../access/policies';
import type { SignInMethod, UserViewer, Viewer } from '../access/viewer';
import type { AccessUserError } from '../access/user-errors';
import { randomSecret, sha256 } from './hashing';

export type SessionMethod = Extract<SignInMethod, 'OIDC' | 'EMAIL_LINK' | 'DEMO'>;
type SessionConfig = Pick<Config, 'SESSION_IDLE_MINUTES' | 'SESSION_ABSOLUTE_HOURS'>;

/** last_seen_at is written at most this often per session, so a busy page is not a write per request. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface SessionRow {
  id: number;
  userId: number;
  method: SessionMethod;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  clientAddress: string | null;
  userAgent: string | null;
}

const db = (): Sequelize => User.sequelize!;

export interface NewSession {
  userId: number;
  method: SessionMethod;
  clientAddress?: string | null;
  userAgent?: string | null;
}

/** Starts a session; returns the cookie value, which exists only in the response. */
export async function createSession(input: NewSession, cfg: SessionConfig, clock: Clock = systemClock): Promise<{ token: string; sessionId: number; expiresAt: Date }> {
  const token = randomSecret();
  const now = clock.now();
  const expiresAt = now.plus({ hours: cfg.SESSION_ABSOLUTE_HOURS }).toJSDate();
  const result = await rawQuery<WriteResult>(
    db(),
    `INSERT INTO sessions (token_hash, user_id, method, created_at, last_seen_at, expires_at, client_address, user_agent)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [sha256(token), input.userId, input.method, now.toJSDate(), now.toJSDate(), expiresAt, input.clientAddress?.slice(0, 64) ?? null, input.userAgent?.slice(0, 300) ?? null],
  );
  return { token, sessionId: result.insertId, expiresAt };
}

export class InvalidSession extends Error {
  constructor(message = 'Your session has ended: sign in again.') {
    super(message);
    this.name = 'InvalidSession';
  }
}

/** The signed-in user behind a session cookie, or InvalidSession: unknown, revoked, idle too long, expired, or disabled. */
export async function sessionViewer(token: string, cfg: SessionConfig, clock: Clock = systemClock): Promise<UserViewer> {
  const now = clock.now().toJSDate();
  const [row] = await rawQuery<
    { id: number; method: SessionMethod; lastSeenAt: Date; userId: number; institutionId: number; isAdmin: number; timeZone: string; locale: string }[]
  >(
    db(),
    `SELECT s.id, s.method, s.last_seen_at AS lastSeenAt, u.id AS userId, u.institution_id AS institutionId, u.is_admin AS isAdmin,
            u.time_zone AS timeZone, u.locale
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND s.last_seen_at > ? AND u.disabled_at IS NULL`,
    [sha256(token), now, new Date(now.getTime() - cfg.SESSION_IDLE_MINUTES * 60_000)],
  );
  if (!row) throw new InvalidSession();
  if (now.getTime() - row.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    // Bookkeeping that also extends the idle window; a failed write must not fail the request.
    rawQuery(db(), 'UPDATE sessions SET last_seen_at = ? WHERE id = ?', [now, row.id]).catch(() => undefined);
  }
  return {
    kind: 'USER', userId: row.userId, institutionId: row.institutionId, isAdmin: Boolean(row.isAdmin), timeZone: row.timeZone, locale: row.locale,
    signIn: { method: row.method, sessionId: row.id },
  };
}

/** Ends the session behind a cookie value (the sign-out route); unknown values are ignored. */
export async function endSessionByToken(token: string, clock: Clock = systemClock): Promise<number | null> {
  const [row] = await rawQuery<{ id: number; userId: number }[]>(db(), 'SELECT id, user_id AS userId FROM sessions WHERE token_hash = ? AND revoked_at IS NULL', [sha256(token)]);
  if (!row) return null;
  await rawQuery(db(), 'UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [clock.now().toJSDate(), row.id]);
  return row.userId;
}

const SESSION_COLUMNS = `id, user_id AS userId, method, created_at AS createdAt, last_seen_at AS lastSeenAt, expires_at AS expiresAt,
  revoked_at AS revokedAt, client_address AS clientAddress, user_agent AS userAgent`;

/** The viewer's live sessions, most recently used first. */
export async function listMySessions(viewer: Viewer, cfg: SessionConfig, clock: Clock = systemClock): Promise<SessionRow[]> {
  const { userId } = requireUser(viewer);
  const now = clock.now().toJSDate();
  return rawQuery<SessionRow[]>(
    db(),
    `SELECT ${SESSION_COLUMNS} FROM sessions
      WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? AND last_seen_at > ? ORDER BY last_seen_at DESC, id DESC LIMIT 100`,
    [userId, now, new Date(now.getTime() - cfg.SESSION_IDLE_MINUTES * 60_000)],
    { type: 'read' },
  );
}

/** Signs the viewer out of the session this request came with. False when the request carried no session (a token). */
export async function signOut(viewer: Viewer, clock: Clock = systemClock): Promise<boolean> {
  const user = requireUser(viewer);
  const sessionId = user.signIn?.sessionId;
  if (!sessionId) return false;
  await rawQuery(db(), 'UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [clock.now().toJSDate(), sessionId]);
  return true;
}

/** Ends one of the viewer's sessions (a lost laptop); admins may end anyone's. */
export async function revokeSession(viewer: Viewer, sessionId: number, clock: Clock = systemClock): Promise<{ revoked: boolean; errors: AccessUserError[] }> {
  const user = requireUser(viewer);
  const [row] = await rawQuery<{ userId: number; revokedAt: Date | null }[]>(db(), 'SELECT user_id AS userId, revoked_at AS revokedAt FROM sessions WHERE id = ?', [sessionId]);
  if (!row || (row.userId !== user.userId && !user.isAdmin)) {
    return { revoked: false, errors: [notFound('id', 'session')] };
  }
  if (row.revokedAt) return { revoked: true, errors: [] };
  await rawQuery(db(), 'UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [clock.now().toJSDate(), sessionId]);
  return { revoked: true, errors: [] };
}

/** Every live session of a user ends (the account was disabled). */
export async function endAllSessions(userId: number, clock: Clock = systemClock): Promise<void> {
  await rawQuery(db(), 'UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', [clock.now().toJSDate(), userId]);
}
