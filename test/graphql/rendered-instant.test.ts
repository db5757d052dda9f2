import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { cachedRendererCount, renderInstant } from '../../src/graphql/rendered-instant';
import { cachedZoneCount, MAX_CACHED_ZONES } from '../../src/scheduling/zone-time';
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

  it('keep their per-zone memos bounded when one zone arrives in thousands of spellings', () => {
    // "asia/bangkok", "aSia/bangkok", ...: all valid, all the same zone. 2^11 spellings of the letters.
    const letters = 'asia/bangkok';
    const spellings: string[] = [];
    for (let mask = 0; mask < 2 ** 11 && spellings.length < MAX_CACHED_ZONES * 2; mask += 1) {
      let i = 0;
      spellings.push([...letters].map((c) => (c === '/' ? c : (mask >> i++) & 1 ? c.toUpperCase() : c)).join(''));
    }
    const ms = Date.UTC(2026, 11, 3, 2);
    for (const zone of spellings) expect(renderInstant(ms, zone).iso).to.equal('2026-12-03T09:00:00+07:00');
    expect(spellings.length).to.equal(MAX_CACHED_ZONES * 2);
    expect(cachedRendererCount()).to.be.at.most(MAX_CACHED_ZONES);
    expect(cachedZoneCount()).to.be.at.most(MAX_CACHED_ZONES);
  });
});
