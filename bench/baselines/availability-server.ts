// The bare baseline for reads: Express + mysql2, the same SQL as the application, the same pure scheduling
// functions (freeSpans, busyIntervals) on the same plain schedules, JSON out. No GraphQL, no ORM, no auth,
// no per-viewer time zone rendering: what the stack itself costs.
import express from 'express';
import { DateTime, Interval } from 'luxon';
import { busyIntervals } from '../../src/scheduling';
import { freeSpans } from '../../src/scheduling/free-time';
import { createPool } from '../lib/db';
import type { LoadedSchedule } from '../../src/availability/schedules';
import { bareLoadSchedules } from './bare-schedules';

const pool = createPool(process.env.DATABASE_URL as string, Number(process.env.DATABASE_POOL_MAX ?? 10));
const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '1mb' }));

app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});

function freeBusy(loaded: LoadedSchedule, range: Interval, now: DateTime, minMinutes: number | undefined) {
  const span = { start: range.start!.toMillis(), end: range.end!.toMillis() };
  return {
    instrumentId: String(loaded.instrument.id),
    labTimeZone: loaded.schedule.zone,
    status: loaded.schedule.status,
    free: freeSpans(loaded.schedule, span, { now, minMinutes }).map((s) => ({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString() })),
    busy: busyIntervals(loaded.schedule, range).map((b) => ({ start: b.interval.start!.toISO(), end: b.interval.end!.toISO(), kind: b.kind })),
  };
}

const rangeOf = (from: string, to: string) => Interval.fromDateTimes(DateTime.fromISO(from, { zone: 'utc' }), DateTime.fromISO(to, { zone: 'utc' }));

app.post('/availability', async (req, res) => {
  const { instrumentIds, from, to, minMinutes } = req.body as { instrumentIds: (string | number)[]; from: string; to: string; minMinutes?: number };
  const ids = instrumentIds.map(Number);
  const range = rangeOf(from, to);
  const loaded = await bareLoadSchedules(pool, ids, range);
  const now = DateTime.utc();
  res.json({ data: { availability: ids.map((id) => (loaded.has(id) ? freeBusy(loaded.get(id)!, range, now, minMinutes) : null)) } });
});

// The catalogue's free-window filter: candidates in id order, in batches of 100, kept when they have a free run.
const INSTRUMENT_COLUMNS =
  'id, lab_id, kind, name, category, description, status, requires_approval, requires_check_in, access_policy, slot_minutes, ' +
  'min_minutes, max_minutes, min_notice_minutes, max_advance_days, buffer_after_minutes, booking_seq, created_at, updated_at';

app.post('/search', async (req, res) => {
  const { from, to, minMinutes, first } = req.body as { from: string; to: string; minMinutes?: number; first: number };
  const range = rangeOf(from, to);
  const span = { start: range.start!.toMillis(), end: range.end!.toMillis() };
  const now = DateTime.utc();
  const found: Record<string, unknown>[] = [];
  let afterId = 0;
  let scanned = 0;
  for (;;) {
    const [rows] = await pool.query(
      `SELECT ${INSTRUMENT_COLUMNS} FROM instruments WHERE status = 'AVAILABLE'${minMinutes !== undefined ? ' AND max_minutes >= ?' : ''} AND id > ? ORDER BY id ASC LIMIT 100`,
      minMinutes !== undefined ? [minMinutes, afterId] : [afterId],
    );
    const candidates = rows as { id: number; name: string; category: string }[];
    if (candidates.length === 0) break;
    const loaded = await bareLoadSchedules(pool, candidates.map((c) => c.id), range);
    const free = new Set<number>();
    for (const [id, { schedule }] of loaded) if (freeSpans(schedule, span, { now, minMinutes }).length > 0) free.add(id);
    for (const c of candidates) {
      if (free.has(c.id)) found.push({ id: String(c.id), name: c.name, category: c.category });
      if (found.length > first) break;
    }
    scanned += candidates.length;
    afterId = candidates[candidates.length - 1].id;
    if (found.length > first || candidates.length < 100 || scanned >= 1000) break;
  }
  res.json({ data: { instruments: { nodes: found.slice(0, first), pageInfo: { hasNextPage: found.length > first } } } });
});

app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(500).json({ error: error.message });
});

const server = app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
const stop = () => {
  server.close();
  void pool.end().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
