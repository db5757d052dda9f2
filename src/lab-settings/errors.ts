// Mistakes a lab manager can make, reported as data on the mutation payload (UserError), never thrown.
export type SettingsErrorCode = 'BAD_INPUT' | 'NOT_FOUND' | 'INVALID_TIME_RANGE' | 'INVALID_ICS';

export interface SettingsError {
  code: SettingsErrorCode;
  message: string;
  field?: string;
}

export interface SettingsResult<T> {
  value: T | null;
  errors: SettingsError[];
}

export const failure = <T>(...errors: SettingsError[]): SettingsResult<T> => ({ value: null, errors });
export const success = <T>(value: T): SettingsResult<T> => ({ value, errors: [] });

export const badInput = (field: string, message: string): SettingsError => ({ code: 'BAD_INPUT', field, message });

/** Longest free-text reason a blackout or closure day keeps (the column's width). */
export const MAX_REASON_LENGTH = 500;
