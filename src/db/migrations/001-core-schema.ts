// The core tables. Instants are DATETIME(3) in UTC (the connection runs at +00:00).
import type { QueryInterface } from 'sequelize';

const tables = [
  `CREATE TABLE institutions (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    country_code CHAR(2) NOT NULL,
    time_zone VARCHAR(64) NOT NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    UNIQUE KEY institutions_name (name),
    KEY institutions_country (country_code)
  )`,
  `CREATE TABLE users (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    institution_id INT UNSIGNED NOT NULL,
    email VARCHAR(254) NOT NULL,
    name VARCHAR(200) NOT NULL,
    time_zone VARCHAR(64) NOT NULL DEFAULT 'UTC',
    locale VARCHAR(16) NOT NULL DEFAULT 'en',
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    UNIQUE KEY users_email (email),
    KEY users_institution (institution_id),
    CONSTRAINT users_institution_fk FOREIGN KEY (institution_id) REFERENCES institutions (id)
  )`,
  `CREATE TABLE labs (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    institution_id INT UNSIGNED NOT NULL,
    name VARCHAR(200) NOT NULL,
    country_code CHAR(2) NOT NULL,
    time_zone VARCHAR(64) NOT NULL,
    observes_public_holidays BOOLEAN NOT NULL DEFAULT TRUE,
    holiday_region VARCHAR(16) NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    UNIQUE KEY labs_name (name),
    KEY labs_country (country_code),
    KEY labs_institution (institution_id),
    CONSTRAINT labs_institution_fk FOREIGN KEY (institution_id) REFERENCES institutions (id)
  )`,
  `CREATE TABLE lab_memberships (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    lab_id INT UNSIGNED NOT NULL,
    user_id INT UNSIGNED NOT NULL,
    role ENUM('MEMBER','MANAGER') NOT NULL DEFAULT 'MEMBER',
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    UNIQUE KEY lab_memberships_lab_user (lab_id, user_id),
    KEY lab_memberships_user (user_id),
    CONSTRAINT lab_memberships_lab_fk FOREIGN KEY (lab_id) REFERENCES labs (id) ON DELETE CASCADE,
    CONSTRAINT lab_memberships_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
  )`,
  `CREATE TABLE instruments (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    lab_id INT UNSIGNED NOT NULL,
    kind ENUM('INSTRUMENT','FACILITY') NOT NULL DEFAULT 'INSTRUMENT',
    name VARCHAR(200) NOT NULL,
    category VARCHAR(64) NOT NULL,
    description TEXT NULL,
    status ENUM('AVAILABLE','MAINTENANCE','RETIRED') NOT NULL DEFAULT 'AVAILABLE',
    requires_approval BOOLEAN NOT NULL DEFAULT FALSE,
    requires_check_in BOOLEAN NOT NULL DEFAULT FALSE,
    access_policy ENUM('OPEN','MEMBERS','QUALIFIED') NOT NULL DEFAULT 'OPEN',
    slot_minutes SMALLINT UNSIGNED NOT NULL DEFAULT 30,
    min_minutes INT UNSIGNED NOT NULL DEFAULT 30,
    max_minutes INT UNSIGNED NOT NULL DEFAULT 480,
    min_notice_minutes INT UNSIGNED NOT NULL DEFAULT 60,
    max_advance_days SMALLINT UNSIGNED NOT NULL DEFAULT 90,
    buffer_after_minutes INT UNSIGNED NOT NULL DEFAULT 0,
    -- bumped by every booking write: serialises writers of one instrument, also across Galera nodes
    booking_seq BIGINT UNSIGNED NOT NULL DEFAULT 0,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    KEY instruments_lab (lab_id),
    KEY instruments_category (category),
    CONSTRAINT instruments_lab_fk FOREIGN KEY (lab_id) REFERENCES labs (id)
  )`,
  `CREATE TABLE opening_hours (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    lab_id INT UNSIGNED NOT NULL,
    instrument_id INT UNSIGNED NULL,
    weekday TINYINT UNSIGNED NOT NULL,
    start_minute SMALLINT UNSIGNED NOT NULL,
    end_minute SMALLINT UNSIGNED NOT NULL,
    KEY opening_hours_lab_instrument (lab_id, instrument_id),
    KEY opening_hours_instrument (instrument_id),
    CONSTRAINT opening_hours_lab_fk FOREIGN KEY (lab_id) REFERENCES labs (id) ON DELETE CASCADE,
    CONSTRAINT opening_hours_instrument_fk FOREIGN KEY (instrument_id) REFERENCES instruments (id) ON DELETE CASCADE,
    CONSTRAINT opening_hours_window CHECK (weekday BETWEEN 1 AND 7 AND start_minute < end_minute AND end_minute <= 1440)
  )`,
  `CREATE TABLE blackouts (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    lab_id INT UNSIGNED NOT NULL,
    instrument_id INT UNSIGNED NULL,
    kind ENUM('MAINTENANCE','TRAINING','OTHER') NOT NULL DEFAULT 'OTHER',
    reason VARCHAR(500) NOT NULL DEFAULT '',
    start_at DATETIME(3) NOT NULL,
    end_at DATETIME(3) NOT NULL,
    created_by INT UNSIGNED NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    KEY blackouts_lab_range (lab_id, start_at, end_at),
    KEY blackouts_instrument_range (instrument_id, start_at, end_at),
    CONSTRAINT blackouts_lab_fk FOREIGN KEY (lab_id) REFERENCES labs (id) ON DELETE CASCADE,
    CONSTRAINT blackouts_instrument_fk FOREIGN KEY (instrument_id) REFERENCES instruments (id) ON DELETE CASCADE,
    CONSTRAINT blackouts_range CHECK (end_at > start_at)
  )`,
  `CREATE TABLE lab_closures (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    lab_id INT UNSIGNED NOT NULL,
    day DATE NOT NULL,
    reason VARCHAR(500) NOT NULL DEFAULT '',
    source ENUM('MANUAL','ICS') NOT NULL DEFAULT 'MANUAL',
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE KEY lab_closures_lab_day (lab_id, day),
    CONSTRAINT lab_closures_lab_fk FOREIGN KEY (lab_id) REFERENCES labs (id) ON DELETE CASCADE
  )`,
  `CREATE TABLE bookings (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    instrument_id INT UNSIGNED NOT NULL,
    user_id INT UNSIGNED NOT NULL,
    start_at DATETIME(3) NOT NULL,
    end_at DATETIME(3) NOT NULL,
    status ENUM('PENDING','CONFIRMED','REJECTED','CANCELLED','EXPIRED','COMPLETED','NO_SHOW') NOT NULL,
    purpose VARCHAR(2000) NOT NULL DEFAULT '',
    idempotency_key VARCHAR(128) NULL,
    request_fingerprint CHAR(64) NULL,
    decided_by INT UNSIGNED NULL,
    decided_at DATETIME(3) NULL,
    decision_note VARCHAR(2000) NULL,
    checked_in_at DATETIME(3) NULL,
    checked_out_at DATETIME(3) NULL,
    version INT UNSIGNED NOT NULL DEFAULT 1,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    -- serves "bookings of instrument X overlapping [a, b)": start_at < b AND start_at >= a - max length AND end_at > a
    KEY bookings_instrument_range (instrument_id, start_at, end_at),
    KEY bookings_user_start (user_id, start_at),
    KEY bookings_status_start (status, start_at),
    UNIQUE KEY bookings_user_idempotency (user_id, idempotency_key),
    CONSTRAINT bookings_instrument_fk FOREIGN KEY (instrument_id) REFERENCES instruments (id),
    CONSTRAINT bookings_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT bookings_range CHECK (end_at > start_at)
  )`,
  `CREATE TABLE booking_history (
    id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    booking_id INT UNSIGNED NOT NULL,
    actor_user_id INT UNSIGNED NULL,
    from_status VARCHAR(16) NULL,
    to_status VARCHAR(16) NOT NULL,
    note VARCHAR(2000) NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    KEY booking_history_booking (booking_id, id),
    CONSTRAINT booking_history_booking_fk FOREIGN KEY (booking_id) REFERENCES bookings (id) ON DELETE CASCADE
  )`,
  `CREATE TABLE usage_logs (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    booking_id INT UNSIGNED NOT NULL,
    instrument_id INT UNSIGNED NOT NULL,
    lab_id INT UNSIGNED NOT NULL,
    user_id INT UNSIGNED NOT NULL,
    institution_id INT UNSIGNED NOT NULL,
    outcome ENUM('COMPLETED','NO_SHOW') NOT NULL,
    booked_minutes INT UNSIGNED NOT NULL,
    used_minutes INT UNSIGNED NOT NULL,
    start_at DATETIME(3) NOT NULL,
    end_at DATETIME(3) NOT NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE KEY usage_logs_booking (booking_id),
    KEY usage_logs_lab_start (lab_id, start_at),
    KEY usage_logs_instrument_start (instrument_id, start_at),
    KEY usage_logs_institution_start (institution_id, start_at)
  )`,
  `CREATE TABLE outbox_events (
    id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    event_id CHAR(36) NOT NULL,
    type VARCHAR(64) NOT NULL,
    aggregate_type VARCHAR(32) NOT NULL,
    aggregate_id VARCHAR(64) NOT NULL,
    payload JSON NOT NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    dispatched_at DATETIME(3) NULL,
    dispatch_attempts INT UNSIGNED NOT NULL DEFAULT 0,
    UNIQUE KEY outbox_events_event_id (event_id),
    KEY outbox_events_pending (dispatched_at, id),
    KEY outbox_events_created (created_at)
  )`,
];

export async function up({ context }: { context: QueryInterface }): Promise<void> {
  for (const sql of tables) {
    await context.sequelize.query(`${sql} ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  for (const table of [
    'outbox_events', 'usage_logs', 'booking_history', 'bookings', 'lab_closures', 'blackouts',
    'opening_hours', 'instruments', 'lab_memberships', 'labs', 'users', 'institutions',
  ]) {
    await context.sequelize.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
