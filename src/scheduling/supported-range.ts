// The one span of time LabShare accepts and computes with. Every instant and calendar date a client sends is checked
// against it before anything else sees it: outside it the libraries underneath misbehave (date-holidays never returns
// for years 0–2 in CN, VN, ID, MY, SG, PH and BN; DATETIME and DATE columns end at 9999 and MariaDB reads year 0000 as
// 2000; Luxon and Intl give up on lab-local year 10000).
import { DAY_MS, dayOfIsoDate } from './zone-time';

/** First and last supported calendar dates (UTC for instants, lab-local for dates), both included. */
export const SUPPORTED_DATES = { first: '1970-01-01', last: '2199-12-31' } as const;

export const FIRST_SUPPORTED_YEAR = Number(SUPPORTED_DATES.first.slice(0, 4));
export const LAST_SUPPORTED_YEAR = Number(SUPPORTED_DATES.last.slice(0, 4));
/** The first supported instant, epoch ms. */
export const SUPPORTED_START_MS = Date.parse(`${SUPPORTED_DATES.first}T00:00:00Z`);
/** The first instant after the supported range, epoch ms. */
export const SUPPORTED_END_MS = Date.parse(`${SUPPORTED_DATES.last}T00:00:00Z`) + DAY_MS;

/** The range as error messages and the schema documentation name it. */
export const SUPPORTED_INSTANTS_TEXT = `${SUPPORTED_DATES.first}T00:00:00Z to ${SUPPORTED_DATES.last}T23:59:59.999Z`;

export function isSupportedInstant(ms: number): boolean {
  return ms >= SUPPORTED_START_MS && ms < SUPPORTED_END_MS;
}

/** True for a real yyyy-MM-dd calendar date from SUPPORTED_DATES.first to SUPPORTED_DATES.last. */
export function isSupportedDate(date: string): boolean {
  if (!(date >= SUPPORTED_DATES.first && date <= SUPPORTED_DATES.last)) return false;
  try {
    dayOfIsoDate(date); // throws for anything but a real calendar date
    return true;
  } catch {
    return false;
  }
}
