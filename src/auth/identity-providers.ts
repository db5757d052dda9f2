// Identity providers per institution (platform admins). The client secret is write-only: encrypted on the way in,
// decrypted only to talk to the provider, never returned.
import { badInput, notFound } from '../errors';
import type { Sequelize } from 'sequelize';
import type { Config } from '../config';
import { Institution, User } from '../db/models';
import { isDuplicateKey, rawQuery, type WriteResult } from '../db/raw';
import type { InstitutionRow } from '../db/rows';
import { requireAdmin } from '../access/policies';
import type { Viewer } from '../access/viewer';
import { jsonStringArray, type AccessUserError } from '../access/user-errors';
import { encryptSecret } from './secrets';

export interface IdentityProviderRow {
  id: number;
  institutionId: number;
  issuer: string;
  clientId: string;
  emailDomains: string[];
  emailClaim: string;
  nameClaim: string;
  localeClaim: string;
  zoneClaim: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** With the encrypted secret: for the OIDC flow only, never for the API. */
export interface IdentityProviderWithSecret extends IdentityProviderRow {
  clientSecretEncrypted: string;
}

const db = (): Sequelize => User.sequelize!;
const COLUMNS = `id, institution_id AS institutionId, issuer, client_id AS clientId, email_domains AS emailDomains, email_claim AS emailClaim,
  name_claim AS nameClaim, locale_claim AS localeClaim, zone_claim AS zoneClaim, enabled, created_at AS createdAt, updated_at AS updatedAt`;

const normalise = <T extends IdentityProviderRow>(row: T): T => ({ ...row, emailDomains: jsonStringArray(row.emailDomains) ?? [], enabled: Boolean(row.enabled) });

export interface ProviderFields {
  issuer?: string;
  clientId?: string;
  clientSecret?: string;
  emailDomains?: string[];
  emailClaim?: string;
  nameClaim?: string;
  localeClaim?: string;
  zoneClaim?: string;
  enabled?: boolean;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CLAIM = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

function validate(fields: ProviderFields, cfg: Pick<Config, 'NODE_ENV'>): { values: Record<string, unknown>; errors: AccessUserError[] } {
  const errors: AccessUserError[] = [];
  const values: Record<string, unknown> = {};
  if (fields.issuer !== undefined) {
    let ok = false;
    try {
      const url = new URL(fields.issuer.trim());
      // http only outside production (a provider on the developer's machine, the tests' in-process provider)
      ok = url.protocol === 'https:' || (url.protocol === 'http:' && cfg.NODE_ENV !== 'production');
    } catch {
      ok = false;
    }
    if (ok && fields.issuer.trim().length <= 400) values.issuer = fields.issuer.trim();
    else errors.push(badInput('issuer', 'ISSUER_URL'));
  }
  if (fields.clientId !== undefined) {
    const clientId = fields.clientId.trim();
    if (clientId.length >= 1 && clientId.length <= 255) values.client_id = clientId;
    else errors.push(badInput('clientId', 'CLIENT_ID_LENGTH'));
  }
  if (fields.clientSecret !== undefined) {
    if (fields.clientSecret.length >= 1 && fields.clientSecret.length <= 1000) values.client_secret_encrypted = encryptSecret(fields.clientSecret, cfg as Config);
    else errors.push(badInput('clientSecret', 'CLIENT_SECRET_LENGTH'));
  }
  if (fields.emailDomains !== undefined) {
    const domains = [...new Set(fields.emailDomains.map((d) => d.trim().toLowerCase().replace(/^@/, '')))];
    const bad = domains.find((d) => !DOMAIN.test(d));
    if (bad !== undefined || domains.length === 0) {
      errors.push(bad !== undefined ? badInput('emailDomains', 'NOT_A_DOMAIN', { value: bad }) : badInput('emailDomains', 'NO_EMAIL_DOMAIN'));
    } else values.email_domains = JSON.stringify(domains);
  }
  for (const [field, column] of [['emailClaim', 'email_claim'], ['nameClaim', 'name_claim'], ['localeClaim', 'locale_claim'], ['zoneClaim', 'zone_claim']] as const) {
    const claim = fields[field];
    if (claim === undefined) continue;
    if (CLAIM.test(claim)) values[column] = claim;
    else errors.push(badInput(field, 'NOT_A_CLAIM', { value: claim }));
  }
  if (fields.enabled !== undefined) values.enabled = fields.enabled;
  return { values, errors };
}

export interface ProviderResult {
  identityProvider: IdentityProviderRow | null;
  errors: AccessUserError[];
}

export async function findProvider(id: number): Promise<IdentityProviderRow | null> {
  const [row] = await rawQuery<IdentityProviderRow[]>(db(), `SELECT ${COLUMNS} FROM identity_providers WHERE id = ?`, [id]);
  return row ? normalise(row) : null;
}

/** The enabled provider of an institution, with its encrypted secret (the OIDC flow). */
export async function enabledProviderOf(institutionId: number): Promise<IdentityProviderWithSecret | null> {
  const [row] = await rawQuery<IdentityProviderWithSecret[]>(
    db(),
    `SELECT ${COLUMNS}, client_secret_encrypted AS clientSecretEncrypted FROM identity_providers WHERE institution_id = ? AND enabled`,
    [institutionId],
  );
  return row ? normalise(row) : null;
}

/** The enabled provider vouching for an e-mail's domain (or a parent domain of it). */
export async function providerForEmail(email: string): Promise<IdentityProviderRow | null> {
  const domain = email.split('@')[1]?.toLowerCase();
  if (!domain) return null;
  const rows = (await rawQuery<IdentityProviderRow[]>(db(), `SELECT ${COLUMNS} FROM identity_providers WHERE enabled`, [], { type: 'read' })).map(normalise);
  return rows.find((p) => domainCovered(domain, p.emailDomains)) ?? null;
}

/** example.ac.th covers example.ac.th and chem.example.ac.th, never notexample.ac.th. */
export function domainCovered(domain: string, domains: string[]): boolean {
  const d = domain.toLowerCase();
  return domains.some((allowed) => d === allowed || d.endsWith(`.${allowed}`));
}

export async function listIdentityProviders(viewer: Viewer, filter: { institutionId?: number }): Promise<IdentityProviderRow[]> {
  requireAdmin(viewer);
  const rows = await rawQuery<IdentityProviderRow[]>(
    db(),
    `SELECT ${COLUMNS} FROM identity_providers ${filter.institutionId ? 'WHERE institution_id = ?' : ''} ORDER BY id`,
    filter.institutionId ? [filter.institutionId] : [],
    { type: 'read' },
  );
  return rows.map(normalise);
}

export async function createIdentityProvider(
  viewer: Viewer,
  input: ProviderFields & { institutionId: number; issuer: string; clientId: string; clientSecret: string; emailDomains: string[] },
  cfg: Pick<Config, 'NODE_ENV' | 'SECRETS_ENCRYPTION_KEY'>,
): Promise<ProviderResult> {
  requireAdmin(viewer);
  const { values, errors } = validate(input, cfg);
  if (errors.length) return { identityProvider: null, errors };
  if (!(await Institution.findByPk(input.institutionId, { attributes: ['id'], raw: true }))) {
    return { identityProvider: null, errors: [notFound('institutionId', 'institution')] };
  }
  const columns = ['institution_id', ...Object.keys(values)];
  try {
    const result = await rawQuery<WriteResult>(
      db(),
      `INSERT INTO identity_providers (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      [input.institutionId, ...Object.values(values)],
    );
    return { identityProvider: await findProvider(result.insertId), errors: [] };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return { identityProvider: null, errors: [badInput('institutionId', 'PROVIDER_EXISTS')] };
  }
}

export async function updateIdentityProvider(viewer: Viewer, id: number, fields: ProviderFields, cfg: Pick<Config, 'NODE_ENV' | 'SECRETS_ENCRYPTION_KEY'>): Promise<ProviderResult> {
  requireAdmin(viewer);
  const { values, errors } = validate(fields, cfg);
  if (errors.length) return { identityProvider: null, errors };
  if (!(await findProvider(id))) return { identityProvider: null, errors: [notFound('id', 'identityProvider')] };
  const columns = Object.keys(values);
  if (columns.length) {
    await rawQuery(db(), `UPDATE identity_providers SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...Object.values(values), id]);
  }
  return { identityProvider: await findProvider(id), errors: [] };
}

/** Identities already linked through the provider stay (they name issuer and subject, not the row). */
export async function deleteIdentityProvider(viewer: Viewer, id: number): Promise<{ deleted: boolean; errors: AccessUserError[] }> {
  requireAdmin(viewer);
  const result = await rawQuery<WriteResult>(db(), 'DELETE FROM identity_providers WHERE id = ?', [id]);
  return result.affectedRows ? { deleted: true, errors: [] } : { deleted: false, errors: [notFound('id', 'identityProvider')] };
}

export async function setEmailSignIn(viewer: Viewer, institutionId: number, enabled: boolean): Promise<{ institution: InstitutionRow | null; errors: AccessUserError[] }> {
  requireAdmin(viewer);
  await Institution.update({ emailSignInEnabled: enabled }, { where: { id: institutionId } });
  const institution = await Institution.findByPk(institutionId, { raw: true });
  if (!institution) return { institution: null, errors: [notFound('institutionId', 'institution')] };
  return { institution, errors: [] };
}
