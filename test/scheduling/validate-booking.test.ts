import { expect } from 'chai';
import { messageOf } from '../../src/i18n/render';
import { DateTime } from 'luxon';
import { formatInstant, validateBooking } from '../../src/scheduling';
import type { Violation } from '../../src/scheduling';
import { AROUND_THE_CLOCK, at, iso, schedule, span, type ScheduleOverrides } from './fixtures';

const BKK = 'Asia/Bangkok'; // +07:00, lab open 08:00–20:00 every day, 30-minute slots, 30–240 minutes, 60 minutes' notice
const NOW = at('2026-03-01T12:00', BKK);

function check(overrides: ScheduleOverrides, start: string, end: string, viewerZone = BKK, now: DateTime = NOW): Violation[] {
  return validateBooking(schedule(overrides), { start: at(start, BKK), end: at(end, BKK) }, { now, viewerZone });
}
const codes = (vs: Violation[]) => vs.map((v) => v.code);

describe('validateBooking', () => {
  it('accepts a booking that keeps every rule', () => {
    expect(check({}, '2026-03-02T10:00', '2026-03-02T12:00')).to.deep.equal([]);
  });

  describe('INVALID_TIME_RANGE', () => {
    it('rejects an end that is not after the start, and reports nothing else', () => {
      const vs = check({ status: 'RETIRED' }, '2026-03-02T10:15', '2026-03-02T10:15');
      expect(codes(vs)).to.deep.equal(['INVALID_TIME_RANGE']);
      expect(codes(check({}, '2026-03-02T11:00', '2026-03-02T10:00'))).to.deep.equal(['INVALID_TIME_RANGE']);
    });

    it('rejects an invalid DateTime', () => {
      const vs = validateBooking(schedule(), { start: DateTime.invalid('broken'), end: at('2026-03-02T10:00', BKK) }, { now: NOW, viewerZone: BKK });
      expect(codes(vs)).to.deep.equal(['INVALID_TIME_RANGE']);
      expect(messageOf('en', vs[0])).to.match(/start is not a valid date-time/);
    });
  });

  it('rejects any booking on an instrument under maintenance or retired (INSTRUMENT_UNAVAILABLE)', () => {
    expect(codes(check({ status: 'MAINTENANCE' }, '2026-03-02T10:00', '2026-03-02T12:00'))).to.deep.equal(['INSTRUMENT_UNAVAILABLE']);
    expect(messageOf('en', check({ status: 'RETIRED' }, '2026-03-02T10:00', '2026-03-02T12:00')[0])).to.match(/retired/);
  });

  it('rejects a start or end off the lab-local slot grid (NOT_ALIGNED)', () => {
    const vs = check({}, '2026-03-02T10:15', '2026-03-02T11:00');
    expect(codes(vs)).to.deep.equal(['NOT_ALIGNED']);
    expect(messageOf('en', vs[0])).to.equal("Starts at 2026-03-02 10:15 (+07:00), off the lab's 30-minute slot grid (lab time in Asia/Bangkok).");
  });

  it('aligns to the grid in lab time, not UTC: 09:00 in Asia/Yangon is 02:30 UTC', () => {
    const yangon = { zone: 'Asia/Yangon', rules: { slotMinutes: 60 } };
    const ok = validateBooking(schedule(yangon), { start: at('2026-03-02T02:30Z'), end: at('2026-03-02T03:30Z') }, { now: NOW, viewerZone: 'UTC' });
    expect(ok).to.deep.equal([]);
    const off = validateBooking(schedule(yangon), { start: at('2026-03-02T03:00Z'), end: at('2026-03-02T04:00Z') }, { now: NOW, viewerZone: 'UTC' });
    expect(codes(off)).to.deep.equal(['NOT_ALIGNED']);
  });

  it('rejects a booking shorter than minMinutes (TOO_SHORT)', () => {
    const vs = check({ rules: { minMinutes: 60 } }, '2026-03-02T10:00', '2026-03-02T10:30');
    expect(codes(vs)).to.deep.equal(['TOO_SHORT']);
    expect(messageOf('en', vs[0])).to.equal('Lasts 30 minutes; the minimum is 60 minutes.');
  });

  it('rejects a booking longer than maxMinutes (TOO_LONG)', () => {
    const vs = check({}, '2026-03-02T08:00', '2026-03-02T12:30');
    expect(codes(vs)).to.deep.equal(['TOO_LONG']);
    expect(messageOf('en', vs[0])).to.equal('Lasts 270 minutes; the maximum is 240 minutes.');
  });

  describe('TOO_SOON', () => {
    it('rejects a start within the minimum notice', () => {
      const vs = check({}, '2026-03-01T12:30', '2026-03-01T13:30');
      expect(codes(vs)).to.deep.equal(['TOO_SOON']);
      expect(messageOf('en', vs[0])).to.equal('Starts at 2026-03-01 12:30 (+07:00); bookings need 60 minutes notice, so the earliest start is 2026-03-01 13:00 (+07:00).');
    });

    it('rejects a start in the past', () => {
      const vs = check({}, '2026-02-27T10:00', '2026-02-27T11:00');
      expect(codes(vs)).to.deep.equal(['TOO_SOON']);
      expect(messageOf('en', vs[0])).to.match(/in the past/);
    });
  });

  it('rejects an end beyond now + maxAdvanceDays (TOO_FAR_AHEAD)', () => {
    const vs = check({ rules: { maxAdvanceDays: 14 } }, '2026-03-15T11:30', '2026-03-15T12:30');
    expect(codes(vs)).to.deep.equal(['TOO_FAR_AHEAD']);
    expect(messageOf('en', vs[0])).to.equal('Ends at 2026-03-15 12:30 (+07:00); bookings may end at most 14 days ahead, by 2026-03-15 12:00 (+07:00).');
    expect(check({ rules: { maxAdvanceDays: 14 } }, '2026-03-15T11:00', '2026-03-15T12:00')).to.deep.equal([]);
  });

  describe('OUTSIDE_OPENING_HOURS', () => {
    it('names the opening time, in the viewer’s zone, when a booking starts before the lab opens', () => {
      const yangon = { zone: 'Asia/Yangon' };
      const vs = validateBooking(schedule(yangon), { start: at('2026-12-03T07:00', 'Asia/Yangon'), end: at('2026-12-03T09:00', 'Asia/Yangon') }, {
        now: at('2026-12-01T00:00Z'),
        viewerZone: 'Asia/Yangon',
      });
      expect(codes(vs)).to.deep.equal(['OUTSIDE_OPENING_HOURS']);
      expect(messageOf('en', vs[0])).to.equal('Starts at 2026-12-03 07:00 (+06:30), before the lab opens at 2026-12-03 08:00 (+06:30).');
    });

    it('names the closing time when a booking runs past it', () => {
      const vs = check({}, '2026-03-02T19:00', '2026-03-02T21:00', 'Europe/Berlin');
      expect(codes(vs)).to.deep.equal(['OUTSIDE_OPENING_HOURS']);
      expect(messageOf('en', vs[0])).to.equal('Ends at 2026-03-02 15:00 (+01:00), after the lab closes at 2026-03-02 14:00 (+01:00).');
    });

    it('rejects a booking that spans the closed night between two opening windows', () => {
      expect(codes(check({ rules: { maxMinutes: 2000 } }, '2026-03-02T19:00', '2026-03-03T09:00'))).to.deep.equal(['OUTSIDE_OPENING_HOURS']);
    });

    it('accepts a booking across midnight on an instrument open around the clock', () => {
      expect(check({ openingHours: AROUND_THE_CLOCK }, '2026-03-02T23:00', '2026-03-03T01:00')).to.deep.equal([]);
    });
  });

  it('rejects a booking on a closed day and names its reason (HOLIDAY)', () => {
    const closedDays = [{ date: '2026-04-13', reason: 'Songkran Festival', kind: 'PUBLIC_HOLIDAY' as const }];
    const now = at('2026-04-01T12:00', BKK);
    const vs = check({ closedDays }, '2026-04-13T10:00', '2026-04-13T11:00', BKK, now);
    expect(codes(vs)).to.deep.equal(['HOLIDAY']);
    expect(messageOf('en', vs[0])).to.equal('The lab is closed on 2026-04-13 (Songkran Festival) (lab calendar, Asia/Bangkok).');
    expect(check({ closedDays }, '2026-04-14T10:00', '2026-04-14T11:00', BKK, now)).to.deep.equal([]);
  });

  it('rejects a booking that overlaps a blackout, naming its reason and times (BLACKOUT)', () => {
    const blackouts = [{ interval: span('2026-03-02T11:00', '2026-03-02T13:00', BKK), reason: 'Annual calibration' }];
    const vs = check({ blackouts }, '2026-03-02T10:00', '2026-03-02T12:00', 'UTC');
    expect(codes(vs)).to.deep.equal(['BLACKOUT']);
    expect(messageOf('en', vs[0])).to.equal('Overlaps the blackout "Annual calibration" from 2026-03-02 04:00 (+00:00) to 2026-03-02 06:00 (+00:00).');
    expect(check({ blackouts }, '2026-03-02T09:00', '2026-03-02T11:00')).to.deep.equal([]);
  });

  describe('CONFLICT', () => {
    const bookings = [{ interval: span('2026-03-02T10:00', '2026-03-02T11:00', BKK) }];

    it('rejects a booking that overlaps a confirmed one, giving its span but no identity', () => {
      const vs = check({ bookings }, '2026-03-02T10:30', '2026-03-02T12:00');
      expect(codes(vs)).to.deep.equal(['CONFLICT']);
      expect(messageOf('en', vs[0])).to.equal('Overlaps an existing booking from 2026-03-02 10:00 (+07:00) to 2026-03-02 11:00 (+07:00).');
      expect(iso(vs[0].conflicts!)).to.deep.equal(['2026-03-02T03:00:00.000Z/2026-03-02T04:00:00.000Z']);
    });

    it('lists every conflicting booking', () => {
      const two = [...bookings, { interval: span('2026-03-02T12:00', '2026-03-02T13:00', BKK) }];
      const vs = check({ bookings: two }, '2026-03-02T09:00', '2026-03-02T13:00');
      expect(vs[0].conflicts).to.have.length(2);
    });

    it('rejects a start inside the previous booking’s buffer, and accepts one right after it', () => {
      const rules = { bufferAfterMinutes: 30 };
      const vs = check({ bookings, rules }, '2026-03-02T11:00', '2026-03-02T12:00');
      expect(codes(vs)).to.deep.equal(['CONFLICT']);
      expect(messageOf('en', vs[0])).to.match(/needs 30 minutes free after each booking/);
      expect(check({ bookings, rules }, '2026-03-02T11:30', '2026-03-02T12:30')).to.deep.equal([]);
    });

    it('rejects a booking whose own buffer runs into the next booking, and accepts one whose buffer ends as it starts', () => {
      const rules = { bufferAfterMinutes: 30 };
      expect(codes(check({ bookings, rules }, '2026-03-02T09:00', '2026-03-02T10:00'))).to.deep.equal(['CONFLICT']);
      expect(check({ bookings, rules }, '2026-03-02T09:00', '2026-03-02T09:30')).to.deep.equal([]);
    });

    it('accepts a booking that ends exactly when another starts when there is no buffer', () => {
      expect(check({ bookings }, '2026-03-02T09:00', '2026-03-02T10:00')).to.deep.equal([]);
      expect(check({ bookings }, '2026-03-02T11:00', '2026-03-02T12:00')).to.deep.equal([]);
    });
  });

  it('returns every rule broken at once', () => {
    const vs = check(
      {
        status: 'MAINTENANCE',
        rules: { maxAdvanceDays: 1, maxMinutes: 60 },
        closedDays: [{ date: '2026-03-05', reason: 'Inventory', kind: 'CLOSURE' }],
        blackouts: [{ interval: span('2026-03-05T06:00', '2026-03-05T07:00', BKK), reason: 'Service' }],
        bookings: [{ interval: span('2026-03-05T07:00', '2026-03-05T07:30', BKK) }],
      },
      '2026-03-05T06:10',
      '2026-03-05T08:00',
    );
    expect(codes(vs)).to.deep.equal([
      'INSTRUMENT_UNAVAILABLE',
      'NOT_ALIGNED',
      'TOO_LONG',
      'TOO_FAR_AHEAD',
      'OUTSIDE_OPENING_HOURS',
      'HOLIDAY',
      'BLACKOUT',
      'CONFLICT',
    ]);
  });

  it('reads "24:00" and DST days the same way as openIntervals: 08:00–20:00 on Berlin’s spring-forward day', () => {
    const berlin = { zone: 'Europe/Berlin' };
    const req = { start: at('2026-03-29T06:00Z'), end: at('2026-03-29T10:00Z') };
    expect(validateBooking(schedule(berlin), req, { now: NOW, viewerZone: 'Europe/Berlin' })).to.deep.equal([]);
    const early = { start: at('2026-03-29T05:30Z'), end: at('2026-03-29T07:00Z') };
    const vs = validateBooking(schedule(berlin), early, { now: NOW, viewerZone: 'Europe/Berlin' });
    expect(messageOf('en', vs[0])).to.equal('Starts at 2026-03-29 07:30 (+02:00), before the lab opens at 2026-03-29 08:00 (+02:00).');
  });

  it('falls back to the lab’s zone for messages when the viewer’s zone is unknown', () => {
    const vs = check({}, '2026-03-02T07:00', '2026-03-02T09:00', 'Not/AZone');
    expect(messageOf('en', vs[0])).to.contain('(+07:00)');
  });
});

describe('formatInstant', () => {
  it('renders the wall-clock time in the zone with an explicit offset', () => {
    expect(formatInstant(at('2026-12-03T02:30Z'), 'Asia/Yangon')).to.equal('2026-12-03 09:00 (+06:30)');
    expect(formatInstant(at('2026-12-03T02:30Z'), 'Asia/Kathmandu')).to.equal('2026-12-03 08:15 (+05:45)');
    expect(formatInstant(at('2026-12-03T02:30Z'), 'UTC')).to.equal('2026-12-03 02:30 (+00:00)');
    expect(formatInstant(at('2026-12-03T02:30:15Z'), 'UTC')).to.equal('2026-12-03 02:30:15 (+00:00)');
  });
});
