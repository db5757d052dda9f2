import { expect } from 'chai';
import { openIntervals } from '../../src/scheduling';
import { AROUND_THE_CLOCK, everyDay, iso, span } from './fixtures';

const hours = (i: { length(unit: 'hours'): number }) => i.length('hours');

describe('openIntervals', () => {
  describe('Europe/Berlin DST (2026-03-29 spring forward, 2026-10-25 fall back)', () => {
    const zone = 'Europe/Berlin';

    it('keeps 08:00–20:00 local on the spring-forward day (UTC instants shift by an hour)', () => {
      const open = openIntervals(zone, everyDay(480, 1200), span('2026-03-28', '2026-03-30', zone), []);
      expect(iso(open)).to.deep.equal([
        '2026-03-28T07:00:00.000Z/2026-03-28T19:00:00.000Z',
        '2026-03-29T06:00:00.000Z/2026-03-29T18:00:00.000Z',
      ]);
    });

    it('keeps 08:00–20:00 local on the fall-back day', () => {
      const open = openIntervals(zone, everyDay(480, 1200), span('2026-10-24', '2026-10-26', zone), []);
      expect(iso(open)).to.deep.equal([
        '2026-10-24T06:00:00.000Z/2026-10-24T18:00:00.000Z',
        '2026-10-25T07:00:00.000Z/2026-10-25T19:00:00.000Z',
      ]);
    });

    it('makes a 00:00–12:00 window 11 h long in spring and 13 h long in autumn', () => {
      const spring = openIntervals(zone, [{ weekday: 7, startMinute: 0, endMinute: 720 }], span('2026-03-29', '2026-03-30', zone), []);
      const autumn = openIntervals(zone, [{ weekday: 7, startMinute: 0, endMinute: 720 }], span('2026-10-25', '2026-10-26', zone), []);
      expect(iso(spring)).to.deep.equal(['2026-03-28T23:00:00.000Z/2026-03-29T10:00:00.000Z']);
      expect(spring.map(hours)).to.deep.equal([11]);
      expect(iso(autumn)).to.deep.equal(['2026-10-24T22:00:00.000Z/2026-10-25T11:00:00.000Z']);
      expect(autumn.map(hours)).to.deep.equal([13]);
    });

    it('moves a window edge at 02:30 on the spring-forward day forward by the gap, to 03:30 CEST', () => {
      const open = openIntervals(zone, [{ weekday: 7, startMinute: 150, endMinute: 360 }], span('2026-03-29', '2026-03-30', zone), []);
      expect(iso(open)).to.deep.equal(['2026-03-29T01:30:00.000Z/2026-03-29T04:00:00.000Z']);
      const ending = openIntervals(zone, [{ weekday: 7, startMinute: 0, endMinute: 150 }], span('2026-03-29', '2026-03-30', zone), []);
      expect(iso(ending)).to.deep.equal(['2026-03-28T23:00:00.000Z/2026-03-29T01:30:00.000Z']);
    });

    it('puts a window edge at 02:30 on the fall-back day at its first occurrence (02:30 CEST)', () => {
      const open = openIntervals(zone, [{ weekday: 7, startMinute: 150, endMinute: 360 }], span('2026-10-25', '2026-10-26', zone), []);
      expect(iso(open)).to.deep.equal(['2026-10-25T00:30:00.000Z/2026-10-25T05:00:00.000Z']);
    });

    it('joins windows that meet at an ambiguous 02:30 on the fall-back day', () => {
      const windows = [
        { weekday: 7 as const, startMinute: 0, endMinute: 150 },
        { weekday: 7 as const, startMinute: 150, endMinute: 360 },
      ];
      const open = openIntervals(zone, windows, span('2026-10-25', '2026-10-26', zone), []);
      expect(iso(open)).to.deep.equal(['2026-10-24T22:00:00.000Z/2026-10-25T05:00:00.000Z']);
    });
  });

  describe('Australia/Sydney DST (2026-04-05 ends, 2026-10-04 starts)', () => {
    const zone = 'Australia/Sydney';

    it('keeps 08:00–20:00 local on both change days', () => {
      const april = openIntervals(zone, everyDay(480, 1200), span('2026-04-04', '2026-04-06', zone), []);
      expect(iso(april)).to.deep.equal([
        '2026-04-03T21:00:00.000Z/2026-04-04T09:00:00.000Z',
        '2026-04-04T22:00:00.000Z/2026-04-05T10:00:00.000Z',
      ]);
      const october = openIntervals(zone, everyDay(480, 1200), span('2026-10-03', '2026-10-05', zone), []);
      expect(iso(october)).to.deep.equal([
        '2026-10-02T22:00:00.000Z/2026-10-03T10:00:00.000Z',
        '2026-10-03T21:00:00.000Z/2026-10-04T09:00:00.000Z',
      ]);
    });

    it('makes a 00:00–12:00 window 13 h long in April and 11 h long in October', () => {
      const w = [{ weekday: 7 as const, startMinute: 0, endMinute: 720 }];
      expect(openIntervals(zone, w, span('2026-04-05', '2026-04-06', zone), []).map(hours)).to.deep.equal([13]);
      expect(openIntervals(zone, w, span('2026-10-04', '2026-10-05', zone), []).map(hours)).to.deep.equal([11]);
    });
  });

  it('handles Asia/Yangon (+06:30) and Asia/Kathmandu (+05:45) like any other zone', () => {
    const yangon = openIntervals('Asia/Yangon', everyDay(480, 1200), span('2026-12-03', '2026-12-04', 'Asia/Yangon'), []);
    expect(iso(yangon)).to.deep.equal(['2026-12-03T01:30:00.000Z/2026-12-03T13:30:00.000Z']);
    const kathmandu = openIntervals('Asia/Kathmandu', everyDay(480, 1200), span('2026-12-03', '2026-12-04', 'Asia/Kathmandu'), []);
    expect(iso(kathmandu)).to.deep.equal(['2026-12-03T02:15:00.000Z/2026-12-03T14:15:00.000Z']);
  });

  it('joins a window ending at 24:00 with one starting at 00:00 the next day', () => {
    const windows = [
      { weekday: 1 as const, startMinute: 1200, endMinute: 1440 },
      { weekday: 2 as const, startMinute: 0, endMinute: 120 },
    ];
    const open = openIntervals('Asia/Shanghai', windows, span('2026-03-02', '2026-03-04', 'Asia/Shanghai'), []);
    expect(iso(open)).to.deep.equal(['2026-03-02T12:00:00.000Z/2026-03-02T18:00:00.000Z']);
  });

  it('gives one interval for an instrument open around the clock', () => {
    const open = openIntervals('Asia/Yangon', AROUND_THE_CLOCK, span('2026-03-02T10:00', '2026-03-09T10:00', 'Asia/Yangon'), []);
    expect(iso(open)).to.deep.equal(['2026-03-02T03:30:00.000Z/2026-03-09T03:30:00.000Z']);
  });

  it('clips a window that began on the previous local day to the start of the range', () => {
    const windows = [{ weekday: 1 as const, startMinute: 1320, endMinute: 1440 }];
    const open = openIntervals('Asia/Bangkok', windows, span('2026-03-02T23:00', '2026-03-03T12:00', 'Asia/Bangkok'), []);
    expect(iso(open)).to.deep.equal(['2026-03-02T16:00:00.000Z/2026-03-02T17:00:00.000Z']);
  });

  it('removes a closed day as the whole lab-local day', () => {
    const closed = [{ date: '2026-03-29', reason: 'Inventory', kind: 'CLOSURE' as const }];
    const open = openIntervals('Asia/Kathmandu', AROUND_THE_CLOCK, span('2026-03-28', '2026-03-31', 'Asia/Kathmandu'), closed);
    expect(iso(open)).to.deep.equal([
      '2026-03-27T18:15:00.000Z/2026-03-28T18:15:00.000Z',
      '2026-03-29T18:15:00.000Z/2026-03-30T18:15:00.000Z',
    ]);
    const bangkok = openIntervals('Asia/Bangkok', everyDay(480, 1200), span('2026-04-12', '2026-04-15', 'Asia/Bangkok'), [
      { date: '2026-04-13', reason: 'Songkran Festival', kind: 'PUBLIC_HOLIDAY' },
    ]);
    expect(iso(bangkok)).to.deep.equal([
      '2026-04-12T01:00:00.000Z/2026-04-12T13:00:00.000Z',
      '2026-04-14T01:00:00.000Z/2026-04-14T13:00:00.000Z',
    ]);
  });

  it('ignores closed days outside the range and returns nothing for an empty range', () => {
    const closed = [{ date: '2027-01-01', reason: 'New Year', kind: 'PUBLIC_HOLIDAY' as const }];
    expect(openIntervals('UTC', AROUND_THE_CLOCK, span('2026-03-02', '2026-03-03'), closed)).to.have.length(1);
    expect(openIntervals('UTC', AROUND_THE_CLOCK, span('2026-03-02', '2026-03-02'), [])).to.deep.equal([]);
  });

  it('rejects an unknown zone and a malformed window', () => {
    expect(() => openIntervals('Mars/Olympus', AROUND_THE_CLOCK, span('2026-03-02', '2026-03-03'), [])).to.throw(RangeError, /Mars\/Olympus/);
    expect(() => openIntervals('UTC', [{ weekday: 1, startMinute: 600, endMinute: 600 }], span('2026-03-02', '2026-03-03'), [])).to.throw(RangeError);
    expect(() => openIntervals('UTC', [{ weekday: 1, startMinute: 0, endMinute: 1441 }], span('2026-03-02', '2026-03-03'), [])).to.throw(RangeError);
  });
});
