// Idempotent demo data: joint labs in China and the ten ASEAN states (plus a partner in Europe/Berlin),
// their instruments, people and a fortnight of bookings around `now`. Every row is found by its natural key
// before it is inserted, so a second run (or a run after people have used the demo) adds nothing twice.
import { DateTime } from 'luxon';
import { DatabaseError, Op, QueryTypes, UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';
import {
  Booking, BookingHistory, Institution, Instrument, Lab, LabClosure, LabMembership, OpeningHour, UsageLog, User, initModels,
} from '../src/db/models';
import type { BookingStatus } from '../src/db/models';
import type { WeeklyWindow, Weekday } from '../src/scheduling/types';
import { holidayDates, upcomingClosures } from './closed-days';
import { BOOKINGS } from './data/bookings';
import { INSTITUTIONS } from './data/institutions';
import { INSTRUMENTS } from './data/instruments';
import { LABS } from './data/labs';
import type { BookingSeed, WindowSeed } from './data/types';
import { USERS } from './data/users';
import { findSlot, parseClock, type Span } from './slots';

export { DEMO_USERS } from './data/users';

export interface SeedDemoOptions {
  /** The seeding instant; bookings are placed around it. */
  now: DateTime;
}

export interface SeedDemoResult {
  /** Whether this run inserted any row. */
  created: boolean;
  /** Rows per table after the run. */
  counts: Record<string, number>;
}

/** Tables the seeder writes, in dependency order. */
export const SEEDED_TABLES = [
  'institutions', 'users', 'labs', 'lab_memberships', 'instruments', 'opening_hours', 'lab_closures',
  'bookings', 'booking_history', 'usage_logs',
] as const;

/** Upcoming demo bookings are spread over this many lab-local days from today. */
const HORIZON_DAYS = 14;
/** Bookings that still hold or have used an instrument; a new demo booking keeps clear of them. */
const OCCUPYING: BookingStatus[] = ['PENDING', 'CONFIRMED', 'COMPLETED', 'NO_SHOW'];
const MAX_ATTEMPTS = 3;

export async function isDatabaseEmpty(sequelize: Sequelize): Promise<boolean> {
  initModels(sequelize);
  return (await Institution.count()) === 0;
}

export async function seedDemo(sequelize: Sequelize, opts: SeedDemoOptions): Promise<SeedDemoResult> {
  initModels(sequelize);
  const now = opts.now.toUTC();
  for (let attempt = 1; ; attempt++) {
    try {
      const inserted = await sequelize.transaction((transaction) => seedAll(transaction, now));
      return { created: inserted > 0, counts: await countRows(sequelize) };
    } catch (error) {
      // Two processes seeding at once: the loser rolls back whole on a deadlock or duplicate key, and its
      // retry then finds the winner's rows.
      if (attempt >= MAX_ATTEMPTS || !isContention(error)) throw error;
    }
  }
}

async function countRows(sequelize: Sequelize): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of SEEDED_TABLES) {
    const [row] = await sequelize.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`, { type: QueryTypes.SELECT });
    counts[table] = Number(row.n);
  }
  return counts;
}

function isContention(error: unknown): boolean {
  if (error instanceof UniqueConstraintError) return true;
  const errno = error instanceof DatabaseError ? (error.parent as { errno?: number }).errno : undefined;
  return errno === 1213 /* deadlock */ || errno === 1205; /* lock wait timeout */
}

function expandWindows(windows: readonly WindowSeed[]): WeeklyWindow[] {
  return windows.flatMap((w) => w.days.map((weekday) => ({ weekday, startMinute: parseClock(w.from), endMinute: parseClock(w.to) })));
}

function byKey<T>(rows: T[], key: (row: T) => string): Map<string, T> {
  return new Map(rows.map((row) => [key(row), row]));
}

/** Returns how many rows it inserted. All reads lock (FOR UPDATE): they see the latest committed rows, and a
 *  concurrent seeder blocks or deadlocks instead of duplicating rows in tables without a unique natural key. */
async function seedAll(transaction: Transaction, now: DateTime): Promise<number> {
  const lock = transaction.LOCK.UPDATE;
  let inserted = 0;

  // Institutions, by name.
  const institutionRows = byKey(
    await Institution.findAll({ where: { name: INSTITUTIONS.map((i) => i.name) }, lock, transaction }),
    (row) => row.name,
  );
  const institutionId = new Map<string, number>();
  for (const seed of INSTITUTIONS) {
    let row = institutionRows.get(seed.name);
    if (!row) {
      row = await Institution.create({ name: seed.name, countryCode: seed.countryCode, timeZone: seed.timeZone }, { transaction });
      inserted++;
    }
    institutionId.set(seed.ref, row.id);
  }

  // Users, by email.
  const userRows = byKey(await User.findAll({ where: { email: USERS.map((u) => u.email) }, lock, transaction }), (row) => row.email);
  const users = new Map<string, User>();
  for (const seed of USERS) {
    let row = userRows.get(seed.email);
    if (!row) {
      row = await User.create(
        {
          institutionId: mustGet(institutionId, seed.institution, 'institution'),
          email: seed.email,
          name: seed.name,
          timeZone: seed.timeZone,
          locale: seed.locale,
          isAdmin: seed.isAdmin ?? false,
        },
        { transaction },
      );
      inserted++;
    }
    users.set(seed.email, row);
  }
  const userId = (email: string) => mustGet(users, email, 'user').id;

  // Labs, by name.
  const labRows = byKey(await Lab.findAll({ where: { name: LABS.map((l) => l.name) }, lock, transaction }), (row) => row.name);
  const labs = new Map<string, Lab>();
  for (const seed of LABS) {
    let row = labRows.get(seed.name);
    if (!row) {
      row = await Lab.create(
        {
          institutionId: mustGet(institutionId, seed.institution, 'institution'),
          name: seed.name,
          countryCode: seed.countryCode,
          timeZone: seed.timeZone,
          observesPublicHolidays: seed.observesPublicHolidays,
          holidayRegion: seed.holidayRegion,
        },
        { transaction },
      );
      inserted++;
    }
    labs.set(seed.ref, row);
  }
  const labIds = [...labs.values()].map((lab) => lab.id);

  // Memberships, by (lab, user); an existing membership keeps whatever role it has now.
  const membershipRows = byKey(
    await LabMembership.findAll({ where: { labId: labIds }, lock, transaction }),
    (row) => `${row.labId}:${row.userId}`,
  );
  for (const seed of LABS) {
    const labId = mustGet(labs, seed.ref, 'lab').id;
    const wanted = [{ email: seed.manager, role: 'MANAGER' as const }, ...seed.members.map((email) => ({ email, role: 'MEMBER' as const }))];
    for (const { email, role } of wanted) {
      if (membershipRows.has(`${labId}:${userId(email)}`)) continue;
      await LabMembership.create({ labId, userId: userId(email), role }, { transaction });
      inserted++;
    }
  }

  // Instruments, by (lab, name).
  const instrumentRows = byKey(
    await Instrument.findAll({ where: { labId: labIds }, lock, transaction }),
    (row) => `${row.labId}:${row.name}`,
  );
  const instruments = new Map<string, Instrument>();
  for (const seed of INSTRUMENTS) {
    const labId = mustGet(labs, seed.lab, 'lab').id;
    let row = instrumentRows.get(`${labId}:${seed.name}`);
    if (!row) {
      row = await Instrument.create(
        {
          labId,
          kind: seed.kind,
          name: seed.name,
          category: seed.category,
          description: seed.description,
          status: seed.status ?? 'AVAILABLE',
          requiresApproval: seed.requiresApproval ?? false,
          requiresCheckIn: seed.requiresCheckIn ?? false,
          accessPolicy: seed.accessPolicy ?? 'OPEN',
          slotMinutes: seed.slotMinutes,
          minMinutes: seed.minMinutes,
          maxMinutes: seed.maxMinutes,
          minNoticeMinutes: seed.minNoticeMinutes,
          maxAdvanceDays: seed.maxAdvanceDays,
          bufferAfterMinutes: seed.bufferAfterMinutes,
        },
        { transaction },
      );
      inserted++;
    }
    instruments.set(seed.ref, row);
  }

  // Opening hours, only for a lab or instrument that has none yet (hours someone edited stay as they are).
  const hourRows = await OpeningHour.findAll({ where: { labId: labIds }, lock, transaction });
  const labsWithHours = new Set(hourRows.filter((h) => h.instrumentId === null).map((h) => h.labId));
  const instrumentsWithHours = new Set(hourRows.map((h) => h.instrumentId).filter((id): id is number => id !== null));
  const newHours: { labId: number; instrumentId: number | null; weekday: number; startMinute: number; endMinute: number }[] = [];
  for (const seed of LABS) {
    const labId = mustGet(labs, seed.ref, 'lab').id;
    if (labsWithHours.has(labId)) continue;
    for (const w of expandWindows(seed.hours)) newHours.push({ labId, instrumentId: null, ...w });
  }
  for (const seed of INSTRUMENTS) {
    const instrument = mustGet(instruments, seed.ref, 'instrument');
    if (!seed.hours || instrumentsWithHours.has(instrument.id)) continue;
    for (const w of expandWindows(seed.hours)) newHours.push({ labId: instrument.labId, instrumentId: instrument.id, ...w });
  }
  if (newHours.length) {
    await OpeningHour.bulkCreate(newHours, { transaction });
    inserted += newHours.length;
  }

  // Festival closures for the coming year (date-holidays has no calendar for MM, KH or LA).
  for (const seed of LABS) {
    if (!seed.closures) continue;
    const lab = mustGet(labs, seed.ref, 'lab');
    const wanted = upcomingClosures(seed.closures, lab.timeZone, now);
    const existing = new Set(
      (await LabClosure.findAll({ where: { labId: lab.id, day: wanted.map((c) => c.day) }, lock, transaction })).map((c) => c.day),
    );
    const missing = wanted.filter((c) => !existing.has(c.day));
    if (missing.length) {
      await LabClosure.bulkCreate(missing.map((c) => ({ labId: lab.id, day: c.day, reason: c.reason, source: 'MANUAL' as const })), { transaction });
      inserted += missing.length;
    }
  }

  inserted += await seedBookings(transaction, now, { users, labs, instruments });
  return inserted;
}

interface Seeded {
  users: Map<string, User>;
  labs: Map<string, Lab>;
  instruments: Map<string, Instrument>;
}

/** Bookings, by (user, idempotency key). Each is placed with the rules the booking service enforces. */
async function seedBookings(transaction: Transaction, now: DateTime, seeded: Seeded): Promise<number> {
  const lock = transaction.LOCK.UPDATE;
  const existing = byKey(
    await Booking.findAll({
      where: { idempotencyKey: BOOKINGS.map((b) => b.key), userId: [...new Set(BOOKINGS.map((b) => mustGet(seeded.users, b.user, 'user').id))] },
      lock,
      transaction,
    }),
    (row) => `${row.userId}:${row.idempotencyKey}`,
  );
  const missing = BOOKINGS.filter((b) => !existing.has(`${mustGet(seeded.users, b.user, 'user').id}:${b.key}`));
  if (!missing.length) return 0;

  const labOf = new Map([...seeded.labs.values()].map((lab) => [lab.id, lab]));
  const managerOf = new Map(LABS.map((seed) => [mustGet(seeded.labs, seed.ref, 'lab').id, mustGet(seeded.users, seed.manager, 'user').id]));
  const closedDays = new Map<number, Set<string>>();
  const busy = new Map<number, Span[]>();
  let inserted = 0;

  for (const seed of missing) {
    const user = mustGet(seeded.users, seed.user, 'user');
    // The instrument row lock serialises booking writers (the booking service takes it first too).
    const instrument = await Instrument.findByPk(mustGet(seeded.instruments, seed.instrument, 'instrument').id, { lock, transaction });
    if (!instrument) continue;
    const lab = mustGet(labOf, instrument.labId, 'lab');
    const upcoming = seed.status !== 'COMPLETED';
    // Rules may have been edited since the first run: skip a wish the instrument no longer accepts.
    if (upcoming && instrument.status !== 'AVAILABLE') continue;
    if (seed.minutes < instrument.minMinutes || seed.minutes > instrument.maxMinutes || seed.minutes % instrument.slotMinutes !== 0) continue;

    if (!busy.has(instrument.id)) {
      const held = await Booking.findAll({ where: { instrumentId: instrument.id, status: OCCUPYING }, lock, transaction });
      busy.set(instrument.id, held.map((b) => ({ start: DateTime.fromJSDate(b.startAt, { zone: 'utc' }), end: DateTime.fromJSDate(b.endAt, { zone: 'utc' }) })));
    }
    if (!closedDays.has(lab.id)) closedDays.set(lab.id, await loadClosedDays(lab, now, transaction));

    const span = findSlot({
      zone: lab.timeZone,
      windows: await effectiveHours(instrument, transaction),
      slotMinutes: instrument.slotMinutes,
      bufferAfterMinutes: instrument.bufferAfterMinutes,
      minutes: seed.minutes,
      startMinute: parseClock(seed.at),
      days: candidateDays(seed, lab.timeZone, now),
      isClosed: (day) => closedDays.get(lab.id)!.has(day),
      busy: busy.get(instrument.id)!,
      notBefore: upcoming ? now.plus({ minutes: instrument.minNoticeMinutes }) : now.minus({ days: HORIZON_DAYS + 1 }),
      notAfter: upcoming ? now.plus({ days: instrument.maxAdvanceDays }) : now,
    });
    if (!span) continue; // nothing fits around this `now` (e.g. a long holiday); the demo does without it

    const decided = instrument.requiresApproval && seed.status !== 'PENDING';
    const checkedIn = seed.status === 'COMPLETED' && instrument.requiresCheckIn;
    const checkedInAt = checkedIn ? span.start.plus({ minutes: 5 }) : null;
    const checkedOutAt = checkedIn ? span.end.minus({ minutes: 10 }) : null;
    const booking = await Booking.create(
      {
        instrumentId: instrument.id,
        userId: user.id,
        startAt: span.start.toJSDate(),
        endAt: span.end.toJSDate(),
        status: seed.status,
        purpose: seed.purpose,
        idempotencyKey: seed.key,
        decidedBy: decided ? (managerOf.get(lab.id) ?? null) : null,
        decidedAt: decided ? (upcoming ? now.minus({ hours: 2 }) : span.start.minus({ days: 1 })).toJSDate() : null,
        checkedInAt: checkedInAt?.toJSDate() ?? null,
        checkedOutAt: checkedOutAt?.toJSDate() ?? null,
      },
      { transaction },
    );
    await BookingHistory.create(
      { bookingId: booking.id, actorUserId: user.id, fromStatus: null, toStatus: seed.status, note: 'Demo data' },
      { transaction },
    );
    inserted += 2;
    if (seed.status === 'COMPLETED') {
      await UsageLog.create(
        {
          bookingId: booking.id,
          instrumentId: instrument.id,
          labId: lab.id,
          userId: user.id,
          institutionId: user.institutionId,
          outcome: 'COMPLETED',
          bookedMinutes: seed.minutes,
          usedMinutes: checkedInAt && checkedOutAt ? checkedOutAt.diff(checkedInAt, 'minutes').minutes : seed.minutes,
          startAt: span.start.toJSDate(),
          endAt: span.end.toJSDate(),
        },
        { transaction },
      );
      inserted++;
    }
    await instrument.increment('bookingSeq', { transaction });
    busy.get(instrument.id)!.push(span);
  }
  return inserted;
}

/** Upcoming: from the wished day to the end of the horizon. Past: the wished day, then earlier ones. */
function candidateDays(seed: BookingSeed, zone: string, now: DateTime): DateTime[] {
  const today = now.setZone(zone).startOf('day');
  const offsets: number[] = [];
  if (seed.status === 'COMPLETED') {
    for (let d = Math.min(seed.day, 0); d >= -HORIZON_DAYS; d--) offsets.push(d);
  } else {
    for (let d = Math.max(seed.day, 0); d < HORIZON_DAYS; d++) offsets.push(d);
  }
  return offsets.map((days) => today.plus({ days }));
}

async function effectiveHours(instrument: Instrument, transaction: Transaction): Promise<WeeklyWindow[]> {
  const rows = await OpeningHour.findAll({
    where: { labId: instrument.labId, [Op.or]: [{ instrumentId: instrument.id }, { instrumentId: null }] },
    transaction,
  });
  const own = rows.filter((r) => r.instrumentId === instrument.id);
  return (own.length ? own : rows.filter((r) => r.instrumentId === null)).map((r) => ({
    weekday: r.weekday as Weekday,
    startMinute: r.startMinute,
    endMinute: r.endMinute,
  }));
}

async function loadClosedDays(lab: Lab, now: DateTime, transaction: Transaction): Promise<Set<string>> {
  const year = now.setZone(lab.timeZone).year;
  const closed = lab.observesPublicHolidays ? holidayDates(lab.countryCode, lab.holidayRegion, [year - 1, year, year + 1]) : new Set<string>();
  for (const closure of await LabClosure.findAll({ where: { labId: lab.id }, transaction })) closed.add(closure.day);
  return closed;
}

function mustGet<K, V>(map: Map<K, V>, key: K, what: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`Demo data refers to an unknown ${what}: ${String(key)}`);
  return value;
}
