// Small mappings shared by resolver files.
import type { UserRow } from '../../db/rows';
import type { GraphQLContext } from '../context';
import type { Weekday } from '../generated/resolvers-types';

const WEEKDAYS: Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

export const weekdayName = (isoWeekday: number): Weekday => WEEKDAYS[isoWeekday - 1];
export const weekdayNumber = (name: Weekday): number => WEEKDAYS.indexOf(name) + 1;

/** Minutes after midnight as HH:mm; 1440 is 24:00. */
export function clockTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function must<T>(value: T | null | undefined, what: string): T {
  if (value == null) throw new Error(`${what} is missing: the database lost a reference`);
  return value;
}

/** A nullable reference to a user: null when the viewer may not see that user at all, as if it did not exist. */
export async function visibleUser(userId: number | null | undefined, { loaders }: GraphQLContext): Promise<UserRow | null> {
  if (!userId) return null;
  const [user, visibility] = await Promise.all([loaders.user.load(userId), loaders.userVisibility.load(userId)]);
  return visibility === 'NONE' ? null : user;
}
