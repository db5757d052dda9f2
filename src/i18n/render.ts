// The one renderer of the server's catalogs (src/i18n/catalogs/<tag>/<area>.json, ICU MessageFormat through
// intl-messageformat): API user errors, the sign-in pages and e-mail, and whatever else the server says in words.
// A message missing in a language follows that language's fallback chain, English last.
//
// A UserError's message is `error.<CODE>.<reason>` (NOT_FOUND: `error.NOT_FOUND.<what>`), else `error.<CODE>`. Its
// parameters reach the message as they are, except:
//   - instants (epoch ms under the names in INSTANTS, with `zone`) become wall-clock time in that zone with its
//     offset, "2026-12-03 09:00 (+06:30)" (format.ts);
//   - a list of records (blackouts, days, spans) becomes one phrase per record from `error.<CODE>.item`, joined as the
//     language joins "a, b and c"; a list of words (known values) is joined as "a, b or c"; either list also gives
//     `<name>Count` for plurals;
//   - the echoed input `value` is cut to 60 characters.
import { IntlMessageFormat } from 'intl-messageformat';
import type { DomainErrorCode, MessageParams, UserError, UserErrorCode } from '../errors';
import { catalog, fallbackChain, type CatalogArea } from './catalogs';
import { at } from './format';

export type MessageValues = Record<string, string | number | boolean | Date | null | undefined>;

const compiled = new Map<string, IntlMessageFormat>();

function compile(tag: string, area: CatalogArea, id: string, message: string): IntlMessageFormat {
  const key = `${tag}\u0000${area}\u0000${id}`;
  let format = compiled.get(key);
  if (!format) {
    format = new IntlMessageFormat(message, tag);
    compiled.set(key, format);
  }
  return format;
}

/**
 * The first of `ids` that some language of `tag`'s fallback chain has, formatted in that language; each id is sought
 * through the whole chain before the next (an English sentence for the exact case beats a vaguer one in the viewer's
 * language). A message that fails to format (a parameter missing) is skipped like a missing one. Null if none.
 */
export function formatFirst(tag: string, area: CatalogArea, ids: readonly string[], values: MessageValues | ((language: string) => MessageValues) = {}): { text: string; language: string } | null {
  for (const id of ids) {
    for (const language of fallbackChain(tag)) {
      const message = catalog(language, area)?.[id];
      if (message === undefined) continue;
      try {
        const text = compile(language, area, id, message).format(typeof values === 'function' ? values(language) : values);
        return { text: String(text), language };
      } catch {
        continue;
      }
    }
  }
  return null;
}

/** One message of an area in the language `tag` (or its fallbacks); the id itself if no language has it. */
export function formatMessage(tag: string, area: CatalogArea, id: string, values: MessageValues = {}): string {
  return formatFirst(tag, area, [id], values)?.text ?? id;
}

/** The parameters that are instants (epoch milliseconds), named in the parameters' `zone`. */
const INSTANTS = new Set(['start', 'end', 'opens', 'closes', 'earliestStart', 'latestEnd']);
const ECHO_LIMIT = 60;

function scalarValues(params: MessageParams, zone: unknown): MessageValues {
  const values: MessageValues = {};
  for (const [name, value] of Object.entries(params)) {
    if (INSTANTS.has(name) && typeof value === 'number' && typeof zone === 'string') values[name] = at(value, zone);
    else if (name === 'value' && value != null) values[name] = [...String(value)].length > ECHO_LIMIT ? `${[...String(value)].slice(0, ECHO_LIMIT).join('')}…` : String(value);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values[name] = value;
  }
  return values;
}

/** The values of one error's message in `language`: scalars as they are, lists as the language joins them. */
function errorValues(code: UserErrorCode | DomainErrorCode, params: MessageParams, language: string): MessageValues {
  const values = scalarValues(params, params.zone);
  for (const [name, value] of Object.entries(params)) {
    if (!Array.isArray(value)) continue;
    const items = value as unknown[];
    const records = items.every((item) => typeof item === 'object' && item !== null);
    const phrases = records
      ? items.map((item) => formatFirst(language, 'errors', [`error.${code}.item`], scalarValues(item as MessageParams, params.zone))?.text ?? '')
      : items.map(String);
    values[name] = new Intl.ListFormat(language, { type: records ? 'conjunction' : 'disjunction' }).format(phrases);
    values[`${name}Count`] = items.length;
  }
  return values;
}

/** Which sentence of a code: NOT_FOUND names what was not found; the others give a reason where they have several. */
const sentenceOf = (code: UserErrorCode | DomainErrorCode, params: MessageParams): unknown => (code === 'NOT_FOUND' ? params.what : params.reason);

/** A user error's (or a GraphQL refusal's) message in the language `tag` (or its fallbacks). */
export function render(tag: string | undefined, code: UserErrorCode | DomainErrorCode, params: MessageParams = {}): string {
  const sentence = sentenceOf(code, params);
  const ids = typeof sentence === 'string' && /^[A-Za-z_]+$/.test(sentence) ? [`error.${code}.${sentence}`, `error.${code}`] : [`error.${code}`];
  return formatFirst(tag ?? 'en', 'errors', ids, (language) => errorValues(code, params, language))?.text ?? code;
}

/** The message of one error. */
export const messageOf = (tag: string | undefined, error: Pick<UserError, 'code' | 'params'>): string => render(tag, error.code, error.params);
