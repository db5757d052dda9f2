// Multi-resource bookings: a booking group ties several bookings (instruments, possibly in different labs) that were
// requested together and hold time all or nothing. The group keeps who asked, why and the idempotency key; its status
// is not stored but derived from its parts (src/booking/booking-groups.ts), so it can never disagree with them.
import type { QueryInterface } from 'sequelize';

const GROUPS = `CREATE TABLE booking_groups (
    id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    user_id INT UNSIGNED NOT NULL,
    purpose VARCHAR(2000) NOT NULL DEFAULT '',
    idempotency_key VARCHAR(128) NULL,
    request_fingerprint CHAR(64) NULL,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    -- one group per key and user: a retried request finds the group it created
    UNIQUE KEY booking_groups_user_idempotency (user_id, idempotency_key),
    CONSTRAINT booking_groups_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;

export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(GROUPS);
  await context.sequelize.query(`ALTER TABLE bookings ADD COLUMN IF NOT EXISTS group_id INT UNSIGNED NULL,
    ADD KEY bookings_group (group_id),
    ADD CONSTRAINT bookings_group_fk FOREIGN KEY (group_id) REFERENCES booking_groups (id)`);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query('ALTER TABLE bookings DROP FOREIGN KEY IF EXISTS bookings_group_fk');
  await context.sequelize.query('ALTER TABLE bookings DROP KEY IF EXISTS bookings_group');
  await context.sequelize.query('ALTER TABLE bookings DROP COLUMN IF EXISTS group_id');
  await context.sequelize.query('DROP TABLE IF EXISTS booking_groups');
}
