// The data every scenario runs on, written with multi-row INSERTs (seconds, not minutes):
// a catalog of 50 labs × 10 instruments across China and the ten ASEAN states with realistic hours, closures,
// blackouts and a fortnight of bookings; and, apart from it, 24/7 instruments the write scenarios book.
import { DateTime } from 'luxon';
import type mysql from 'mysql2/promise';

export const COUNTRIES: { code: string; zone: string; name: string }[] = [
  { code: 'CN', zone: 'Asia/Shanghai', name: 'China' },
  { code: 'TH', zone: 'Asia/Bangkok', name: 'Thailand' },
  { code: 'VN', zone: 'Asia/Ho_Chi_Minh', name: 'Vietnam' },
  { code: 'ID', zone: 'Asia/Jakarta', name: 'Indonesia' },
  { code: 'MY', zone: 'Asia/Kuala_Lumpur', name: 'Malaysia' },
  { code: 'SG', zone: 'Asia/Singapore', name: 'Singapore' },
  { code: 'PH', zone: 'Asia/Manila', name: 'Philippines' },
  { code: 'BN', zone: 'Asia/Brunei', name: 'Brunei' },
  { code: 'KH', zone: 'Asia/Phnom_Penh', name: 'Cambodia' },
  { code: 'LA', zone: 'Asia/Vientiane', name: 'Laos' },
  { code: 'MM', zone: 'Asia/Yangon', name: 'Myanmar' },
];

export const CATEGORIES = ['nmr', 'mass-spectrometer', 'confocal-microscope', 'sequencer', 'cryo-em', 'x-ray-diffractometer', 'flow-cytometer', 'hplc'];

export const CATALOG_LABS = 50;
export const INSTRUMENTS_PER_LAB = 10;
/** Days ahead that carry bookings on every catalog instrument (covers the 14-day availability window). */
export const BOOKED_DAYS = 16;
export const SPREAD_INSTRUMENTS = 500;
export const USERS = 200;

export interface World {
  builtAt: DateTime;
  catalogLabIds: number[];
  catalogInstrumentIds: number[];
  hotInstrumentId: number;
  spreadInstrumentIds: number[];
  userIds: number[];
  bookingsInWindow: number;
}

/** Deterministic pseudo-random integers, so every run books the same slots. */
export function seededRandom(seed: number): (n: number) => number {
  let state = seed >>> 0 || 1;
  return (n: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

/** Inserts rows in multi-row statements; returns the id of the first row (InnoDB assigns consecutive ids to one statement). */
export async function insertRows(pool: mysql.Pool, table: string, columns: string[], rows: unknown[][], chunk = 2000): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const placeholders = part.map(() => `(${columns.map(() => '?').join(',')})`).join(',');
    const [result] = await pool.query(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${placeholders}`, part.flat());
    const first = (result as mysql.ResultSetHeader).insertId;
    for (let k = 0; k < part.length; k += 1) ids.push(first + k);
  }
  return ids;
}

const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => [weekday, 0, 1440]);

export async function buildWorld(pool: mysql.Pool, now = DateTime.utc()): Promise<World> {
  const random = seededRandom(20240611);

  const institutionIds = await insertRows(
    pool, 'institutions', ['name', 'country_code', 'time_zone'],
    COUNTRIES.map((c) => [`${c.name} Institute of Science`, c.code, c.zone]),
  );
  const userIds = await insertRows(
    pool, 'users', ['institution_id', 'email', 'name', 'time_zone'],
    Array.from({ length: USERS }, (_, i) => {
      const c = i % COUNTRIES.length;
      return [institutionIds[c], `researcher${i + 1}@bench.example`, `Researcher ${i + 1}`, COUNTRIES[c].zone];
    }),
  );

  // Catalog: every lab observes its country's public holidays; a third close over lunch.
  const labRows = Array.from({ length: CATALOG_LABS }, (_, i) => {
    const c = i % COUNTRIES.length;
    return [institutionIds[c], `${COUNTRIES[c].name} Joint Lab ${i + 1}`, COUNTRIES[c].code, COUNTRIES[c].zone, 1];
  });
  const catalogLabIds = await insertRows(pool, 'labs', ['institution_id', 'name', 'country_code', 'time_zone', 'observes_public_holidays'], labRows);
  const hours: unknown[][] = [];
  catalogLabIds.forEach((labId, i) => {
    for (const weekday of [1, 2, 3, 4, 5]) {
      if (i % 3 === 0) hours.push([labId, null, weekday, 8 * 60, 12 * 60], [labId, null, weekday, 13 * 60, 18 * 60]);
      else hours.push([labId, null, weekday, 8 * 60, 18 * 60]);
    }
    hours.push([labId, null, 6, 9 * 60, 13 * 60]);
  });

  const instrumentColumns = [
    'lab_id', 'name', 'category', 'description', 'status', 'requires_approval', 'access_policy',
    'slot_minutes', 'min_minutes', 'max_minutes', 'min_notice_minutes', 'max_advance_days', 'buffer_after_minutes',
  ];
  const instrumentRows: unknown[][] = [];
  catalogLabIds.forEach((labId, l) => {
    for (let k = 0; k < INSTRUMENTS_PER_LAB; k += 1) {
      const n = l * INSTRUMENTS_PER_LAB + k;
      const category = CATEGORIES[n % CATEGORIES.length];
      instrumentRows.push([
        labId, `${category} ${n + 1}`, category, `Shared ${category} of ${labRows[l][1]}`,
        n % 97 === 13 ? 'MAINTENANCE' : 'AVAILABLE', n % 5 === 0 ? 1 : 0, 'OPEN',
        n % 6 === 0 ? 60 : 30, n % 6 === 0 ? 60 : 30, 480, 60, 180, n % 4 === 0 ? 15 : 0,
      ]);
    }
  });
  const catalogInstrumentIds = await insertRows(pool, 'instruments', instrumentColumns, instrumentRows);

  // Write scenarios: one hot instrument and 500 others, open around the clock, no notice, far horizon.
  const bookingLabIds = await insertRows(
    pool, 'labs', ['institution_id', 'name', 'country_code', 'time_zone', 'observes_public_holidays'],
    Array.from({ length: 6 }, (_, i) => [institutionIds[1], `Bench booking lab ${i + 1}`, 'TH', 'Asia/Bangkok', 0]),
  );
  for (const labId of bookingLabIds) for (const [weekday, from, to] of ALL_DAY) hours.push([labId, null, weekday, from, to]);
  const writeRules = [30, 30, 480, 0, 3650, 0];
  const [hotInstrumentId] = await insertRows(pool, 'instruments', instrumentColumns, [
    [bookingLabIds[0], 'Hot NMR 800 MHz', 'nmr', 'The instrument everyone wants', 'AVAILABLE', 0, 'OPEN', ...writeRules],
  ]);
  const spreadInstrumentIds = await insertRows(
    pool, 'instruments', instrumentColumns,
    Array.from({ length: SPREAD_INSTRUMENTS }, (_, i) => [
      bookingLabIds[1 + (i % 5)], `Spread ${CATEGORIES[i % CATEGORIES.length]} ${i + 1}`, CATEGORIES[i % CATEGORIES.length], null,
      'AVAILABLE', 0, 'OPEN', ...writeRules,
    ]),
  );
  await insertRows(pool, 'opening_hours', ['lab_id', 'instrument_id', 'weekday', 'start_minute', 'end_minute'], hours);

  // Two closure days per catalog lab in the coming month, a 4-hour blackout on every fifth instrument.
  const today = now.startOf('day');
  const closures = catalogLabIds.flatMap((labId) => {
    const a = 2 + random(12);
    const b = a + 1 + random(14);
    return [[labId, today.plus({ days: a }).toISODate(), 'Annual maintenance'], [labId, today.plus({ days: b }).toISODate(), 'Staff training']];
  });
  await insertRows(pool, 'lab_closures', ['lab_id', 'day', 'reason'], closures);
  const blackouts = catalogInstrumentIds
    .filter((_, i) => i % 5 === 2)
    .map((instrumentId, i) => {
      const start = today.plus({ days: 1 + random(13), hours: 1 + random(8) });
      return [catalogLabIds[Math.floor(catalogInstrumentIds.indexOf(instrumentId) / INSTRUMENTS_PER_LAB)], instrumentId, 'MAINTENANCE', `Service visit ${i + 1}`, start.toJSDate(), start.plus({ hours: 4 }).toJSDate()];
    });
  await insertRows(pool, 'blackouts', ['lab_id', 'instrument_id', 'kind', 'reason', 'start_at', 'end_at'], blackouts);

  // A booking a day (sometimes two) on every catalog instrument for BOOKED_DAYS days, in lab-local working hours.
  const bookings: unknown[][] = [];
  catalogInstrumentIds.forEach((instrumentId, n) => {
    const zone = labRows[Math.floor(n / INSTRUMENTS_PER_LAB)][3] as string;
    const localToday = now.setZone(zone).startOf('day');
    for (let d = 1; d <= BOOKED_DAYS; d += 1) {
      const day = localToday.plus({ days: d });
      const morning = day.set({ hour: 8 + random(3) });
      bookings.push([instrumentId, userIds[random(USERS)], morning.toUTC().toJSDate(), morning.plus({ minutes: 60 * (1 + random(2)) }).toUTC().toJSDate(), 'CONFIRMED', 'Routine measurement']);
      if (random(8) === 0) {
        const afternoon = day.set({ hour: 14 + random(3) });
        bookings.push([instrumentId, userIds[random(USERS)], afternoon.toUTC().toJSDate(), afternoon.plus({ minutes: 60 }).toUTC().toJSDate(), random(4) === 0 ? 'PENDING' : 'CONFIRMED', 'Sample run']);
      }
    }
  });
  await insertRows(pool, 'bookings', ['instrument_id', 'user_id', 'start_at', 'end_at', 'status', 'purpose'], bookings);

  return { builtAt: now, catalogLabIds, catalogInstrumentIds, hotInstrumentId, spreadInstrumentIds, userIds, bookingsInWindow: bookings.length };
}
