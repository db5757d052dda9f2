// The one error model. A caller's mistake is data: a UserError with a code (the GraphQL contract's UserErrorCode),
// the input field it concerns and the parameters its message needs; the sentence is rendered at the edge in the
// viewer's language from the catalogs (src/i18n). Refusals that end a request (sign in first, not allowed) are thrown
// as DomainError and become GraphQL errors with extensions.code.
import type { Interval } from 'luxon';
import type { MessageParams, ViolationCode } from './scheduling/types';

export type { MessageParams } from './scheduling/types';

export type UserErrorCode =
  | ViolationCode
  | 'BAD_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INVALID_STATE'
  | 'STALE_VERSION'
  | 'NOT_QUALIFIED'
  | 'CHECK_IN_WINDOW'
  | 'INVALID_ICS'
  | 'SERIES_NOT_BOOKED';

export interface UserError<C extends UserErrorCode = UserErrorCode> {
  code: C;
  field?: string;
  /** What the message needs (see `error.<CODE>…` in src/i18n/catalogs/en/errors.json); `reason` picks among its sentences. */
  params?: MessageParams;
  /** For CONFLICT: the conflicting spans (no identity). */
  conflicts?: Interval[];
}

/** The one result shape of every domain command: the value under its own name (booking, apiKey...) and the errors. */
export type Result<K extends string, T, C extends UserErrorCode = UserErrorCode> = { [P in K]: T | null } & { errors: UserError<C>[] };

/** A result that failed with these errors. */
export const failure = <K extends string, T, C extends UserErrorCode = UserErrorCode>(key: K, errors: UserError<C>[]): Result<K, T, C> =>
  ({ [key]: null, errors }) as Result<K, T, C>;

/** A BAD_INPUT error: `reason` names the sentence, the rest are its parameters. */
export const badInput = (field: string, reason: string, params: MessageParams = {}): UserError<'BAD_INPUT'> => ({ code: 'BAD_INPUT', field, params: { reason, ...params } });

/** A NOT_FOUND error: `what` was not found (or may not be seen, which reads the same). */
export const notFound = (field: string, what: string): UserError<'NOT_FOUND'> => ({ code: 'NOT_FOUND', field, params: { what } });

export type DomainErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The catalog's sentence for it (errors.json `error.<code>.<reason>`): the GraphQL edge says it in the viewer's language. */
    readonly sentence?: { reason: string; params?: MessageParams },
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
