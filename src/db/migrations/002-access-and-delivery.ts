// Partner API keys, webhook subscriptions, instrument qualifications, and the notification delivery log.
import type { QueryInterface } from 'sequelize';

const tables = [
  `CREATE TABLE api_keys (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    institution_id INT UNSIGNED NOT NULL,
    name VARCHAR(200) NOT NULL,
    -- the first characters of the key, shown to admins and used to find the row; the rest is only hashed
    key_prefix VARCHAR(16) NOT NULL,
    key_hash CHAR(64) NOT NULL,
    scopes JSON NOT NULL,
    created_by INT UNSIGNED NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    revoked_at DATETIME(3) NULL,
    last_used_at DATETIME(3) NULL,
    UNIQUE KEY api_keys_prefix (key_prefix),
    KEY api_keys_institution (institution_id),
    CONSTRAINT api_keys_institution_fk FOREIGN KEY (institution_id) REFERENCES institutions (id)
  )`,
  `CREATE TABLE webhook_subscriptions (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    institution_id INT UNSIGNED NOT NULL,
    url VARCHAR(2000) NOT NULL,
    secret VARCHAR(128) NOT NULL,
    -- NULL: every event type
    event_types JSON NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    KEY webhook_subscriptions_institution (institution_id, active),
    CONSTRAINT webhook_subscriptions_institution_fk FOREIGN KEY (institution_id) REFERENCES institutions (id)
  )`,
  `CREATE TABLE instrument_qualifications (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    instrument_id INT UNSIGNED NOT NULL,
    user_id INT UNSIGNED NOT NULL,
    granted_by INT UNSIGNED NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    UNIQUE KEY instrument_qualifications_instrument_user (instrument_id, user_id),
    KEY instrument_qualifications_user (user_id),
    CONSTRAINT instrument_qualifications_instrument_fk FOREIGN KEY (instrument_id) REFERENCES instruments (id) ON DELETE CASCADE,
    CONSTRAINT instrument_qualifications_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
  )`,
  `CREATE TABLE notification_deliveries (
    id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    -- the outbox event id, or a synthetic key for scheduled messages (e.g. reminder:<booking>:<kind>:<start>)
    event_key VARCHAR(128) NOT NULL,
    channel ENUM('EMAIL','WEBHOOK') NOT NULL,
    recipient VARCHAR(2000) NOT NULL,
    recipient_hash CHAR(64) NOT NULL,
    status ENUM('PENDING','SENT','FAILED') NOT NULL DEFAULT 'PENDING',
    attempts INT UNSIGNED NOT NULL DEFAULT 0,
    last_error VARCHAR(2000) NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    sent_at DATETIME(3) NULL,
    -- exactly once in effect: a retried or duplicated job finds its row and does nothing
    UNIQUE KEY notification_deliveries_once (event_key, channel, recipient_hash),
    KEY notification_deliveries_status (status, updated_at)
  )`,
];

export async function up({ context }: { context: QueryInterface }): Promise<void> {
  for (const sql of tables) {
    await context.sequelize.query(`${sql} ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  for (const table of ['notification_deliveries', 'instrument_qualifications', 'webhook_subscriptions', 'api_keys']) {
    await context.sequelize.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
