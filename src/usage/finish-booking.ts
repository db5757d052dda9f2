// At a booking's end plus a grace period: COMPLETED, or NO_SHOW when check-in is required and did not happen;
// then its usage log, written once (unique booking_id). The status change goes first, in its own transaction with
// its history and outbox event; if the process dies before the log is written, the retry finds the booking already
// COMPLETED/NO_SHOW and writes the missing log. Every step is safe to repeat.
import { completeBooking, markNoShow } from '../booking/change-status';
import { findBooking } from '../booking/store';
import { Instrument, User } from '../db/models';
import { rawQuery, type WriteResult } from '../db/raw';
import { sqlInstant } from '../db/sql-instant';
import type { BookingRow } from '../db/rows';

export type FinishOutcome =
  | { outcome: 'NOT_FOUND' | 'MOVED' | 'NOT_HELD' | 'LOGGED' | 'ALREADY_LOGGED' }
  | { outcome: 'NOT_DUE'; dueAt: Date };

export interface FinishOptions {
  now: Date;
  graceMs: number;
  /** The end the caller planned for; a CONFIRMED booking with another end was moved and has its own job. */
  expectedEndMs?: number;
}

/** Minutes really used: from check-in/out when recorded (either may be missing), else the booked span. */
export function usedMinutes(booking: Pick<BookingRow, 'startAt' | 'endAt' | 'checkedInAt' | 'checkedOutAt' | 'status'>): number {
  if (booking.status === 'NO_SHOW') return 0;
  const from = (booking.checkedInAt ?? booking.startAt).getTime();
  const to = (booking.checkedOutAt ?? booking.endAt).getTime();
  return Math.max(0, Math.round((to - from) / 60_000));
}

async function writeUsageLog(booking: BookingRow): Promise<boolean> {
  const [instrument, user] = await Promise.all([
    Instrument.findByPk(booking.instrumentId, { attributes: ['labId'], raw: true }),
    User.findByPk(booking.userId, { attributes: ['institutionId'], raw: true }),
  ]);
  const written = await rawQuery<WriteResult>(
    Instrument.sequelize!,
    `INSERT IGNORE INTO usage_logs (booking_id, instrument_id, lab_id, user_id, institution_id, outcome, booked_minutes, used_minutes, start_at, end_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      booking.id, booking.instrumentId, instrument!.labId, booking.userId, user!.institutionId, booking.status,
      Math.round((booking.endAt.getTime() - booking.startAt.getTime()) / 60_000), usedMinutes(booking), sqlInstant(booking.startAt), sqlInstant(booking.endAt),
    ],
  );
  return written.affectedRows > 0;
}

export async function finishBooking(bookingId: number, options: FinishOptions): Promise<FinishOutcome> {
  let booking = await findBooking(bookingId);
  // A check-in or check-out between the read and the lock changes the version: read again and retry (bounded).
  for (let attempt = 1; booking?.status === 'CONFIRMED' && attempt <= 3; attempt += 1) {
    if (options.expectedEndMs !== undefined && booking.endAt.getTime() !== options.expectedEndMs) return { outcome: 'MOVED' };
    const dueAt = new Date(booking.endAt.getTime() + options.graceMs);
    if (options.now < dueAt) return { outcome: 'NOT_DUE', dueAt };
    const instrument = await Instrument.findByPk(booking.instrumentId, { attributes: ['requiresCheckIn'], raw: true });
    const noShow = Boolean(instrument?.requiresCheckIn) && !booking.checkedInAt;
    await (noShow ? markNoShow : completeBooking)({
      bookingId, note: noShow ? 'No check-in before the end of the booking' : 'Booking ended', expectedVersion: booking.version,
    });
    booking = await findBooking(bookingId);
  }
  if (!booking) return { outcome: 'NOT_FOUND' };
  if (booking.status === 'CONFIRMED') throw new Error(`booking ${bookingId} kept changing while it was being finished; will retry`);
  if (booking.status !== 'COMPLETED' && booking.status !== 'NO_SHOW') return { outcome: 'NOT_HELD' };
  return { outcome: (await writeUsageLog(booking)) ? 'LOGGED' : 'ALREADY_LOGGED' };
}
