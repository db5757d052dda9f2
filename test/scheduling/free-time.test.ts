import { expect } from 'chai';
import { DateTime } from 'luxon';
import { busyIntervals, freeIntervals, validateBooking } from '../../src/scheduling';
import type { InstrumentSchedule } from '../../src/scheduling';
import { AROUND_THE_CLOCK, at, everyDay, iso, schedule, span } from './fixtures';

const BKK = 'Asia/Bangkok';
const monday = (time: string) => at(`2026-03-02T${time}`, BKK);
const NOW = at('2026-03-01T12:00', BKK);

describe('freeIntervals', () => {
  it('leaves each booking its after-buffer and keeps a new booking’s buffer clear of it', () => {
    const s = schedule({ rules: { bufferAfterMinutes: 30 }, bookings: [{ interval: span('2026-03-02T10:00', '2026-03-02T11:00', BKK) }] });
    const free = freeIntervals(s, span('2026-03-02', '2026-03-03', BKK), { now: NOW });
    // 08:00–09:30 (a booking ending 09:30 has its 30-minute buffer end at 10:00) and 11:30–20:00 local
    expect(iso(free)).to.deep.equal(['2026-03-02T01:00:00.000Z/2026-03-02T02:30:00.000Z', '2026-03-02T04:30:00.000Z/2026-03-02T13:00:00.000Z']);
  });

  it('is empty when the instrument is under maintenance or retired', () => {
    for (const status of ['MAINTENANCE', 'RETIRED'] as const) {
      expect(freeIntervals(schedule({ status }), span('2026-03-02', '2026-03-03', BKK), { now: NOW })).to.deep.equal([]);
    }
  });

  it('starts no earlier than now + minimum notice, rounded up to the slot grid', () => {
    const free = freeIntervals(schedule(), span('2026-03-02', '2026-03-03', BKK), { now: monday('09:10') });
    expect(iso(free)).to.deep.equal(['2026-03-02T03:30:00.000Z/2026-03-02T13:00:00.000Z']); // 10:30–20:00 local
  });

  it('ends no later than now + maxAdvanceDays, rounded down to the slot grid', () => {
    const s = schedule({ rules: { maxAdvanceDays: 1 }, openingHours: AROUND_THE_CLOCK });
    const free = freeIntervals(s, span('2026-03-02', '2026-03-05', BKK), { now: monday('09:10') });
    expect(iso(free)).to.deep.equal(['2026-03-02T03:30:00.000Z/2026-03-03T02:00:00.000Z']); // until 03-03 09:00 local
  });

  it('removes blackouts and closed days', () => {
    const s = schedule({
      blackouts: [{ interval: span('2026-03-02T12:00', '2026-03-02T14:00', BKK), reason: 'Calibration' }],
      closedDays: [{ date: '2026-03-03', reason: 'Lab retreat', kind: 'CLOSURE' }],
    });
    const free = freeIntervals(s, span('2026-03-02', '2026-03-05', BKK), { now: NOW });
    expect(iso(free)).to.deep.equal([
      '2026-03-02T01:00:00.000Z/2026-03-02T05:00:00.000Z',
      '2026-03-02T07:00:00.000Z/2026-03-02T13:00:00.000Z',
      '2026-03-04T01:00:00.000Z/2026-03-04T13:00:00.000Z',
    ]);
  });

  it('drops runs shorter than the minimum length, from the rules or from the caller', () => {
    const s = schedule({
      rules: { minMinutes: 60 },
      blackouts: [
        { interval: span('2026-03-02T08:30', '2026-03-02T12:00', BKK), reason: 'Service' },
        { interval: span('2026-03-02T14:00', '2026-03-02T20:00', BKK), reason: 'Service' },
      ],
    });
    const range = span('2026-03-02', '2026-03-03', BKK);
    expect(iso(freeIntervals(s, range, { now: NOW }))).to.deep.equal(['2026-03-02T05:00:00.000Z/2026-03-02T07:00:00.000Z']);
    expect(freeIntervals(s, range, { now: NOW, minMinutes: 150 })).to.deep.equal([]);
  });

  it('keeps a free run longer than maxMinutes whole', () => {
    const free = freeIntervals(schedule({ rules: { maxMinutes: 60 } }), span('2026-03-02', '2026-03-03', BKK), { now: NOW });
    expect(free.map((i) => i.length('hours'))).to.deep.equal([12]);
  });

  it('aligns to the lab-local grid: 60-minute slots in Asia/Yangon (+06:30) fall on :30 UTC', () => {
    const s = schedule({ zone: 'Asia/Yangon', rules: { slotMinutes: 60 }, openingHours: everyDay(490, 770) }); // 08:10–12:50
    const free = freeIntervals(s, span('2026-12-03', '2026-12-04', 'Asia/Yangon'), { now: at('2026-12-01T00:00Z') });
    expect(iso(free)).to.deep.equal(['2026-12-03T02:30:00.000Z/2026-12-03T05:30:00.000Z']); // 09:00–12:00 local
  });

  it('aligns 60-minute slots in Asia/Kathmandu (+05:45) to :15 UTC', () => {
    const s = schedule({ zone: 'Asia/Kathmandu', rules: { slotMinutes: 60 }, openingHours: everyDay(490, 770) });
    const free = freeIntervals(s, span('2026-12-03', '2026-12-04', 'Asia/Kathmandu'), { now: at('2026-12-01T00:00Z') });
    expect(iso(free)).to.deep.equal(['2026-12-03T03:15:00.000Z/2026-12-03T06:15:00.000Z']);
  });

  it('rounds onto the grid across the spring-forward gap in Europe/Berlin', () => {
    const s = schedule({ zone: 'Europe/Berlin', rules: { slotMinutes: 45 }, openingHours: AROUND_THE_CLOCK });
    // From 01:50 CET the next 45-minute boundary would be 02:15, which does not exist: 03:00 CEST is next;
    // 05:00 CEST is off the grid (300 min), so the run ends at 04:30 CEST.
    const free = freeIntervals(s, span('2026-03-29T01:50', '2026-03-29T05:00', 'Europe/Berlin'), { now: at('2026-03-01T00:00Z') });
    expect(iso(free)).to.deep.equal(['2026-03-29T01:00:00.000Z/2026-03-29T02:30:00.000Z']);
  });

  it('offers one run across midnight on an instrument open around the clock', () => {
    const s = schedule({ openingHours: AROUND_THE_CLOCK, rules: { maxMinutes: 600 } });
    const free = freeIntervals(s, span('2026-03-02T22:00', '2026-03-03T02:00', BKK), { now: NOW });
    expect(iso(free)).to.deep.equal(['2026-03-02T15:00:00.000Z/2026-03-02T19:00:00.000Z']);
    expect(validateBooking(s, { start: free[0].start!, end: free[0].end! }, { now: NOW, viewerZone: BKK })).to.deep.equal([]);
  });

  it('computes 14 days for 50 busy instruments quickly', () => {
    const zones = ['Asia/Yangon', 'Asia/Kathmandu', 'Europe/Berlin', 'Asia/Bangkok', 'Australia/Sydney'];
    const now = at('2026-03-20T06:00Z');
    const range = span('2026-03-20T06:00Z', '2026-04-03T06:00Z');
    const schedules: InstrumentSchedule[] = Array.from({ length: 50 }, (_, n) => {
      const zone = zones[n % zones.length];
      const bookings = Array.from({ length: 40 }, (_, k) => {
        const start = now.plus({ hours: 8 * k + (n % 5) });
        return { interval: span(start.toISO()!, start.plus({ minutes: 90 }).toISO()!) };
      });
      return schedule({ zone, bookings, rules: { bufferAfterMinutes: 15 }, openingHours: [...everyDay(480, 720), ...everyDay(780, 1260)] });
    });
    const run = () => schedules.reduce((n, s) => n + freeIntervals(s, range, { now }).length, 0);
    run(); // warm the offset caches
    const started = process.hrtime.bigint();
    const runs = run();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(runs).to.be.greaterThan(0);
    expect(ms, `${ms.toFixed(1)} ms`).to.be.below(250);
  });
});

describe('busyIntervals', () => {
  it('lists bookings with their after-buffer and blackouts, clipped and sorted, without identities', () => {
    const s = schedule({
      rules: { bufferAfterMinutes: 15 },
      bookings: [{ interval: span('2026-03-02T10:00', '2026-03-02T11:00', BKK) }, { interval: span('2026-03-02T07:00', '2026-03-02T09:00', BKK) }],
      blackouts: [{ interval: span('2026-03-02T09:30', '2026-03-02T10:00', BKK), reason: 'Calibration' }],
    });
    const busy = busyIntervals(s, span('2026-03-02T08:00', '2026-03-02T20:00', BKK));
    expect(busy.map((b) => b.kind)).to.deep.equal(['BOOKING', 'BLACKOUT', 'BOOKING']);
    expect(iso(busy.map((b) => b.interval))).to.deep.equal([
      '2026-03-02T01:00:00.000Z/2026-03-02T02:15:00.000Z',
      '2026-03-02T02:30:00.000Z/2026-03-02T03:00:00.000Z',
      '2026-03-02T03:00:00.000Z/2026-03-02T04:15:00.000Z',
    ]);
    expect(Object.keys(busy[0]).sort()).to.deep.equal(['interval', 'kind']);
  });

  it('leaves out what lies outside the range', () => {
    const s = schedule({ bookings: [{ interval: span('2026-03-01T10:00', '2026-03-01T11:00', BKK) }] });
    expect(busyIntervals(s, span('2026-03-02', '2026-03-03', BKK))).to.deep.equal([]);
  });
});

describe('slot grid across the fall-back overlap', () => {
  it('rounds the first 02:30 CEST up to the second 02:00 (CET), the next on-grid instant', () => {
    const s = schedule({ zone: 'Europe/Berlin', rules: { slotMinutes: 60 }, openingHours: AROUND_THE_CLOCK });
    const free = freeIntervals(s, span('2026-10-25T00:30Z', '2026-10-25T05:00Z'), { now: at('2026-10-01T00:00Z') });
    // first 02:30 CEST → the next on-grid instant is the second 02:00 (CET), 01:00 UTC
    expect(iso(free)).to.deep.equal(['2026-10-25T01:00:00.000Z/2026-10-25T05:00:00.000Z']);
    expect(DateTime.fromISO('2026-10-25T01:00:00Z').setZone('Europe/Berlin').toFormat('HH:mm ZZ')).to.equal('02:00 +01:00');
  });
});
