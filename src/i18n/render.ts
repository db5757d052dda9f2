// Renders a UserError's message in a locale. Only English exists yet (messages/en.ts); other locales fall back to it
// entry by entry, so a catalog may be filled gradually (the languages issue adds them and ICU formatting).
import type { MessageParams, UserError, UserErrorCode } from '../errors';
import { en } from './messages/en';

export type Catalog = { readonly [C in UserErrorCode]: (params: MessageParams) => string };

const CATALOGS: Readonly<Record<string, Partial<Catalog>>> = { en };

export function render(locale: string | undefined, code: UserErrorCode, params: MessageParams = {}): string {
  const language = (locale ?? 'en').split('-')[0];
  const entry = CATALOGS[locale ?? 'en']?.[code] ?? CATALOGS[language]?.[code] ?? en[code];
  return entry(params);
}

/** The message of one error. */
export const messageOf = (locale: string | undefined, error: Pick<UserError, 'code' | 'params'>): string => render(locale, error.code, error.params);
