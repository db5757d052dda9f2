// Personal access tokens for scripts and notebooks: named, with an expiry, shown once, stored as a prefix plus a
// SHA-256 hash (the shape of partner API keys, src/access/api-keys.ts), sent as Authorization: Bearer lsp_...
import { badInput, notFound } from '../errors';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { systemClock, type Clock } from '../clock';
import { User } from '../db/models';
import { isDuplicateKey, rawQuery, type WriteResult } from '../db/raw';
import { requireUser } from '../access/policies';
import type { UserViewer, Viewer } from '../access/viewer';
import type { AccessUserError } from '../access/user-errors';
import { sha256 } from './hashing';

// lsp_<8 hex: the stored, unique prefix>_<43 base64url chars: 256 random bits, only hashed>
const TOKEN_SHAPE = /^(lsp_[0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;
export const PERSONAL_TOKEN_PREFIX = 'lsp_';
const LAST_USED_RESOLUTION_MS = 60_000;
export const MAX_TOKEN_DAYS = 366;

export interface PersonalAccessTokenRow {
  id: number;
  userId: number;
  name: string;
  tokenPrefix: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const db = (): Sequelize => User.sequelize!;
const COLUMNS = `id, user_id AS userId, name, token_prefix AS tokenPrefix, created_at AS createdAt, expires_at AS expiresAt,
  last_used_at AS lastUsedAt, revoked_at AS revokedAt`;

export class InvalidPersonalAccessToken extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPersonalAccessToken';
  }
}

export interface CreatedToken {
  token: PersonalAccessTokenRow | null;
  /** The one time the secret is visible. */
  secret: string | null;
  errors: AccessUserError[];
}

export async function createPersonalAccessToken(
  viewer: Viewer,
  input: { name: string; expiresInDays: number },
  clock: Clock = systemClock,
): Promise<CreatedToken> {
  const { userId } = requireUser(viewer);
  const errors: AccessUserError[] = [];
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200) errors.push(badInput('name', 'NAME_LENGTH', { max: 200 }));
  if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > MAX_TOKEN_DAYS) {
    errors.push(badInput('expiresInDays', 'TOKEN_DAYS', { max: MAX_TOKEN_DAYS }));
  }
  if (errors.length) return { token: null, secret: null, errors };
  const now = clock.now();
  // 32 random bits of prefix: a collision is rare, and then we draw again.
  for (let attempt = 1; ; attempt += 1) {
    const prefix = `${PERSONAL_TOKEN_PREFIX}${randomBytes(4).toString('hex')}`;
    const secret = `${prefix}_${randomBytes(32).toString('base64url')}`;
    try {
      const result = await rawQuery<WriteResult>(
        db(),
        'INSERT INTO personal_access_tokens (user_id, name, token_prefix, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
        [userId, name, prefix, sha256(secret), now.toJSDate(), now.plus({ days: input.expiresInDays }).toJSDate()],
      );
      const [token] = await rawQuery<PersonalAccessTokenRow[]>(db(), `SELECT ${COLUMNS} FROM personal_access_tokens WHERE id = ?`, [result.insertId]);
      return { token, secret, errors: [] };
    } catch (error) {
      if (!isDuplicateKey(error) || attempt >= 3) throw error;
    }
  }
}

/** The viewer's tokens, newest first, revoked and expired ones included (so the list explains why a script stopped). */
export async function listMyPersonalAccessTokens(viewer: Viewer): Promise<PersonalAccessTokenRow[]> {
  const { userId } = requireUser(viewer);
  return rawQuery<PersonalAccessTokenRow[]>(db(), `SELECT ${COLUMNS} FROM personal_access_tokens WHERE user_id = ? ORDER BY id DESC LIMIT 200`, [userId], { type: 'read' });
}

export async function revokePersonalAccessToken(viewer: Viewer, id: number, clock: Clock = systemClock): Promise<{ token: PersonalAccessTokenRow | null; errors: AccessUserError[] }> {
  const { userId } = requireUser(viewer);
  const [row] = await rawQuery<PersonalAccessTokenRow[]>(db(), `SELECT ${COLUMNS} FROM personal_access_tokens WHERE id = ? AND user_id = ?`, [id, userId]);
  if (!row) return { token: null, errors: [notFound('id', 'token')] };
  if (row.revokedAt) return { token: row, errors: [] };
  const revokedAt = clock.now().toJSDate();
  await rawQuery(db(), 'UPDATE personal_access_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [revokedAt, id]);
  return { token: { ...row, revokedAt }, errors: [] };
}

/** The user behind `Authorization: Bearer lsp_...`, or InvalidPersonalAccessToken saying why not. */
export async function personalAccessTokenViewer(secret: string, now: Date = new Date()): Promise<UserViewer> {
  const invalid = new InvalidPersonalAccessToken('The personal access token is not valid: check that it was copied whole.');
  const shape = TOKEN_SHAPE.exec(secret);
  if (!shape) throw invalid;
  const [row] = await rawQuery<
    {
      id: number; tokenHash: string; expiresAt: Date; revokedAt: Date | null; lastUsedAt: Date | null; userId: number; institutionId: number;
      isAdmin: number; timeZone: string; locale: string; disabledAt: Date | null;
    }[]
  >(
    db(),
    `SELECT t.id, t.token_hash AS tokenHash, t.expires_at AS expiresAt, t.revoked_at AS revokedAt, t.last_used_at AS lastUsedAt,
            u.id AS userId, u.institution_id AS institutionId, u.is_admin AS isAdmin, u.time_zone AS timeZone, u.locale, u.disabled_at AS disabledAt
       FROM personal_access_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_prefix = ?`,
    [shape[1]],
  );
  // Constant-time, and compared even when no row matched: timing tells nothing about the secret part.
  const stored = Buffer.from(row?.tokenHash && /^[0-9a-f]{64}$/.test(row.tokenHash) ? row.tokenHash : '0'.repeat(64), 'hex');
  if (!timingSafeEqual(stored, Buffer.from(sha256(secret), 'hex')) || !row) throw invalid;
  if (row.revokedAt) throw new InvalidPersonalAccessToken('This personal access token was revoked.');
  if (row.expiresAt.getTime() <= now.getTime()) throw new InvalidPersonalAccessToken('This personal access token has expired: create a new one.');
  if (row.disabledAt) throw new InvalidPersonalAccessToken('This account is disabled.');
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    rawQuery(db(), 'UPDATE personal_access_tokens SET last_used_at = ? WHERE id = ?', [now, row.id]).catch(() => undefined);
  }
  return {
    kind: 'USER', userId: row.userId, institutionId: row.institutionId, isAdmin: Boolean(row.isAdmin), timeZone: row.timeZone, locale: row.locale,
    signIn: { method: 'PERSONAL_ACCESS_TOKEN', personalAccessTokenId: row.id },
  };
}
