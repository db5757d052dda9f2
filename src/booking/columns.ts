// The booking's columns: the one statement of its shape in SQL, for the store and for the benchmark's bare baseline
// (which must send the very same statements). Types only from the model; nothing here loads Sequelize.
import type { BookingRow } from '../db/rows';

/** Each attribute of a booking and its column: the one statement of the booking's shape in SQL. */
export const COLUMN_OF: { readonly [K in keyof BookingRow]-?: string } = {
  id: 'id', instrumentId: 'instrument_id', userId: 'user_id', startAt: 'start_at', endAt: 'end_at', status: 'status',
  purpose: 'purpose', idempotencyKey: 'idempotency_key', requestFingerprint: 'request_fingerprint', decidedBy: 'decided_by',
  decidedAt: 'decided_at', decisionNote: 'decision_note', checkedInAt: 'checked_in_at', checkedOutAt: 'checked_out_at',
  seriesId: 'series_id', groupId: 'group_id',
  version: 'version', createdAt: 'created_at', updatedAt: 'updated_at',
};
const ATTRIBUTES = Object.keys(COLUMN_OF) as (keyof BookingRow)[];

/** The booking's columns, read in the shape Sequelize's raw queries give (camelCase attributes), under a table alias. */
export const bookingColumnsOf = (alias?: string): string =>
  ATTRIBUTES.map((a) => `${alias ? `${alias}.` : ''}${COLUMN_OF[a]}${COLUMN_OF[a] === a ? '' : ` AS ${a}`}`).join(', ');
