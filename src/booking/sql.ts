// Booking rows read with plain SQL, in the shape Sequelize's raw queries give (camelCase attributes).
const COLUMNS = [
  'id', 'instrument_id AS instrumentId', 'user_id AS userId', 'start_at AS startAt', 'end_at AS endAt', 'status', 'purpose',
  'idempotency_key AS idempotencyKey', 'request_fingerprint AS requestFingerprint', 'decided_by AS decidedBy',
  'decided_at AS decidedAt', 'decision_note AS decisionNote', 'checked_in_at AS checkedInAt', 'checked_out_at AS checkedOutAt',
  'version', 'created_at AS createdAt', 'updated_at AS updatedAt',
];
export const BOOKING_COLUMNS = COLUMNS.join(', ');

/** The same columns qualified by a table alias, for statements that join bookings to other tables. */
export const bookingColumnsOf = (alias: string): string => COLUMNS.map((column) => `${alias}.${column}`).join(', ');
