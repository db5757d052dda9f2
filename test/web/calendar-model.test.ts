// The week calendar's zone arithmetic, without a browser: a Yangon (+06:30) viewer of a Berlin lab across the
// spring DST change, closure days, and how a click or a drag becomes a span on the slot grid.
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { buildWeek, cellMinutesFor, selectSpan, type WeekInput } from '../../web/src/scenes/instrument/calendar-model';

const EVERY_DAY = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
const YANGON = 'Asia/Yangon';
const BERLIN = 'Europe/Berlin';

function berlinWeek(overrides: Partial<WeekInput> = {}): WeekInput {
  return {
    // Berlin moves to CEST on Sunday 28 March 2027 at 02:00.
    weekStart: DateTime.fromISO('2027-03-22T00:00', { zone: YANGON }),
    viewerZone: YANGON,
    labZone: BERLIN,
    openingHours: EVERY_DAY.map((weekday) => ({ weekday, start: '08:00', end: '18:00' })),
    closedDays: [],
    free: [{ start: '2027-03-22T00:00:00+01:00', end: '2027-03-30T00:00:00+02:00' }],
    busy: [],
    mine: [],
    slotMinutes: 60,
    now: DateTime.fromISO('2027-03-01T00:00Z'),
    ...overrides,
  };
}

const firstOpen = (cells: ReturnType<typeof buildWeek>['days'][number]['cells']) => cells.find((c) => c.state !== 'closed')!;

describe('web calendar model', () => {
  it('puts Berlin opening hours at Yangon half hours, one hour earlier after Berlin moves to summer time', () => {
    const week = buildWeek(berlinWeek());
    const monday = firstOpen(week.days[0].cells);
    const sunday = firstOpen(week.days[6].cells);
    expect(monday.start.setZone(YANGON).toFormat('HH:mm')).to.equal('13:30');
    expect(monday.start.setZone(BERLIN).toFormat('HH:mm ZZ')).to.equal('08:00 +01:00');
    expect(sunday.start.setZone(YANGON).toFormat('HH:mm')).to.equal('12:30');
    expect(sunday.start.setZone(BERLIN).toFormat('HH:mm ZZ')).to.equal('08:00 +02:00');
    expect(monday.top).to.equal(13 * 60 + 30);
    expect(sunday.top).to.equal(12 * 60 + 30);
    expect(week.days[0].cells.filter((c) => c.state === 'free')).to.have.length(10);
    expect(week.days[6].cells.filter((c) => c.state === 'free')).to.have.length(10);
    // The rows shown cover both: from 12:00 (Sunday opens 12:30) to midnight (Berlin's 18:00 is 23:30 in winter).
    expect(week.fromMinute).to.equal(12 * 60);
    expect(week.toMinute).to.equal(24 * 60);
  });

  it('closes and names a closure day in the lab, and marks busy time, blackouts and the viewer\'s own booking', () => {
    const week = buildWeek(
      berlinWeek({
        viewerZone: BERLIN,
        weekStart: DateTime.fromISO('2027-03-22T00:00', { zone: BERLIN }),
        closedDays: [{ date: '2027-03-24', reason: 'Institute retreat' }],
        busy: [
          { start: '2027-03-22T09:00:00+01:00', end: '2027-03-22T10:00:00+01:00', kind: 'BOOKING' },
          { start: '2027-03-23T08:00:00+01:00', end: '2027-03-23T12:00:00+01:00', kind: 'BLACKOUT' },
        ],
        mine: [{ id: '7', start: '2027-03-22T11:00:00+01:00', end: '2027-03-22T12:00:00+01:00', status: 'PENDING' }],
      }),
    );
    const at = (day: number, hhmm: string) => week.days[day].cells.find((c) => c.start.toFormat('HH:mm') === hhmm)!;
    expect(week.days[2].closures).to.deep.equal(['Institute retreat']);
    expect(week.days[2].cells.every((c) => c.state === 'closed')).to.equal(true);
    expect(at(0, '09:00').state).to.equal('busy');
    expect(at(0, '11:00')).to.include({ state: 'mine', status: 'PENDING' });
    expect(at(1, '10:00').state).to.equal('blackout');
    expect(at(0, '08:00').state).to.equal('free');
    expect(at(0, '07:00').state).to.equal('closed');
  });

  it('offers nothing before now, and nothing the API did not list as free', () => {
    const week = buildWeek(berlinWeek({ now: DateTime.fromISO('2027-03-22T12:30:00+01:00'), free: [{ start: '2027-03-22T08:00:00+01:00', end: '2027-03-22T16:00:00+01:00' }] }));
    const states = week.days[0].cells.filter((c) => c.state !== 'closed').map((c) => `${c.start.setZone(BERLIN).toFormat('HH')}:${c.state}`);
    expect(states).to.deep.equal([
      '08:unavailable', '09:unavailable', '10:unavailable', '11:unavailable', '12:unavailable', '13:free', '14:free', '15:free', '16:unavailable', '17:unavailable',
    ]);
  });

  it('snaps a click to the instrument minimum and a long drag to its maximum, on the slot grid', () => {
    const week = buildWeek(berlinWeek({ slotMinutes: 30 }));
    const cells = week.days[0].cells.filter((c) => c.state === 'free');
    expect(cellMinutesFor(30)).to.equal(30);
    expect(cellMinutesFor(15)).to.equal(30);
    expect(cellMinutesFor(120)).to.equal(120);
    const click = selectSpan(cells[0], cells[0], { slotMinutes: 30, minMinutes: 90, maxMinutes: 240 });
    expect(click.end.diff(click.start, 'minutes').minutes).to.equal(90);
    const drag = selectSpan(cells[10], cells[1], { slotMinutes: 30, minMinutes: 30, maxMinutes: 240 });
    expect(drag.start.toMillis()).to.equal(cells[1].start.toMillis());
    expect(drag.end.diff(drag.start, 'minutes').minutes).to.equal(240);
  });
});
