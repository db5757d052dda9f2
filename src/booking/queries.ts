// Booking reads with their visibility rule: a user sees their own bookings in full, managers those of their labs,
// admins all. Everyone else sees busy time only (through availability), never these rows.
import { Op, type WhereOptions } from 'sequelize';
import type { DateTime } from 'luxon';
import { mayOnBooking, mayOnBookingGroup, requireLabManager, visibleBookings } from '../access/policies';
import type { UserViewer } from '../access/viewer';
import { afterStartPosition, START_ORDER, type StartOrderedPage } from '../db/keyset';
import { Booking, Instrument } from '../db/models';
import type { BookingStatus } from '../db/models/booking';
import type { BookingRow } from '../db/rows';
import type { BookingGroupWithParts } from './booking-groups';
import { findBookingGroup, findBookingWithLab, findGroupParts } from './store';

export interface BookingListFilter {
  instrumentId?: number;
  labId?: number;
  statuses?: BookingStatus[];
  from?: DateTime;
  to?: DateTime;
  /** only the viewer's own bookings */
  mine?: boolean;
}

export type BookingPage = StartOrderedPage;

async function visibilityClause(viewer: UserViewer, mine: boolean | undefined): Promise<WhereOptions<BookingRow>> {
  if (mine) return { userId: viewer.userId };
  const visible = await visibleBookings(viewer);
  if (visible.all) return {};
  if (visible.managedLabIds.length === 0) return { userId: visible.userId };
  const instruments = await Instrument.findAll({ where: { labId: { [Op.in]: visible.managedLabIds } }, attributes: ['id'], raw: true });
  return { [Op.or]: [{ userId: visible.userId }, { instrumentId: { [Op.in]: instruments.map((i) => i.id) } }] };
}

export async function listBookings(viewer: UserViewer, filter: BookingListFilter, page: BookingPage): Promise<BookingRow[]> {
  const and: WhereOptions<BookingRow>[] = [await visibilityClause(viewer, filter.mine)];
  if (filter.instrumentId) and.push({ instrumentId: filter.instrumentId });
  if (filter.labId) {
    const instruments = await Instrument.findAll({ where: { labId: filter.labId }, attributes: ['id'], raw: true });
    and.push({ instrumentId: { [Op.in]: instruments.map((i) => i.id) } });
  }
  if (filter.statuses?.length) and.push({ status: { [Op.in]: filter.statuses } });
  if (filter.from) and.push({ endAt: { [Op.gt]: filter.from.toJSDate() } });
  if (filter.to) and.push({ startAt: { [Op.lt]: filter.to.toJSDate() } });
  if (page.after) and.push(afterStartPosition<BookingRow>(page.after));
  return Booking.findAll({ where: { [Op.and]: and }, order: START_ORDER, limit: page.size + 1, raw: true });
}

/** A booking the viewer may see in full, or null (missing and hidden look the same). */
export async function findVisibleBooking(viewer: UserViewer, id: number): Promise<BookingRow | null> {
  const found = await findBookingWithLab(id);
  return found && (await mayOnBooking(viewer, 'SEE', found)) ? found.booking : null;
}

/** PENDING requests of one lab, earliest start first: for its managers and admins. */
export async function listPendingApprovals(viewer: UserViewer, labId: number, page: BookingPage): Promise<BookingRow[]> {
  await requireLabManager(viewer, labId);
  return listBookings(viewer, { labId, statuses: ['PENDING'] }, page);
}

/** A booking group the viewer may see (they may see one of its parts), with all its parts; else null. */
export async function findVisibleBookingGroup(viewer: UserViewer, id: number): Promise<BookingGroupWithParts | null> {
  const [group, parts] = await Promise.all([findBookingGroup(id), findGroupParts([id])]);
  if (!group || !(await mayOnBookingGroup(viewer, 'SEE', parts))) return null;
  return { ...group, parts: parts.map((p) => p.booking) };
}
