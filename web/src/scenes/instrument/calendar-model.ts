// The week calendar as plain data: days in the viewer's zone, cut into cells on the instrument's slot grid (which
// is wall-clock time in the lab's zone), each cell free, busy, the viewer's own, or closed and why. Pure: no React,
// no fetching, so the zone arithmetic is tested on its own (test/web/calendar-model.test.ts). No zone is special:
// Asia/Yangon's +06:30 and a Berlin DST change fall out of Luxon's arithmetic.
import { DateTime, Interval } from 'luxon';

export type Weekday = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';
const WEEKDAYS: Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

export interface WeekInput {
  /** Any instant in the first day of the week shown; days start at the viewer's midnight. */
  weekStart: DateTime;
  days?: number;
  viewerZone: string;
  labZone: string;
  /** Lab wall-clock windows, "HH:mm", end may be "24:00". */
  openingHours: { weekday: Weekday; start: string; end: string }[];
  /** Lab-local dates the lab is closed, with the reason to show. */
  closedDays: { date: string; reason: string }[];
  free: { start: string; end: string }[];
  busy: { start: string; end: string; kind: 'BOOKING' | 'BLACKOUT' }[];
  mine: { id: string; start: string; end: string; status: string }[];
  slotMinutes: number;
  /** Only instants after this are offered (the API would refuse the past anyway). */
  now: DateTime;
}

export type CellState = 'free' | 'busy' | 'blackout' | 'mine' | 'closed' | 'unavailable';

export interface Cell {
  start: DateTime;
  end: DateTime;
  state: CellState;
  /** Set for 'mine'. */
  status?: string;
  /** Set for 'closed' on a holiday or closure day. */
  reason?: string;
  /** Minutes from the viewer's midnight to the start, and the length in minutes (for layout). */
  top: number;
  height: number;
}

export interface Day {
  start: DateTime;
  cells: Cell[];
  /** Holidays and closure days of the lab that fall on this viewer day. */
  closures: string[];
}

export interface Week {
  days: Day[];
  /** Viewer minutes of day to show: from the earliest open cell to the latest, in whole hours. */
  fromMinute: number;
  toMinute: number;
}

/** Cells no shorter than 30 minutes and a whole number of slots, so a day stays readable at any slot length. */
export function cellMinutesFor(slotMinutes: number): number {
  return slotMinutes >= 30 ? slotMinutes : Math.ceil(30 / slotMinutes) * slotMinutes;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function buildWeek(input: WeekInput): Week {
  const cellMinutes = cellMinutesFor(input.slotMinutes);
  const toIntervals = <T extends { start: string; end: string }>(spans: T[]) =>
    spans.map((s) => ({ span: s, interval: Interval.fromDateTimes(DateTime.fromISO(s.start, { setZone: true }), DateTime.fromISO(s.end, { setZone: true })) }));
  const free = toIntervals(input.free);
  const busy = toIntervals(input.busy);
  const mine = toIntervals(input.mine);
  const closed = new Map(input.closedDays.map((d) => [d.date, d.reason]));
  const hours = new Map<Weekday, [number, number][]>();
  for (const w of input.openingHours) hours.set(w.weekday, [...(hours.get(w.weekday) ?? []), [minutesOf(w.start), minutesOf(w.end)]]);

  const first = input.weekStart.setZone(input.viewerZone).startOf('day');
  const days: Day[] = [];
  let fromMinute = 24 * 60;
  let toMinute = 0;
  for (let d = 0; d < (input.days ?? 7); d++) {
    const dayStart = first.plus({ days: d });
    const dayEnd = dayStart.plus({ days: 1 });
    // The first grid line at or after the viewer's midnight, counted from the lab's midnight.
    const labAtStart = dayStart.setZone(input.labZone);
    const labMidnight = labAtStart.startOf('day');
    const intoGrid = Math.ceil(labAtStart.diff(labMidnight, 'minutes').minutes / cellMinutes) * cellMinutes;
    const cells: Cell[] = [];
    const closures = new Set<string>();
    for (let start = labMidnight.plus({ minutes: intoGrid }); start < dayEnd; start = start.plus({ minutes: cellMinutes })) {
      const end = DateTime.min(start.plus({ minutes: cellMinutes }), dayEnd);
      const cell = Interval.fromDateTimes(start, end);
      const labStart = start.setZone(input.labZone);
      const reason = closed.get(labStart.toISODate()!);
      if (reason) closures.add(reason);
      const labMinute = labStart.hour * 60 + labStart.minute;
      const open = !reason && (hours.get(WEEKDAYS[labStart.weekday - 1]) ?? []).some(([from, to]) => labMinute >= from && labMinute < to);
      const own = mine.find((m) => m.interval.overlaps(cell));
      const taken = busy.find((b) => b.interval.overlaps(cell));
      let state: CellState;
      if (own) state = 'mine';
      else if (taken) state = taken.span.kind === 'BLACKOUT' ? 'blackout' : 'busy';
      else if (!open) state = 'closed';
      else if (start > input.now && free.some((f) => f.interval.engulfs(cell))) state = 'free';
      else state = 'unavailable';
      const top = Math.round(start.setZone(input.viewerZone).diff(dayStart, 'minutes').minutes);
      const height = Math.round(end.diff(start, 'minutes').minutes);
      if (state !== 'closed') {
        fromMinute = Math.min(fromMinute, top);
        toMinute = Math.max(toMinute, top + height);
      }
      cells.push({ start, end, state, status: own?.span.status, reason, top, height });
    }
    days.push({ start: dayStart, cells, closures: [...closures] });
  }
  if (toMinute <= fromMinute) {
    fromMinute = 8 * 60;
    toMinute = 18 * 60;
  }
  return { days, fromMinute: Math.floor(fromMinute / 60) * 60, toMinute: Math.min(24 * 60, Math.ceil(toMinute / 60) * 60) };
}

/** The span a click (or a drag from `from` to `to`) selects: whole cells, at least the instrument's minimum, at most its maximum. */
export function selectSpan(from: Cell, to: Cell, rules: { slotMinutes: number; minMinutes: number; maxMinutes: number }): { start: DateTime; end: DateTime } {
  const start = DateTime.min(from.start, to.start);
  let end = DateTime.max(from.end, to.end);
  const minutes = end.diff(start, 'minutes').minutes;
  const wanted = Math.min(rules.maxMinutes, Math.max(rules.minMinutes, minutes));
  const snapped = Math.ceil(wanted / rules.slotMinutes) * rules.slotMinutes;
  end = start.plus({ minutes: Math.min(snapped, Math.floor(rules.maxMinutes / rules.slotMinutes) * rules.slotMinutes) });
  return { start, end };
}
