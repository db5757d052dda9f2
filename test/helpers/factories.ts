// Rows with sane defaults; pass only what a test cares about.
import { DateTime } from 'luxon';
import { Booking, BookingHistory, Institution, Instrument, Lab, LabMembership, OpeningHour, User } from '../../src/db/models';
import type { BookingRow, InstitutionRow, InstrumentRow, LabRow, UserRow } from '../../src/db/rows';
import type { BookingStatus } from '../../src/db/models/booking';

let sequence = 0;
const next = () => ++sequence;

export async function makeInstitution(attrs: Partial<InstitutionRow> = {}): Promise<InstitutionRow> {
  const n = next();
  const row = await Institution.create({ name: `Institute ${n}`, countryCode: 'TH', timeZone: 'Asia/Bangkok', ...attrs });
  return row.get({ plain: true });
}

export async function makeUser(attrs: Partial<UserRow> = {}): Promise<UserRow> {
  const institutionId = attrs.institutionId ?? (await makeInstitution()).id;
  const n = next();
  const row = await User.create({ email: `user${n}@test.example`, name: `User ${n}`, timeZone: 'Asia/Bangkok', ...attrs, institutionId });
  return row.get({ plain: true });
}

export async function makeLab(attrs: Partial<LabRow> = {}): Promise<LabRow> {
  const institutionId = attrs.institutionId ?? (await makeInstitution()).id;
  const n = next();
  const row = await Lab.create({ name: `Lab ${n}`, countryCode: 'TH', timeZone: 'Asia/Bangkok', observesPublicHolidays: false, ...attrs, institutionId });
  return row.get({ plain: true });
}

export async function addMember(userId: number, labId: number, role: 'MEMBER' | 'MANAGER' = 'MEMBER'): Promise<void> {
  await LabMembership.create({ userId, labId, role });
}

/** Weekly windows "HH:mm-HH:mm" for weekdays 1..7 (ISO), on a lab or an instrument. */
export async function setHours(
  target: { labId: number; instrumentId?: number },
  windows: { weekdays: number[]; from: string; to: string }[],
): Promise<void> {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  await OpeningHour.bulkCreate(
    windows.flatMap((w) =>
      w.weekdays.map((weekday) => ({
        labId: target.labId, instrumentId: target.instrumentId ?? null, weekday, startMinute: minutes(w.from), endMinute: minutes(w.to),
      })),
    ),
  );
}

export const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
export const WEEKDAYS = [1, 2, 3, 4, 5];

export async function makeInstrument(attrs: Partial<InstrumentRow> = {}): Promise<InstrumentRow> {
  const labId = attrs.labId ?? (await makeLab()).id;
  const n = next();
  const row = await Instrument.create({
    name: `Instrument ${n}`, category: 'mass-spectrometer', slotMinutes: 30, minMinutes: 30, maxMinutes: 480,
    minNoticeMinutes: 0, maxAdvanceDays: 365, bufferAfterMinutes: 0, ...attrs, labId,
  });
  return row.get({ plain: true });
}

export async function makeBooking(
  attrs: Partial<BookingRow> & { instrumentId: number; userId: number; start: string | DateTime; end: string | DateTime; status?: BookingStatus },
): Promise<BookingRow> {
  const toDate = (v: string | DateTime) => (typeof v === 'string' ? DateTime.fromISO(v, { setZone: true }) : v).toJSDate();
  const { start, end, ...rest } = attrs;
  const row = await Booking.create({ status: 'CONFIRMED', purpose: 'test', ...rest, startAt: toDate(start), endAt: toDate(end) });
  await BookingHistory.create({ bookingId: row.id, actorUserId: attrs.userId, fromStatus: null, toStatus: row.status });
  return row.get({ plain: true });
}
