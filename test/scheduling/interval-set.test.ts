import { expect } from 'chai';
import fc from 'fast-check';
import { intersectIntervals, mergeIntervals, subtractIntervals } from '../../src/scheduling';
import { iso, span } from './fixtures';
import { Interval } from 'luxon';
import { utcDateTime } from '../../src/scheduling/interval-set';

const h = (a: number, b: number) => span(`2026-03-02T${String(a).padStart(2, '0')}:00Z`, `2026-03-02T${String(b).padStart(2, '0')}:00Z`);

describe('interval helpers', () => {
  it('merges overlapping and touching intervals, in any order', () => {
    expect(iso(mergeIntervals([h(5, 6), h(1, 3), h(2, 4), h(4, 5), h(8, 9)]))).to.deep.equal(iso([h(1, 6), h(8, 9)]));
  });

  it('subtracts intervals', () => {
    expect(iso(subtractIntervals([h(1, 10)], [h(2, 3), h(5, 6), h(9, 12)]))).to.deep.equal(iso([h(1, 2), h(3, 5), h(6, 9)]));
    expect(iso(subtractIntervals([h(1, 3), h(4, 6)], [h(0, 24)]))).to.deep.equal([]);
  });

  it('intersects intervals', () => {
    expect(iso(intersectIntervals([h(1, 5), h(7, 10)], [h(4, 8), h(9, 11)]))).to.deep.equal(iso([h(4, 5), h(7, 8), h(9, 10)]));
  });

  it('rejects an invalid interval instead of dropping it', () => {
    expect(() => mergeIntervals([Interval.invalid('broken')])).to.throw(RangeError);
  });

  it('agrees with a minute-by-minute model', () => {
    const spans = fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 40 })), { maxLength: 8 });
    const toIntervals = (xs: [number, number][]) =>
      xs.map(([s, l]) => Interval.fromDateTimes(utcDateTime(s * 60_000), utcDateTime((s + l) * 60_000)));
    const minutes = (is: Interval[]) => {
      const set = new Set<number>();
      for (const i of is) for (let m = i.start!.toMillis() / 60_000; m < i.end!.toMillis() / 60_000; m++) set.add(m);
      return set;
    };
    fc.assert(
      fc.property(spans, spans, (a, b) => {
        const A = minutes(toIntervals(a));
        const B = minutes(toIntervals(b));
        expect([...minutes(subtractIntervals(toIntervals(a), toIntervals(b)))].sort()).to.deep.equal([...A].filter((m) => !B.has(m)).sort());
        expect([...minutes(intersectIntervals(toIntervals(a), toIntervals(b)))].sort()).to.deep.equal([...A].filter((m) => B.has(m)).sort());
        const merged = mergeIntervals(toIntervals(a));
        expect([...minutes(merged)].sort()).to.deep.equal([...A].sort());
        for (let i = 1; i < merged.length; i++) expect(merged[i - 1].end!.toMillis()).to.be.below(merged[i].start!.toMillis());
      }),
      { numRuns: 200 },
    );
  });
});
