// IANA zone checks are a pure function of the name and the runtime's tz database, so a per-process memo cannot
// disagree with another process. Luxon's check builds an Intl.DateTimeFormat each time, which is slow on hot paths.
import { IANAZone } from 'luxon';

const MAX_REMEMBERED = 2000; // the tz database has ~600 names; the cap bounds garbage input
const known = new Map<string, boolean>();

export function isValidTimeZone(name: string): boolean {
  let valid = known.get(name);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(name);
    if (known.size < MAX_REMEMBERED) known.set(name, valid);
  }
  return valid;
}
