// Signing in: identity providers per institution, linked identities, DB-kept sessions (so sign-out, revocation and
// disabling a user take effect at once in every API process), personal access tokens, e-mail sign-in links and the
// sign-in audit. Every secret credential is stored only as a SHA-256 hash; the providers' client secrets, which
// LabShare must present again, are stored AES-256-GCM encrypted (src/auth/secrets.ts).
import type { QueryInterface } from 'sequelize';

const alterations = [
  'ALTER TABLE institutions ADD COLUMN IF NOT EXISTS email_sign_in_enabled BOOLEAN NOT NULL DEFAULT FALSE',
  'ALTER TABLE users ADD COLUMN IF NOT EXISTS disabled_at DATETIME(3) NULL',
];

const tables = [
  `CREATE TABLE identity_providers (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    -- one provider per institution: the sign-in page routes an institution to exactly one place
    institution_id INT UNSIGNED NOT NULL,
    issuer VARCHAR(400) NOT NULL,
    client_id VARCHAR(255) NOT NULL,
    -- AES-256-GCM: base64url(iv).base64url(tag).base64url(ciphertext); never returned by the API
    client_secret_encrypted VARCHAR(2000) NOT NULL,
    email_domains JSON NOT NULL,
    email_claim VARCHAR(64) NOT NULL DEFAULT 'email',
    name_claim VARCHAR(64) NOT NULL DEFAULT 'name',
    locale_claim VARCHAR(64) NOT NULL DEFAULT 'locale',
    zone_claim VARCHAR(64) NOT NULL DEFAULT 'zoneinfo',
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    UNIQUE KEY identity_providers_institution (institution_id),
    CONSTRAINT identity_providers_institution_fk FOREIGN KEY (institution_id) REFERENCES institutions (id)
  )`,
  `CREATE TABLE user_identities (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    user_id INT UNSIGNED NOT NULL,
    issuer VARCHAR(400) NOT NULL,
    subject VARCHAR(255) NOT NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    last_sign_in_at DATETIME(3) NULL,
    UNIQUE KEY user_identities_issuer_subject (issuer, subject),
    KEY user_identities_user (user_id),
    CONSTRAINT user_identities_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
  )`,
  `CREATE TABLE sessions (
    id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    -- SHA-256 of the cookie's random value: a copy of this table signs nobody in
    token_hash CHAR(64) NOT NULL,
    user_id INT UNSIGNED NOT NULL,
    method ENUM('OIDC','EMAIL_LINK','DEMO') NOT NULL,
    created_at DATETIME(3) NOT NULL,
    last_seen_at DATETIME(3) NOT NULL,
    -- absolute end; the idle end is last_seen_at + SESSION_IDLE_MINUTES, checked on every request
    expires_at DATETIME(3) NOT NULL,
    revoked_at DATETIME(3) NULL,
    client_address VARCHAR(64) NULL,
    user_agent VARCHAR(300) NULL,
    UNIQUE KEY sessions_token_hash (token_hash),
    KEY sessions_user (user_id, revoked_at),
    CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
  )`,
  `CREATE TABLE personal_access_tokens (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    user_id INT UNSIGNED NOT NULL,
    name VARCHAR(200) NOT NULL,
    -- lsp_<8 hex>: shown in lists and used to find the row; the rest of the token is only hashed
    token_prefix VARCHAR(16) NOT NULL,
    token_hash CHAR(64) NOT NULL,
    created_at DATETIME(3) NOT NULL,
    expires_at DATETIME(3) NOT NULL,
    last_used_at DATETIME(3) NULL,
    revoked_at DATETIME(3) NULL,
    UNIQUE KEY personal_access_tokens_prefix (token_prefix),
    KEY personal_access_tokens_user (user_id),
    CONSTRAINT personal_access_tokens_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
  )`,
  `CREATE TABLE sign_in_links (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    token_hash CHAR(64) NOT NULL,
    user_id INT UNSIGNED NOT NULL,
    created_at DATETIME(3) NOT NULL,
    expires_at DATETIME(3) NOT NULL,
    used_at DATETIME(3) NULL,
    UNIQUE KEY sign_in_links_token_hash (token_hash),
    KEY sign_in_links_expiry (expires_at),
    CONSTRAINT sign_in_links_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
  )`,
  `CREATE TABLE sign_in_audit (
    id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    created_at DATETIME(3) NOT NULL,
    kind ENUM('OIDC','EMAIL_LINK','DEMO','SIGN_OUT') NOT NULL,
    -- SUCCESS, or the failure's code (STATE_MISMATCH, EMAIL_OUTSIDE_DOMAINS, USER_DISABLED, ...)
    outcome VARCHAR(40) NOT NULL,
    user_id INT UNSIGNED NULL,
    institution_id INT UNSIGNED NULL,
    email VARCHAR(254) NULL,
    issuer VARCHAR(400) NULL,
    client_address VARCHAR(64) NULL,
    detail VARCHAR(500) NULL,
    KEY sign_in_audit_created (created_at),
    KEY sign_in_audit_user (user_id, created_at)
  )`,
];

export async function up({ context }: { context: QueryInterface }): Promise<void> {
  for (const sql of alterations) await context.sequelize.query(sql);
  for (const sql of tables) {
    await context.sequelize.query(`${sql} ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  for (const table of ['sign_in_audit', 'sign_in_links', 'personal_access_tokens', 'sessions', 'user_identities', 'identity_providers']) {
    await context.sequelize.query(`DROP TABLE IF EXISTS ${table}`);
  }
  await context.sequelize.query('ALTER TABLE users DROP COLUMN IF EXISTS disabled_at');
  await context.sequelize.query('ALTER TABLE institutions DROP COLUMN IF EXISTS email_sign_in_enabled');
}
