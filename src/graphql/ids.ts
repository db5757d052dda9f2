import { badUserInput } from './errors';

const MAX_ID = 4294967295; // INT UNSIGNED

/** Parses a GraphQL ID argument into a row id, or raises BAD_USER_INPUT naming the argument. */
export function parseId(value: string | number, argument = 'id'): number {
  const text = String(value);
  if (!/^\d{1,10}$/.test(text) || Number(text) < 1 || Number(text) > MAX_ID) {
    throw badUserInput(`${argument} "${text.slice(0, 40)}" is not a valid ID: IDs are positive whole numbers.`, argument);
  }
  return Number(text);
}

export function parseOptionalId(value: string | number | null | undefined, argument: string): number | undefined {
  return value == null ? undefined : parseId(value, argument);
}
