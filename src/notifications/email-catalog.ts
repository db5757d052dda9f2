// The e-mails' words: src/i18n/catalogs/<tag>/email.json, ICU MessageFormat, one file per language with the keys of
// the English one. Rendered here with intl-messageformat until the shared renderer (src/i18n/render.ts) takes
// e-mail over too. A message a catalog lacks comes from the language's fallback chain (src/i18n/locales.ts), then
// English, so a catalog under construction never breaks a mail.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { closestLocale, LOCALES } from '../i18n/locales';
import type english from '../i18n/catalogs/en/email.json';

export type EmailMessageKey = Exclude<keyof typeof english, '@metadata'>;
export type EmailValues = Record<string, string | number>;

type Messages = Partial<Record<EmailMessageKey, string>>;

/** src/i18n/catalogs from the sources (src/notifications) and from compiled code (dist/src/notifications). */
function catalogsDirectory(): string {
  const candidates = [path.resolve(__dirname, '../i18n/catalogs'), path.resolve(__dirname, '../../../src/i18n/catalogs')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'en', 'email.json')));
  if (!found) throw new Error(`src/i18n/catalogs not found next to ${__dirname}`);
  return found;
}

function loadCatalogs(): Map<string, Messages> {
  const dir = catalogsDirectory();
  const catalogs = new Map<string, Messages>();
  for (const { tag } of LOCALES) {
    const file = path.join(dir, tag, 'email.json');
    if (!existsSync(file)) continue;
    // The header says who wrote and checked the catalog; it is not a message.
    const { '@metadata': _header, ...messages } = JSON.parse(readFileSync(file, 'utf8')) as Messages & { '@metadata'?: unknown };
    catalogs.set(tag, messages);
  }
  return catalogs;
}

let catalogs: Map<string, Messages> | undefined;
const compiled = new Map<string, IntlMessageFormat>();

/** The languages e-mails can be written in. */
export function emailLanguages(): string[] {
  catalogs ??= loadCatalogs();
  return [...catalogs.keys()];
}

/** The e-mail language for a person's locale: theirs when LabShare has it (or the same language), else English. */
export function emailLanguage(locale: string | null | undefined): string {
  return closestLocale(locale, emailLanguages()) ?? 'en';
}

/** One message in `language` (a tag emailLanguage returned), with its fallback chain, formatted with `values`. */
export function emailText(language: string, key: EmailMessageKey, values: EmailValues = {}): string {
  catalogs ??= loadCatalogs();
  const chain = [language, ...(LOCALES.find((l) => l.tag === language)?.fallback ?? []), 'en'];
  const source = chain.find((tag) => catalogs!.get(tag)?.[key] !== undefined) ?? 'en';
  const cacheKey = `${source}\n${key}`;
  let format = compiled.get(cacheKey);
  if (!format) {
    const message = catalogs.get(source)?.[key];
    if (message === undefined) throw new Error(`email.json has no message ${key}`);
    format = new IntlMessageFormat(message, source);
    compiled.set(cacheKey, format);
  }
  return String(format.format(values)).trim();
}

/** Text direction of a language, for the HTML part's dir attribute (all of LabShare's languages are left-to-right today). */
export function textDirection(language: string): 'ltr' | 'rtl' {
  const info = new Intl.Locale(language) as Intl.Locale & { getTextInfo?: () => { direction: 'ltr' | 'rtl' }; textInfo?: { direction: 'ltr' | 'rtl' } };
  return info.getTextInfo?.().direction ?? info.textInfo?.direction ?? 'ltr';
}
