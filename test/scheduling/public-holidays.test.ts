import { expect } from 'chai';
import { isCountrySupported, publicHolidays } from '../../src/scheduling';
import { span } from './fixtures';

describe('publicHolidays', () => {
  it('gives China’s National Day week as lab-local public holidays', () => {
    const days = publicHolidays('CN', undefined, span('2026-09-30', '2026-10-05', 'Asia/Shanghai'), 'Asia/Shanghai');
    expect(days).to.deep.include({ date: '2026-10-01', reason: 'National Day', kind: 'PUBLIC_HOLIDAY' });
    expect(days.map((d) => d.date)).to.deep.equal(['2026-10-01', '2026-10-02', '2026-10-03']);
  });

  it('gives Thailand’s Songkran (2026-04-13 to 15)', () => {
    const days = publicHolidays('TH', undefined, span('2026-04-10', '2026-04-20', 'Asia/Bangkok'), 'Asia/Bangkok');
    expect(days.filter((d) => d.reason.includes('Songkran')).map((d) => d.date)).to.deep.equal(['2026-04-13', '2026-04-14', '2026-04-15']);
  });

  it('keeps only public holidays, not observances or half-day ones', () => {
    const days = publicHolidays('CN', undefined, span('2026-01-01', '2027-01-01', 'Asia/Shanghai'), 'Asia/Shanghai');
    expect(days.map((d) => d.date)).not.to.include('2026-03-08'); // Women's Day: an afternoon off, for some
    expect(days.every((d) => d.kind === 'PUBLIC_HOLIDAY')).to.equal(true);
  });

  it('includes every day of a multi-day holiday that overlaps the range', () => {
    const days = publicHolidays('TH', undefined, span('2026-04-14T12:00', '2026-04-14T13:00', 'Asia/Bangkok'), 'Asia/Bangkok');
    expect(days).to.deep.equal([{ date: '2026-04-14', reason: 'Songkran Festival', kind: 'PUBLIC_HOLIDAY' }]);
  });

  it('selects days by the lab’s zone: a UTC range ending before Bangkok’s midnight still touches the holiday', () => {
    // 2026-04-12T17:00Z is 2026-04-13 00:00 in Bangkok
    expect(publicHolidays('TH', undefined, span('2026-04-12T16:00Z', '2026-04-12T17:30Z'), 'Asia/Bangkok').map((d) => d.date)).to.deep.equal(['2026-04-13']);
    expect(publicHolidays('TH', undefined, span('2026-04-12T16:00Z', '2026-04-12T17:00Z'), 'Asia/Bangkok')).to.deep.equal([]);
  });

  it('uses the region’s own holidays', () => {
    const range = span('2026-01-01', '2026-01-10', 'Europe/Berlin');
    expect(publicHolidays('DE', 'BY', range, 'Europe/Berlin').map((d) => d.date)).to.deep.equal(['2026-01-01', '2026-01-06']);
    expect(publicHolidays('DE', undefined, range, 'Europe/Berlin').map((d) => d.date)).to.deep.equal(['2026-01-01']);
  });

  it('returns [] without throwing for countries date-holidays has no data for (MM, KH, LA)', () => {
    for (const country of ['MM', 'KH', 'LA']) {
      expect(publicHolidays(country, undefined, span('2026-01-01', '2027-01-01', 'Asia/Yangon'), 'Asia/Yangon')).to.deep.equal([]);
      expect(isCountrySupported(country)).to.equal(false);
    }
  });

  it('knows which ASEAN countries and China it has data for', () => {
    for (const country of ['CN', 'TH', 'VN', 'SG', 'MY', 'ID', 'PH', 'BN']) expect(isCountrySupported(country), country).to.equal(true);
    expect(isCountrySupported('th')).to.equal(true);
  });

  it('covers ranges that cross a year boundary', () => {
    const days = publicHolidays('SG', undefined, span('2026-12-20', '2027-01-05', 'Asia/Singapore'), 'Asia/Singapore');
    expect(days.map((d) => d.date)).to.include.members(['2026-12-25', '2027-01-01']);
  });

  // date-holidays never returns for year 1 in CN, VN, ID, MY, SG, PH and BN; TH answers, so it shows the guard here.
  it('never asks date-holidays for a year outside the supported range (1970–2199), whatever range it is given', () => {
    expect(publicHolidays('TH', undefined, span('0001-01-01', '0001-12-31', 'Asia/Bangkok'), 'Asia/Bangkok')).to.deep.equal([]);
    expect(publicHolidays('TH', undefined, span('1969-01-01', '1969-12-31', 'Asia/Bangkok'), 'Asia/Bangkok')).to.deep.equal([]);
    expect(publicHolidays('TH', undefined, span('2200-01-01', '2200-12-31', 'Asia/Bangkok'), 'Asia/Bangkok')).to.deep.equal([]);
    expect(publicHolidays('TH', undefined, span('+010000-01-01', '+010000-12-31', 'Asia/Bangkok'), 'Asia/Bangkok')).to.deep.equal([]);
    // The range's own first and last years still have their holidays.
    expect(publicHolidays('TH', undefined, span('1970-04-01', '1970-04-30', 'Asia/Bangkok'), 'Asia/Bangkok')).not.to.deep.equal([]);
    expect(publicHolidays('TH', undefined, span('2199-12-01', '2199-12-31', 'Asia/Bangkok'), 'Asia/Bangkok').map((d) => d.date)).to.include('2199-12-05');
  });
});
