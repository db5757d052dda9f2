// Property-based checks of the scheduling core over random zones, windows, bookings and DST-spanning ranges.
import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime, Interval } from 'luxon';
import {
  busyIntervals,
  ceilToSlot,
  freeIntervals,
  intersectIntervals,
  openIntervals,
  subtractIntervals,
  validateBooking,
} from '../../src/scheduling';
import type { BookingRules, ClosedDay, InstrumentSchedule, InstrumentStatus, WeeklyWindow, Weekday } from '../../src/scheduling';
import { onLocalGrid } from './fixtures';

const MIN = 60_000;
const DAY = 86_400_000;
const ZONES = ['Asia/Yangon', 'Asia/Kathmandu', 'Asia/Shanghai', 'Asia/Bangkok', 'Europe/Berlin', 'Australia/Sydney', 'America/New_York', 'UTC'];
// DST changes in 2026: New York 03-08/11-01, Berlin 03-29/10-25, Sydney 04-05/10-04
const DST_DAYS = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-10-04', '2026-10-25', '2026-11-01'].map((d) => Date.parse(`${d}T00:00:00Z`));
const RUNS = 200;

/** Uniform in [min, max]; fc.double is uniform over representable doubles, which crowd around 0. */
const fraction = (min: number, max: number) => fc.integer({ min: Math.round(min * 10_000), max: Math.round(max * 10_000) }).map((n) => n / 10_000);

const utc = (ms: number) => DateTime.fromMillis(ms, { zone: 'utc' });
const interval = (a: number, b: number) => Interval.fromDateTimes(utc(a), utc(b));
const ms = (dt: DateTime | null) => dt!.toMillis();

interface Scenario {
  schedule: InstrumentSchedule;
  range: Interval;
  now: DateTime;
  minMinutes: number | undefined;
  picks: [number, number][];
}

const windowArb: fc.Arbitrary<WeeklyWindow> = fc
  .record({ weekday: fc.integer({ min: 1, max: 7 }), start: fc.integer({ min: 0, max: 95 }), len: fc.integer({ min: 1, max: 96 }) })
  .map(({ weekday, start, len }) => ({ weekday: weekday as Weekday, startMinute: start * 15, endMinute: Math.min(1440, (start + len) * 15) }));

const windowsArb = fc.oneof(
  { weight: 3, arbitrary: fc.array(windowArb, { minLength: 2, maxLength: 24 }) },
  { weight: 1, arbitrary: fc.constant(([1, 2, 3, 4, 5, 6, 7] as Weekday[]).map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440 }))) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.integer({ min: 0, max: 48 }), fc.integer({ min: 1, max: 48 })).map(([s, l]) =>
      ([1, 2, 3, 4, 5, 6, 7] as Weekday[]).map((weekday) => ({ weekday, startMinute: s * 15, endMinute: Math.min(1440, (s + l) * 15) })),
    ),
  },
);

const rulesArb: fc.Arbitrary<BookingRules> = fc
  .record({
    slotMinutes: fc.constantFrom(5, 10, 15, 20, 30, 45, 60, 90, 120),
    minMinutes: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 90 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 300 }) }),
    extra: fc.integer({ min: 0, max: 720 }),
    minNoticeMinutes: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 120 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 3000 }) }),
    maxAdvanceDays: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 7, max: 30 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 6 }) }),
    bufferAfterMinutes: fc.integer({ min: 0, max: 90 }),
  })
  .map(({ extra, ...r }) => ({ ...r, maxMinutes: r.minMinutes + extra }));

const scenarioArb: fc.Arbitrary<Scenario> = fc.noBias(fc
  .record({
    zone: fc.constantFrom(...ZONES),
    anchor: fc.oneof(fc.constantFrom(...DST_DAYS), fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-20T00:00:00Z') })),
    shift: fc.integer({ min: -3 * DAY, max: 2 * DAY }),
    length: fc.oneof(fc.integer({ min: 60 * MIN, max: DAY }), fc.integer({ min: DAY, max: 10 * DAY })),
    nowShift: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -2 * DAY, max: 0 }) }, { weight: 1, arbitrary: fc.integer({ min: -4 * DAY, max: 2 * DAY }) }),
    windows: windowsArb,
    rules: rulesArb,
    status: fc.oneof(
      { weight: 10, arbitrary: fc.constant<InstrumentStatus>('AVAILABLE') },
      { weight: 1, arbitrary: fc.constantFrom<InstrumentStatus>('MAINTENANCE', 'RETIRED') },
    ),
    bookings: fc.array(fc.tuple(fraction(-0.2, 1.2), fc.integer({ min: 1, max: 600 })), { maxLength: 8 }),
    blackouts: fc.array(fc.tuple(fraction(-0.2, 1.2), fc.integer({ min: 1, max: 2880 })), { maxLength: 3 }),
    closed: fc.array(fc.integer({ min: -1, max: 11 }), { maxLength: 3 }),
    minMinutes: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined, freq: 4 }),
    picks: fc.array(fc.tuple(fraction(0, 1), fraction(0, 1)), { minLength: 3, maxLength: 3 }),
  })
  .map((g) => {
    const start = g.anchor + g.shift;
    const end = start + g.length;
    const at = (f: number) => Math.round((start + f * g.length) / MIN) * MIN; // bookings on whole minutes, as the database stores them
    const firstDay = DateTime.fromMillis(start, { zone: g.zone }).startOf('day');
    const closedDays: ClosedDay[] = [...new Set(g.closed)].map((d) => ({ date: firstDay.plus({ days: d }).toISODate()!, reason: `Closed ${d}`, kind: 'CLOSURE' }));
    return {
      schedule: {
        zone: g.zone,
        openingHours: g.windows,
        rules: g.rules,
        status: g.status,
        bookings: g.bookings.map(([f, len]) => ({ interval: interval(at(f), at(f) + len * MIN) })),
        blackouts: g.blackouts.map(([f, len], i) => ({ interval: interval(at(f), at(f) + len * MIN), reason: `Blackout ${i}` })),
        closedDays,
      },
      range: interval(start, end),
      now: utc(start + g.nowShift),
      minMinutes: g.minMinutes,
      picks: g.picks,
    };
  }));

function free(s: Scenario): Interval[] {
  return freeIntervals(s.schedule, s.range, { now: s.now, minMinutes: s.minMinutes });
}

/** Luxon's own idea of a closed day: [local midnight, next local midnight). */
function closedDaySpan(date: string, zone: string): Interval {
  const day = DateTime.fromISO(date, { zone }).startOf('day');
  return Interval.fromDateTimes(day, day.plus({ days: 1 }).startOf('day'));
}

const overlapsSpan = (a: Interval, s: number, e: number) => ms(a.start) < e && s < ms(a.end);

describe('scheduling properties', () => {
  it('keeps free time clear of bookings with buffers, blackouts and closed days, and inside opening hours', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const result = free(s);
        const { schedule } = s;
        if (schedule.status !== 'AVAILABLE') {
          expect(result).to.deep.equal([]);
          return;
        }
        const buffer = schedule.rules.bufferAfterMinutes * MIN;
        const open = openIntervals(schedule.zone, schedule.openingHours, s.range, []);
        for (const f of result) {
          for (const b of schedule.bookings) expect(overlapsSpan(f, ms(b.interval.start) - buffer, ms(b.interval.end) + buffer)).to.equal(false);
          for (const b of schedule.blackouts) expect(overlapsSpan(f, ms(b.interval.start), ms(b.interval.end))).to.equal(false);
          for (const c of schedule.closedDays) {
            const day = closedDaySpan(c.date, schedule.zone);
            expect(overlapsSpan(f, ms(day.start), ms(day.end)), c.date).to.equal(false);
          }
          expect(open.some((o) => o.engulfs(f)), `${f.toISO()} inside opening hours`).to.equal(true);
          expect(s.range.engulfs(f)).to.equal(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts every free interval and random grid-aligned sub-span of one that meets the length rules', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { schedule } = s;
        const { rules, zone } = schedule;
        const opts = { now: s.now, viewerZone: 'UTC' };
        for (const f of free(s)) {
          const minutes = f.length('minutes');
          if (minutes >= rules.minMinutes && minutes <= rules.maxMinutes) {
            expect(validateBooking(schedule, { start: f.start!, end: f.end! }, opts), f.toISO()).to.deep.equal([]);
          }
          for (const [p, q] of s.picks) {
            const start = ceilToSlot(utc(ms(f.start) + Math.floor(p * f.length('milliseconds'))), zone, rules.slotMinutes);
            // every grid instant after `start` that gives an allowed length and stays inside the free run
            const ends: DateTime[] = [];
            for (let e = ceilToSlot(utc(ms(start) + 1), zone, rules.slotMinutes); ms(e) <= ms(f.end); e = ceilToSlot(utc(ms(e) + 1), zone, rules.slotMinutes)) {
              const length = (ms(e) - ms(start)) / MIN;
              if (length > rules.maxMinutes) break;
              if (length >= rules.minMinutes) ends.push(e);
            }
            if (ends.length === 0) continue;
            const end = ends[Math.min(ends.length - 1, Math.floor(q * ends.length))];
            expect(onLocalGrid(start, zone, rules.slotMinutes) && onLocalGrid(end, zone, rules.slotMinutes)).to.equal(true);
            expect(validateBooking(schedule, { start, end }, opts), `${start.toISO()}/${end.toISO()} in ${f.toISO()}`).to.deep.equal([]);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('never lets free time plus busy time within opening hours exceed the opening hours', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const open = openIntervals(s.schedule.zone, s.schedule.openingHours, s.range, s.schedule.closedDays);
        const busy = intersectIntervals(busyIntervals(s.schedule, s.range).map((b) => b.interval), open);
        const union = [...free(s), ...busy];
        expect(subtractIntervals(union, open)).to.deep.equal([]);
        // free and busy never share an instant
        expect(intersectIntervals(free(s), busy)).to.deep.equal([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('returns free intervals sorted, apart, on the lab-local grid and long enough', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { rules, zone } = s.schedule;
        const result = free(s);
        const minimum = Math.max(s.minMinutes ?? 0, rules.minMinutes);
        result.forEach((f, i) => {
          expect(ms(f.end)).to.be.greaterThan(ms(f.start));
          if (i > 0) expect(ms(result[i - 1].end)).to.be.below(ms(f.start));
          expect(onLocalGrid(f.start!, zone, rules.slotMinutes), `start ${f.start!.setZone(zone).toISO()}`).to.equal(true);
          expect(onLocalGrid(f.end!, zone, rules.slotMinutes), `end ${f.end!.setZone(zone).toISO()}`).to.equal(true);
          expect(f.length('minutes')).to.be.at.least(minimum);
          expect(ms(f.start)).to.be.at.least(ms(s.now) + rules.minNoticeMinutes * MIN);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts a grid-aligned request only if it lies inside free time', () => {
    fc.assert(
      fc.property(scenarioArb, fc.boolean(), fraction(0, 1), fraction(0, 1), fc.integer({ min: 0, max: 6 }), (s, fromFree, which, f, extraSlots) => {
        const { rules, zone } = s.schedule;
        // Requests start inside opening hours or free time (computed over another range), so many are acceptable.
        const pool = fromFree ? free(s) : openIntervals(zone, s.schedule.openingHours, s.range, []);
        const base = pool.length > 0 ? pool[Math.min(pool.length - 1, Math.floor(which * pool.length))] : s.range;
        const start = ceilToSlot(utc(ms(base.start) + Math.floor(f * base.length('milliseconds'))), zone, rules.slotMinutes);
        const slots = Math.max(1, Math.ceil(rules.minMinutes / rules.slotMinutes)) + extraSlots;
        const end = ceilToSlot(utc(ms(start) + slots * rules.slotMinutes * MIN), zone, rules.slotMinutes);
        if (validateBooking(s.schedule, { start, end }, { now: s.now, viewerZone: zone }).length > 0) return;
        const around = interval(ms(start) - DAY, ms(end) + DAY);
        const container = freeIntervals(s.schedule, around, { now: s.now });
        expect(container.some((c) => c.engulfs(interval(ms(start), ms(end)))), `${start.toISO()}/${end.toISO()}`).to.equal(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('opens exactly when the lab-local wall clock is inside a window (away from DST changes)', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fraction(0, 1), { minLength: 20, maxLength: 20 }), (s, points) => {
        const { zone, openingHours, closedDays } = s.schedule;
        const open = openIntervals(zone, openingHours, s.range, closedDays);
        const closed = new Set(closedDays.map((c) => c.date));
        for (const p of points) {
          const t = ms(s.range.start) + Math.min(Math.floor(p * s.range.length('milliseconds')), s.range.length('milliseconds') - 1);
          const local = utc(t).setZone(zone);
          if (utc(t - 3 * 3_600_000).setZone(zone).offset !== utc(t + 3 * 3_600_000).setZone(zone).offset) continue;
          const minute = local.hour * 60 + local.minute + (local.second * 1000 + local.millisecond) / MIN;
          const expected =
            !closed.has(local.toISODate()!) &&
            openingHours.some((w) => w.weekday === local.weekday && w.startMinute <= minute && minute < w.endMinute);
          const actual = open.some((o) => ms(o.start) <= t && t < ms(o.end));
          expect(actual, `${local.toISO()} (${local.weekdayShort})`).to.equal(expected);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
