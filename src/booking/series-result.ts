// The one result shape of the series commands: the series (or null), every occurrence with its outcome, the errors.
import type { PlainTransaction } from '../db/raw';
import type { BookingStatus } from '../db/models/booking';
import type { BookingRow } from '../db/rows';
import type { UserError } from '../errors';
import type { SeriesEventPayload } from '../events/types';
import { mayOnBooking } from '../access/policies';
import type { UserViewer } from '../access/viewer';
import { findSeriesBookings, findSeriesOccurrences, findSeriesWithLab, type BookingSeriesRow, type SeriesOccurrenceRow } from './series-store';

/** One occurrence as answered: where the rule placed it, BOOKED / WOULD_BOOK / the first rule broken, and its booking. */
export interface OccurrenceView {
  start: Date;
  end: Date;
  outcome: string;
  /** Every rule broken, as found when the series was requested (not kept: empty when read back later). */
  problems: UserError[];
  booking: BookingRow | null;
}

export interface SeriesResult {
  series: BookingSeriesRow | null;
  occurrences: OccurrenceView[];
  errors: UserError[];
}

export const seriesFailure = (...errors: UserError[]): SeriesResult => ({ series: null, occurrences: [], errors });

/** The stored occurrences of a series with their bookings as they are now. */
export async function occurrenceViews(seriesId: number, transaction?: PlainTransaction): Promise<OccurrenceView[]> {
  const rows = await findSeriesOccurrences([seriesId], transaction);
  const bookings = await findSeriesBookings([seriesId], transaction);
  const byId = new Map(bookings.map((b) => [b.id, b]));
  return rows.map((r) => storedView(r, r.bookingId === null ? null : byId.get(r.bookingId) ?? null));
}

export const storedView = (row: SeriesOccurrenceRow, booking: BookingRow | null): OccurrenceView => ({
  start: row.occurrenceStart, end: row.occurrenceEnd, outcome: row.outcome, problems: [], booking,
});

/** A series that exists, answered with its occurrences as stored. */
export async function seriesResultOf(series: BookingSeriesRow, transaction?: PlainTransaction): Promise<SeriesResult> {
  return { series, occurrences: await occurrenceViews(series.id, transaction), errors: [] };
}

/** The payload of a series event: the bookings the change touched and the occurrences never booked (EXDATEs). */
export function seriesEventFor(
  series: BookingSeriesRow,
  touched: BookingRow[],
  occurrences: SeriesOccurrenceRow[],
  change: { status: BookingStatus; previousStatus: BookingStatus | null; actorUserId: number | null; note: string | null; scope?: 'ALL' | 'THIS_AND_FOLLOWING' },
): SeriesEventPayload {
  return {
    seriesId: series.id,
    instrumentId: series.instrumentId,
    userId: series.userId,
    status: change.status,
    previousStatus: change.previousStatus,
    recurrence: series.recurrence,
    timeZone: series.timeZone,
    start: touched[0].startAt.toISOString(),
    end: touched[touched.length - 1].endAt.toISOString(),
    bookingIds: touched.map((b) => b.id),
    skipped: occurrences.filter((o) => o.bookingId === null).map((o) => o.occurrenceStart.toISOString()),
    ...(change.scope ? { scope: change.scope } : {}),
    version: series.version,
    actorUserId: change.actorUserId,
    note: change.note,
  };
}

/** A series the user may see (the booking policy's SEE: its booker, the lab's managers, admins), else null. */
export async function findVisibleSeries(user: UserViewer, seriesId: number): Promise<BookingSeriesRow | null> {
  const found = await findSeriesWithLab(seriesId);
  if (!found) return null;
  return (await mayOnBooking(user, 'SEE', { booking: { userId: found.series.userId }, labId: found.labId })) ? found.series : null;
}
