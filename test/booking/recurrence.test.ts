import { expect } from 'chai';
import { DateTime } from 'luxon';
import { calendarRecurrence, expandSeries, formatRecurrence, parseRecurrence, type RecurrenceRule } from '../../src/booking/recurrence';

const BERLIN = 'Europe/Berlin';
const rule = (text: string): RecurrenceRule => {
  const parsed = parseRecurrence(text);
  if ('error' in parsed) throw new Error(`${text}: ${JSON.stringify(parsed.error)}`);
  return parsed.rule;
};
const expand = (text: string, startIso: string, hours = 1, zone = BERLIN, maxAdvanceDays = 365) => {
  const start = DateTime.fromISO(startIso, { zone });
  return expandSeries({
    start, end: start.plus({ hours }), rule: rule(text), zone, maxAdvanceDays,
    latestEnd: DateTime.fromISO('2027-01-01T00:00:00Z').plus({ days: maxAdvanceDays }),
  });
};
const starts = (result: ReturnType<typeof expand>) => {
  if ('error' in result) throw new Error(JSON.stringify(result.error));
  return result.occurrences.map((o) => o.start.toFormat('yyyy-MM-dd HH:mm ZZ'));
};

describe('recurrence (RRULE subset, pure)', () => {
  it('places monthly last Fridays and 31sts in the lab zone, skipping months without a 31st', () => {
    expect(starts(expand('FREQ=MONTHLY;BYDAY=-1FR;COUNT=3', '2027-01-01T10:00'))).to.deep.equal([
      '2027-01-29 10:00 +01:00', '2027-02-26 10:00 +01:00', '2027-03-26 10:00 +01:00',
    ]);
    expect(starts(expand('FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3', '2027-01-31T10:00'))).to.deep.equal([
      '2027-01-31 10:00 +01:00', '2027-03-31 10:00 +02:00', '2027-05-31 10:00 +02:00',
    ]);
  });

  it('keeps wall-clock times in a half-hour zone and moves a time skipped by DST forward', () => {
    expect(starts(expand('FREQ=DAILY;INTERVAL=2;COUNT=2', '2027-03-01T09:00', 1, 'Asia/Yangon'))).to.deep.equal([
      '2027-03-01 09:00 +06:30', '2027-03-03 09:00 +06:30',
    ]);
    // 02:30 does not exist in Berlin on 28 March 2027: that occurrence starts at 03:30 CEST, the others at 02:30.
    expect(starts(expand('FREQ=DAILY;COUNT=3', '2027-03-27T02:30'))).to.deep.equal([
      '2027-03-27 02:30 +01:00', '2027-03-28 03:30 +02:00', '2027-03-29 02:30 +02:00',
    ]);
  });

  it('reads UNTIL as a lab-local day, a lab-local time or a UTC instant', () => {
    expect(starts(expand('FREQ=WEEKLY;UNTIL=20270316', '2027-03-02T09:00'))).to.have.length(3);
    expect(starts(expand('FREQ=WEEKLY;UNTIL=20270316T085959', '2027-03-02T09:00'))).to.have.length(2);
    expect(starts(expand('FREQ=WEEKLY;UNTIL=20270316T080000Z', '2027-03-02T09:00'))).to.have.length(3);
    // In a calendar whose DTSTART carries the TZID, UNTIL is written in UTC.
    expect(calendarRecurrence(rule('FREQ=WEEKLY;UNTIL=20270316'), BERLIN)).to.equal('FREQ=WEEKLY;UNTIL=20270316T225959Z');
  });

  it('writes the rule in one canonical form', () => {
    expect(formatRecurrence(rule('rrule:freq=weekly;byday=tu,th,tu;interval=1;count=4'))).to.equal('FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4');
  });

  it('stays bounded on rules that would run for millennia or never match', () => {
    // The expansion stops at the 101st occurrence or at the instrument's horizon, whichever comes first.
    const reasons = ['FREQ=DAILY;UNTIL=99991231', 'FREQ=DAILY;BYMONTHDAY=30;INTERVAL=366;UNTIL=99991231', 'FREQ=MONTHLY;BYMONTHDAY=30;INTERVAL=12;COUNT=99']
      .map((text) => expand(text, '2027-02-01T09:00'))
      .map((result) => ('error' in result ? result.error.params?.reason : 'expanded'));
    expect(reasons).to.deep.equal(['TOO_MANY_OCCURRENCES', 'RECURRENCE_EMPTY', 'SERIES_BEYOND_MAX_ADVANCE']);
  });
});
