// The booking dialog's weekly repeat, without a browser: the RRULE it sends and the occurrences it previews, counted
// in the lab's wall-clock time as the API expands them (a Berlin 09:00 stays 09:00 across the DST change).
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { MAX_OCCURRENCES, weeklyOccurrences, weeklyRule } from '../../web/src/scenes/instrument/recurrence';

const BERLIN = 'Europe/Berlin';
// Tuesday 23 March 2027, 09:00–11:00 in Berlin; Berlin moves to CEST on Sunday 28 March.
const span = { start: DateTime.fromISO('2027-03-23T09:00', { zone: BERLIN }), end: DateTime.fromISO('2027-03-23T11:00', { zone: BERLIN }) };

describe('web weekly repeat', () => {
  it('sends the first occurrence\'s own day with the chosen ones, and COUNT or UNTIL as a lab date', () => {
    expect(weeklyRule({ days: ['TH'], end: { count: 6 } }, span.start, BERLIN)).to.equal('FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6');
    expect(weeklyRule({ days: [], end: { until: '2027-04-30' } }, span.start, BERLIN)).to.equal('FREQ=WEEKLY;BYDAY=TU;UNTIL=20270430');
  });

  it('names the weekday in the lab\'s zone, not the viewer\'s', () => {
    // 23:30 on Monday in Yangon is Monday 18:00 in Berlin (UTC+1) but Tuesday 06:00 in Auckland (UTC+13).
    const yangonMonday = DateTime.fromISO('2027-03-22T23:30', { zone: 'Asia/Yangon' });
    expect(weeklyRule({ days: [], end: { count: 2 } }, yangonMonday, BERLIN)).to.equal('FREQ=WEEKLY;BYDAY=MO;COUNT=2');
    expect(weeklyRule({ days: [], end: { count: 2 } }, yangonMonday, 'Pacific/Auckland')).to.equal('FREQ=WEEKLY;BYDAY=TU;COUNT=2');
  });

  it('previews each occurrence at the same lab-local time across the DST change, in order', () => {
    const list = weeklyOccurrences({ days: ['TH'], end: { count: 4 } }, span, BERLIN);
    expect(list.map((o) => o.start.setZone(BERLIN).toFormat('ccc dd HH:mm'))).to.deep.equal(['Tue 23 09:00', 'Thu 25 09:00', 'Tue 30 09:00', 'Thu 01 09:00']);
    expect(list.map((o) => o.start.toUTC().toFormat('HH:mm'))).to.deep.equal(['08:00', '08:00', '07:00', '07:00']);
    expect(list.every((o) => o.end.diff(o.start, 'minutes').minutes === 120)).to.equal(true);
  });

  it('stops at the last date, inclusive, and shows one past the limit so a rule over it is seen', () => {
    expect(weeklyOccurrences({ days: [], end: { until: '2027-04-06' } }, span, BERLIN)).to.have.length(3);
    expect(weeklyOccurrences({ days: ['MO', 'WE', 'FR'], end: { until: '2028-12-31' } }, span, BERLIN)).to.have.length(MAX_OCCURRENCES + 1);
  });
});
