// Partner API keys: created and revoked by platform admins, shown once, stored as a prefix plus a SHA-256 hash.
import { badInput, notFound } from '../errors';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Op, UniqueConstraintError } from 'sequelize';
import { systemClock, type Clock } from '../clock';
import { ApiKey, Institution } from '../db/models';
import { runTransaction } from '../db/transaction';
import type { ApiKeyRow } from '../db/rows';
import { requireAdmin, SCOPES } from './policies';
import { jsonStringArray, type AccessUserError, type IdPage } from './user-errors';
import type { PartnerViewer, Viewer } from './viewer';

// lsk_<8 hex: the stored, unique prefix>_<43 base64url chars: 256 random bits, only hashed>
const KEY_SHAPE = /^(lsk_[0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most this often per key, so authenticating is not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class InvalidApiKey extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidApiKey';
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = `lsk_${randomBytes(4).toString('hex')}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: sha256(key) };
}

/** Normalises the row's JSON scopes (MariaDB returns JSON as text with raw: true). */
export function apiKeyRow(row: ApiKeyRow): ApiKeyRow {
  return { ...row, scopes: jsonStringArray(row.scopes) ?? [] };
}

export interface CreateApiKeyInput {
  institutionId: number;
  name: string;
  scopes: string[];
}

export interface ApiKeyResult {
  apiKey: ApiKeyRow | null;
  /** Only on creation: the one time the key is visible. */
  key?: string | null;
  errors: AccessUserError[];
}

export async function createApiKey(viewer: Viewer, input: CreateApiKeyInput): Promise<ApiKeyResult> {
  const admin = requireAdmin(viewer);
  const errors: AccessUserError[] = [];
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200) errors.push(badInput('name', 'NAME_LENGTH', { max: 200 }));
  const unknown = input.scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length) {
    errors.push(badInput('scopes', 'UNKNOWN_SCOPE', { value: unknown[0], known: SCOPES }));
  }
  if (errors.length) return { apiKey: null, key: null, errors };
  // 32 random bits of prefix: a collision is rare, and then the whole command runs again with a fresh key.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await runTransaction(ApiKey.sequelize!, { kind: 'models' }, async (transaction): Promise<ApiKeyResult> => {
        if (!(await Institution.findByPk(input.institutionId, { attributes: ['id'], raw: true, transaction }))) {
          return { apiKey: null, key: null, errors: [notFound('institutionId', 'institution')] };
        }
        const { key, prefix, hash } = generateApiKey();
        const created = await ApiKey.create(
          { institutionId: input.institutionId, name, keyPrefix: prefix, keyHash: hash, scopes: [...new Set(input.scopes)], createdBy: admin.userId },
          { transaction },
        );
        return { apiKey: apiKeyRow(created.get({ plain: true })), key, errors: [] };
      });
    } catch (error) {
      if (!(error instanceof UniqueConstraintError) || attempt >= 3) throw error;
    }
  }
}

/** Revoking is immediate and idempotent: the key answers UNAUTHENTICATED from the next request on. */
export async function revokeApiKey(viewer: Viewer, id: number, clock: Clock = systemClock): Promise<ApiKeyResult> {
  requireAdmin(viewer);
  return runTransaction(ApiKey.sequelize!, { kind: 'models' }, async (transaction) => {
    const row = await ApiKey.findByPk(id, { raw: true, transaction, lock: transaction.LOCK.UPDATE });
    if (!row) return { apiKey: null, errors: [notFound('id', 'apiKey')] };
    if (row.revokedAt) return { apiKey: apiKeyRow(row), errors: [] };
    const revokedAt = clock.now().toJSDate();
    await ApiKey.update({ revokedAt }, { where: { id }, transaction });
    return { apiKey: apiKeyRow({ ...row, revokedAt }), errors: [] };
  });
}

/** Newest first. */
export async function listApiKeys(viewer: Viewer, filter: { institutionId?: number }, page: IdPage): Promise<ApiKeyRow[]> {
  requireAdmin(viewer);
  const rows = await ApiKey.findAll({
    where: {
      ...(filter.institutionId ? { institutionId: filter.institutionId } : {}),
      ...(page.afterId ? { id: { [Op.lt]: page.afterId } } : {}),
    },
    order: [['id', 'DESC']],
    limit: page.size + 1,
    raw: true,
  });
  return rows.map(apiKeyRow);
}

/** The partner behind `Authorization: ApiKey <key>`, or InvalidApiKey saying why not. */
export async function authenticateApiKey(key: string, now: Date = new Date()): Promise<PartnerViewer> {
  const shape = KEY_SHAPE.exec(key);
  const invalid = new InvalidApiKey('The API key is not valid: check that it was copied whole.');
  if (!shape) throw invalid;
  const row = await ApiKey.findOne({ where: { keyPrefix: shape[1] }, raw: true });
  const presented = Buffer.from(sha256(key), 'hex');
  // Compared in constant time, and compared even when no row matched: timing tells nothing about the secret part.
  const stored = Buffer.from(row?.keyHash && /^[0-9a-f]{64}$/.test(row.keyHash) ? row.keyHash : '0'.repeat(64), 'hex');
  const matches = timingSafeEqual(stored, presented);
  if (!row || !matches) throw invalid;
  if (row.revokedAt) throw new InvalidApiKey('This API key was revoked: ask the platform admins for a new one.');
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    // Bookkeeping only: a failed write must not fail the request.
    ApiKey.update({ lastUsedAt: now }, { where: { id: row.id } }).catch(() => undefined);
  }
  return { kind: 'PARTNER', institutionId: row.institutionId, apiKeyId: row.id, scopes: jsonStringArray(row.scopes) ?? [] };
}
