import { expect } from 'chai';
import { isSupportedDate, isSupportedInstant } from '../../src/scheduling';

describe('the supported range (1970-01-01 to 2199-12-31)', () => {
  it('holds instants from 1970-01-01T00:00:00Z to 2199-12-31T23:59:59.999Z, to the millisecond', () => {
    expect(isSupportedInstant(Date.UTC(1970, 0, 1))).to.equal(true);
    expect(isSupportedInstant(Date.UTC(2199, 11, 31, 23, 59, 59, 999))).to.equal(true);
    expect(isSupportedInstant(Date.UTC(1970, 0, 1) - 1)).to.equal(false);
    expect(isSupportedInstant(Date.UTC(2200, 0, 1))).to.equal(false);
    expect(isSupportedInstant(Date.parse('0001-01-02T00:00:00Z'))).to.equal(false);
    expect(isSupportedInstant(Number.NaN)).to.equal(false);
  });

  it('holds real calendar dates from 1970-01-01 to 2199-12-31 only', () => {
    for (const date of ['1970-01-01', '2024-02-29', '2199-12-31']) expect(isSupportedDate(date), date).to.equal(true);
    for (const date of ['1969-12-31', '2200-01-01', '0000-01-01', '2023-02-29', '2030-13-01', '2030-1-01', '2030-01-01x', '']) {
      expect(isSupportedDate(date), date).to.equal(false);
    }
  });
});
