// Mistakes a lab manager can make, reported as data on the mutation payload (UserError), never thrown.
import { failure as fail, type Result, type UserError } from '../errors';

export { badInput } from '../errors';

export type SettingsError = UserError<'BAD_INPUT' | 'NOT_FOUND' | 'INVALID_TIME_RANGE' | 'INVALID_ICS'>;
export type SettingsResult<T> = Result<'value', T, SettingsError['code']>;

export const failure = <T>(...errors: SettingsError[]): SettingsResult<T> => fail<'value', T, SettingsError['code']>('value', errors);
export const success = <T>(value: T): SettingsResult<T> => ({ value, errors: [] });

/** Longest free-text reason a blackout or closure day keeps (the column's width). */
export const MAX_REASON_LENGTH = 500;
