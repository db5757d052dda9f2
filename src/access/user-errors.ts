// Mistakes a caller of the access and sign-in commands can fix; resolvers return them as UserErrors on the payload.
import type { UserError } from '../errors';

export type AccessUserError = UserError<'BAD_INPUT' | 'NOT_FOUND'>;

export interface IdPage {
  size: number;
  afterId?: number;
}

/** JSON columns read with raw: true come back as text on MariaDB (JSON is an alias of LONGTEXT there). */
export function jsonStringArray(value: unknown): string[] | null {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (parsed == null) return null;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}
