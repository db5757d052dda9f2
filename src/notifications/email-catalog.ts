// The e-mails' words: src/i18n/catalogs/<tag>/email.json, ICU MessageFormat, one file per language with the keys of
// the English one, rendered by the one renderer (src/i18n/render.ts). A message a catalog lacks comes from the
// language's fallback chain (src/i18n/locales.ts), then English, so a catalog under construction never breaks a mail.
import { catalog, liveLocales } from '../i18n/catalogs';
import { closestLocale } from '../i18n/locales';
import { formatFirst } from '../i18n/render';
import type english from '../i18n/catalogs/en/email.json';

export type EmailMessageKey = Exclude<keyof typeof english, '@metadata'>;
export type EmailValues = Record<string, string | number>;

/** The languages e-mails can be written in. */
export function emailLanguages(): string[] {
  return liveLocales().filter((l) => catalog(l.tag, 'email')).map((l) => l.tag);
}

/** The e-mail language for a person's locale: theirs when LabShare has it (or the same language), else English. */
export function emailLanguage(locale: string | null | undefined): string {
  return closestLocale(locale, emailLanguages()) ?? 'en';
}

/** One message in `language` (a tag emailLanguage returned), with its fallback chain, formatted with `values`. */
export function emailText(language: string, key: EmailMessageKey, values: EmailValues = {}): string {
  const formatted = formatFirst(language, 'email', [key], values);
  if (!formatted) throw new Error(`email.json has no message ${key} that formats with ${Object.keys(values).join(', ')}`);
  return formatted.text.trim();
}

/** Text direction of a language, for the HTML part's dir attribute (all of LabShare's languages are left-to-right today). */
export function textDirection(language: string): 'ltr' | 'rtl' {
  const info = new Intl.Locale(language) as Intl.Locale & { getTextInfo?: () => { direction: 'ltr' | 'rtl' }; textInfo?: { direction: 'ltr' | 'rtl' } };
  return info.getTextInfo?.().direction ?? info.textInfo?.direction ?? 'ltr';
}
