// Recurring bookings (issue 20): a series row per request, one row per occurrence the rule produced (booked or not:
// what the answer listed, the EXDATEs of its calendar and each booking's RECURRENCE-ID), and the series a booking
// belongs to.
import type { QueryInterface } from 'sequelize';

const tables = [
  `CREATE TABLE booking_series (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    instrument_id INT UNSIGNED NOT NULL,
    user_id INT UNSIGNED NOT NULL,
    -- the canonical RRULE subset (src/booking/recurrence.ts), expanded in time_zone (the lab's, when requested)
    recurrence VARCHAR(300) NOT NULL,
    time_zone VARCHAR(64) NOT NULL,
    -- the first occurrence as asked (DTSTART and its end)
    start_at DATETIME(3) NOT NULL,
    end_at DATETIME(3) NOT NULL,
    mode ENUM('ALL_OR_NOTHING','SKIP_CONFLICTS') NOT NULL,
    purpose VARCHAR(2000) NOT NULL DEFAULT '',
    idempotency_key VARCHAR(128) NULL,
    request_fingerprint CHAR(64) NULL,
    -- bumped by every decision on the whole series (approve, reject, cancel): STALE_VERSION for a caller who saw less
    version INT UNSIGNED NOT NULL DEFAULT 1,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE KEY booking_series_user_idempotency (user_id, idempotency_key),
    KEY booking_series_instrument (instrument_id),
    CONSTRAINT booking_series_instrument_fk FOREIGN KEY (instrument_id) REFERENCES instruments (id),
    CONSTRAINT booking_series_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
  )`,
  `CREATE TABLE booking_series_occurrences (
    series_id INT UNSIGNED NOT NULL,
    -- the occurrence as the rule placed it: a rescheduled booking keeps it as its RECURRENCE-ID
    occurrence_start DATETIME(3) NOT NULL,
    occurrence_end DATETIME(3) NOT NULL,
    booking_id INT UNSIGNED NULL,
    -- BOOKED, or the first rule the occurrence broke (CONFLICT, HOLIDAY, ...): skipped dates are the calendar's EXDATEs
    outcome VARCHAR(32) NOT NULL,
    PRIMARY KEY (series_id, occurrence_start),
    UNIQUE KEY booking_series_occurrences_booking (booking_id),
    CONSTRAINT booking_series_occurrences_series_fk FOREIGN KEY (series_id) REFERENCES booking_series (id) ON DELETE CASCADE,
    CONSTRAINT booking_series_occurrences_booking_fk FOREIGN KEY (booking_id) REFERENCES bookings (id) ON DELETE CASCADE
  )`,
];

export async function up({ context }: { context: QueryInterface }): Promise<void> {
  for (const sql of tables) {
    await context.sequelize.query(`${sql} ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }
  await context.sequelize.query(
    `ALTER TABLE bookings ADD COLUMN IF NOT EXISTS series_id INT UNSIGNED NULL,
       ADD KEY IF NOT EXISTS bookings_series (series_id, start_at),
       ADD CONSTRAINT bookings_series_fk FOREIGN KEY IF NOT EXISTS (series_id) REFERENCES booking_series (id)`,
  );
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query('ALTER TABLE bookings DROP FOREIGN KEY IF EXISTS bookings_series_fk');
  await context.sequelize.query('ALTER TABLE bookings DROP KEY IF EXISTS bookings_series');
  await context.sequelize.query('ALTER TABLE bookings DROP COLUMN IF EXISTS series_id');
  for (const table of ['booking_series_occurrences', 'booking_series']) await context.sequelize.query(`DROP TABLE IF EXISTS ${table}`);
}
