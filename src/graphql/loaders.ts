// DataLoaders, created per request: related rows of list items load in one query per kind.
import DataLoader from 'dataloader';
import { Op, type ModelStatic, type Model } from 'sequelize';
import { userVisibilities, type UserVisibility } from '../access/policies';
import type { Viewer } from '../access/viewer';
import { findSeriesBookings, findSeriesByIds, findSeriesOccurrences, type BookingSeriesRow, type SeriesOccurrenceRow } from '../booking/series-store';
import { Booking, BookingGroup, BookingHistory, Institution, Instrument, Lab, LabMembership, OpeningHour, User } from '../db/models';
import type {
  BookingGroupRow, BookingHistoryRow, BookingRow, InstitutionRow, InstrumentRow, LabMembershipRow, LabRow, OpeningHourRow, UserRow,
} from '../db/rows';

function byId<Row extends { id: number }>(model: ModelStatic<Model>): DataLoader<number, Row | null> {
  return new DataLoader<number, Row | null>(async (ids) => {
    const rows = (await model.findAll({ where: { id: { [Op.in]: [...ids] } }, raw: true })) as unknown as Row[];
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

function groupedBy<Row>(load: (keys: readonly number[]) => Promise<Row[]>, keyOf: (row: Row) => number): DataLoader<number, Row[]> {
  return new DataLoader<number, Row[]>(async (keys) => {
    const groups = new Map<number, Row[]>(keys.map((k) => [k, []]));
    for (const row of await load(keys)) groups.get(keyOf(row))?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  });
}

export function createLoaders(viewer: Viewer) {
  return {
    /** Series by id (Booking.series: whoever sees a booking sees its series, which has the same booker and lab). */
    bookingSeries: new DataLoader<number, BookingSeriesRow | null>(async (ids) => {
      const map = new Map((await findSeriesByIds(ids)).map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    occurrencesBySeries: groupedBy<SeriesOccurrenceRow>((ids) => findSeriesOccurrences(ids), (row) => row.seriesId),
    bookingsBySeries: groupedBy<BookingRow>((ids) => findSeriesBookings(ids), (row) => row.seriesId as number),
    /** How much of each user this request's viewer may see (the policy in access/policies.ts). */
    userVisibility: new DataLoader<number, UserVisibility>(async (ids) => {
      const visibility = await userVisibilities(viewer, ids);
      return ids.map((id) => visibility.get(id) ?? 'NONE');
    }),
    institution: byId<InstitutionRow>(Institution),
    lab: byId<LabRow>(Lab),
    instrument: byId<InstrumentRow>(Instrument),
    user: byId<UserRow>(User),
    booking: byId<BookingRow>(Booking),
    /** The lab-wide weekly windows (no instrument override). */
    labOpeningHours: groupedBy<OpeningHourRow>(
      (labIds) => OpeningHour.findAll({ where: { labId: { [Op.in]: [...labIds] }, instrumentId: null }, order: [['weekday', 'ASC'], ['startMinute', 'ASC']], raw: true }),
      (row) => row.labId,
    ),
    /** An instrument's own windows; empty means it follows its lab. */
    instrumentOpeningHours: groupedBy<OpeningHourRow>(
      (ids) => OpeningHour.findAll({ where: { instrumentId: { [Op.in]: [...ids] } }, order: [['weekday', 'ASC'], ['startMinute', 'ASC']], raw: true }),
      (row) => row.instrumentId as number,
    ),
    membershipsByUser: groupedBy<LabMembershipRow>(
      (userIds) => LabMembership.findAll({ where: { userId: { [Op.in]: [...userIds] } }, order: [['labId', 'ASC']], raw: true }),
      (row) => row.userId,
    ),
    bookingGroup: byId<BookingGroupRow>(BookingGroup),
    /** A group's parts, in the order they were requested. */
    partsByGroup: groupedBy<BookingRow>(
      (groupIds) => Booking.findAll({ where: { groupId: { [Op.in]: [...groupIds] } }, order: [['id', 'ASC']], raw: true }),
      (row) => row.groupId as number,
    ),
    historyByBooking: groupedBy<BookingHistoryRow>(
      (bookingIds) => BookingHistory.findAll({ where: { bookingId: { [Op.in]: [...bookingIds] } }, order: [['id', 'ASC']], raw: true }),
      (row) => row.bookingId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
