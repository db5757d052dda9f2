// What each person wants to hear: which reminders before a confirmed booking (a set: both, one, or none), and, for
// lab managers, one e-mail per request or a morning digest of pending requests. The defaults keep what everyone got
// before: both reminders and one e-mail per request.
import type { QueryInterface } from 'sequelize';

export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(
    "ALTER TABLE users ADD COLUMN IF NOT EXISTS reminders SET('DAY_BEFORE','HOUR_BEFORE') NOT NULL DEFAULT 'DAY_BEFORE,HOUR_BEFORE'",
  );
  await context.sequelize.query(
    "ALTER TABLE users ADD COLUMN IF NOT EXISTS approval_mail ENUM('EACH_REQUEST','DAILY_DIGEST') NOT NULL DEFAULT 'EACH_REQUEST'",
  );
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query('ALTER TABLE users DROP COLUMN IF EXISTS approval_mail');
  await context.sequelize.query('ALTER TABLE users DROP COLUMN IF EXISTS reminders');
}
