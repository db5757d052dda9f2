// Keyset pagination for the lists ordered by start (bookings, blackouts, usage logs): a page resumes after the
// (startAt, id) position of the last row of the previous one, so a page costs the same however deep it is.
import { Op, type Order, type WhereOptions } from 'sequelize';
import { badRequest } from '../errors';
import { isSupportedInstant } from '../scheduling/supported-range';

export interface StartOrderedPage {
  size: number;
  /** [startAt ISO, id] of the last row seen (GraphQL cursors carry it). */
  after?: [string, number];
}

export const START_ORDER: Order = [
  ['startAt', 'ASC'],
  ['id', 'ASC'],
];

/** The rows after a position in START_ORDER. */
export function afterStartPosition<T extends { startAt: Date; id: number }>(after: [string, number]): WhereOptions<T> {
  const [startIso, id] = after;
  const start = new Date(startIso);
  // Cursors come back from clients: a made-up start (year 0, 10000, not a date) must not reach the database.
  if (!isSupportedInstant(start.getTime())) throw badRequest('NOT_A_CURSOR', { name: 'after' });
  return { [Op.or]: [{ startAt: { [Op.gt]: start } }, { startAt: start, id: { [Op.gt]: id } }] } as WhereOptions<T>;
}
