import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { renderInstant } from '../../src/graphql/rendered-instant';
import { serializeDateTime } from '../../src/graphql/scalars';

const ZONES = ['Asia/Yangon', 'Asia/Kathmandu', 'Europe/Berlin', 'Australia/Sydney', 'America/Santiago', 'Asia/Bangkok', 'Australia/Lord_Howe', 'Europe/London', 'UTC'];

describe('instants rendered in the viewer zone', () => {
  it('write exactly what Luxon writes for the zone, across DST changes and odd offsets, with or without milliseconds', () => {
    const from = Date.UTC(2024, 0, 1);
    const to = Date.UTC(2030, 0, 1);
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: from, max: to }), fc.boolean(), (zone, ms, whole) => {
        const instant = whole ? ms - (ms % 60_000) : ms;
        expect(serializeDateTime(renderInstant(instant, zone))).to.equal(
          DateTime.fromMillis(instant, { zone }).toISO({ suppressMilliseconds: true }),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('render instants next to a transition like Luxon (Berlin, 29 March 2026, 01:00 UTC)', () => {
    const change = Date.UTC(2026, 2, 29, 1);
    for (const ms of [change - 1, change, change + 1, change - 3_600_000, change + 1_800_000]) {
      expect(renderInstant(ms, 'Europe/Berlin').iso).to.equal(DateTime.fromMillis(ms, { zone: 'Europe/Berlin' }).toISO({ suppressMilliseconds: true }));
    }
  });

  it('use Z for UTC and an explicit +06:30 for Yangon', () => {
    expect(renderInstant(Date.UTC(2026, 11, 3, 1), 'UTC').iso).to.equal('2026-12-03T01:00:00Z');
    expect(renderInstant(Date.UTC(2026, 11, 3, 1), 'Asia/Yangon').iso).to.equal('2026-12-03T07:30:00+06:30');
  });
});
