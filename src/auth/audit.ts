// Every sign-in attempt, successful or not, and every sign-out: for admins to answer "who signed in, and who tried".
import { User } from '../db/models';
import { rawQuery } from '../db/raw';
import { requireAdmin } from '../access/policies';
import type { Viewer } from '../access/viewer';
import type { IdPage } from '../access/user-errors';

export type AuditKind = 'OIDC' | 'EMAIL_LINK' | 'DEMO' | 'SIGN_OUT';

export interface AuditEntry {
  kind: AuditKind;
  /** SUCCESS or a failure code. */
  outcome: string;
  userId?: number | null;
  institutionId?: number | null;
  email?: string | null;
  issuer?: string | null;
  clientAddress?: string | null;
  detail?: string | null;
}

export interface AuditRow {
  id: number;
  createdAt: Date;
  kind: AuditKind;
  outcome: string;
  userId: number | null;
  institutionId: number | null;
  email: string | null;
  issuer: string | null;
  clientAddress: string | null;
  detail: string | null;
}

export async function recordSignIn(entry: AuditEntry, now: Date = new Date()): Promise<void> {
  await rawQuery(
    User.sequelize!,
    `INSERT INTO sign_in_audit (created_at, kind, outcome, user_id, institution_id, email, issuer, client_address, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      now, entry.kind, entry.outcome.slice(0, 40), entry.userId ?? null, entry.institutionId ?? null, entry.email?.slice(0, 254) ?? null,
      entry.issuer?.slice(0, 400) ?? null, entry.clientAddress?.slice(0, 64) ?? null, entry.detail?.slice(0, 500) ?? null,
    ],
  );
}

/** Newest first (platform admins). */
export async function listSignInAudit(viewer: Viewer, filter: { userId?: number; failedOnly?: boolean }, page: IdPage): Promise<AuditRow[]> {
  requireAdmin(viewer);
  const where: string[] = [];
  const values: unknown[] = [];
  if (filter.userId) {
    where.push('user_id = ?');
    values.push(filter.userId);
  }
  if (filter.failedOnly) where.push("outcome <> 'SUCCESS'");
  if (page.afterId) {
    where.push('id < ?');
    values.push(page.afterId);
  }
  return rawQuery<AuditRow[]>(
    User.sequelize!,
    `SELECT id, created_at AS createdAt, kind, outcome, user_id AS userId, institution_id AS institutionId, email, issuer,
            client_address AS clientAddress, detail
       FROM sign_in_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
    [...values, page.size + 1],
    { type: 'read' },
  );
}
