import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { instantsIn } from '../../src/graphql/zoned-instants';

const ZONES = ['Asia/Yangon', 'Asia/Kathmandu', 'Europe/Berlin', 'Australia/Sydney', 'America/Santiago', 'Asia/Bangkok', 'Australia/Lord_Howe', 'UTC'];

describe('instants rendered in the viewer zone', () => {
  it('render exactly as Luxon renders the IANA zone, across DST changes and odd offsets', () => {
    const from = Date.UTC(2024, 0, 1);
    const to = Date.UTC(2030, 0, 1);
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: from, max: to }), (zone, ms) => {
        const ours = instantsIn(zone)(ms);
        const luxon = DateTime.fromMillis(ms, { zone });
        expect(ours.toISO({ suppressMilliseconds: true })).to.equal(luxon.toISO({ suppressMilliseconds: true }));
        expect(ours.toMillis()).to.equal(ms);
      }),
      { numRuns: 2000 },
    );
  });

  it('are kept as they are when the viewer-zone wrapper sets the same zone again', () => {
    const at = instantsIn('Asia/Yangon')(Date.UTC(2026, 11, 3, 1));
    expect(at.setZone('Asia/Yangon')).to.equal(at);
    expect(at.setZone('Europe/Berlin').toISO()).to.equal('2026-12-03T02:00:00.000+01:00');
  });

  it('render instants next to a transition like Luxon (Berlin, 29 March 2026, 01:00 UTC)', () => {
    const change = Date.UTC(2026, 2, 29, 1);
    for (const ms of [change - 1, change, change + 1, change - 3_600_000, change + 1_800_000]) {
      expect(instantsIn('Europe/Berlin')(ms).toISO()).to.equal(DateTime.fromMillis(ms, { zone: 'Europe/Berlin' }).toISO());
    }
  });
});
