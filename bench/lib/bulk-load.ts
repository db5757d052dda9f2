// Fills the bookings table to a given size fast: MariaDB generates the rows itself (INSERT … SELECT from the
// built-in seq_1_to_N sequence tables), 100k rows a statement, with FK and unique checks off for the session.
// The ORM would take hours for a million rows; this takes about a minute.
//
// Filler bookings belong to the catalog instruments. Per instrument, nine in ten lie in the past (from 15 days
// back, one every 3 hours: history) and one in ten lies in the future beyond the windows the scenarios ask about
// (30 days ahead and later), so the index holds rows right next to every range the availability query scans.
import type mysql from 'mysql2/promise';
import type { World } from './world';

const CHUNK = 100_000;

export interface BulkLoader {
  /** Adds rows until the bookings table holds `target` rows; returns the seconds it took. */
  fillTo(target: number): Promise<number>;
}

export async function bulkLoader(pool: mysql.Pool, world: World): Promise<BulkLoader> {
  const conn = await pool.getConnection();
  await conn.query('DROP TEMPORARY TABLE IF EXISTS bench_filler_instruments');
  await conn.query('CREATE TEMPORARY TABLE bench_filler_instruments (n INT UNSIGNED PRIMARY KEY, instrument_id INT UNSIGNED NOT NULL)');
  await conn.query('INSERT INTO bench_filler_instruments (n, instrument_id) VALUES ?', [world.catalogInstrumentIds.map((id, n) => [n, id])]);
  const instruments = world.catalogInstrumentIds.length;
  const users = world.userIds.length;
  const firstUser = Math.min(...world.userIds);
  const anchor = world.builtAt.toUTC().startOf('day').toJSDate();
  let filled = 0; // filler rows written so far: row g goes to instrument g % instruments, as its (g / instruments)-th

  return {
    async fillTo(target: number): Promise<number> {
      const started = Date.now();
      const [rows] = await conn.query('SELECT COUNT(*) AS n FROM bookings');
      let missing = target - Number((rows as { n: number }[])[0].n);
      await conn.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
      try {
        while (missing > 0) {
          const size = Math.min(CHUNK, missing);
          const from = filled;
          const to = filled + size - 1;
          // seq is the filler row's number g; j = g div instruments is its place in its instrument's sequence.
          await conn.query(
            `INSERT INTO bookings (instrument_id, user_id, start_at, end_at, status, purpose, created_at, updated_at)
             SELECT m.instrument_id,
                    ? + (t.seq * 7919) % ?,
                    t.start_at,
                    t.start_at + INTERVAL (60 + (t.seq % 2) * 60) MINUTE,
                    IF(t.future, IF(t.seq % 5 = 0, 'CANCELLED', 'CONFIRMED'),
                       ELT(1 + t.seq % 20, 'CANCELLED', 'CANCELLED', 'NO_SHOW', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED',
                           'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED',
                           'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED')),
                    'Earlier measurement', t.start_at, t.start_at
               FROM (
                 SELECT g.seq, g.n, g.future,
                        IF(g.future, ? + INTERVAL (30 * 1440 + (g.j DIV 10) * 180) MINUTE, ? - INTERVAL (15 * 1440 + g.j * 180) MINUTE) AS start_at
                   FROM (SELECT seq, seq % ? AS n, seq DIV ? AS j, (seq DIV ?) % 10 = 0 AS future FROM seq_${from}_to_${to}) g
               ) t
               JOIN bench_filler_instruments m ON m.n = t.n`,
            [firstUser, users, anchor, anchor, instruments, instruments, instruments],
          );
          filled += size;
          missing -= size;
        }
      } finally {
        await conn.query('SET SESSION foreign_key_checks = 1, unique_checks = 1');
      }
      // Fresh statistics, as InnoDB's automatic recalculation would give a long-lived table.
      await conn.query('ANALYZE TABLE bookings');
      return (Date.now() - started) / 1000;
    },
  };
}
