// Which language a person reads: the one choice used by API error messages, the sign-in pages and the e-mails.
import { liveLocales } from './catalogs';
import { closestLocale } from './locales';

/** The tags of an Accept-Language header, highest quality first (q=0 and "*" left out). */
export function acceptedLanguages(header: string | readonly string[] | null | undefined): string[] {
  const text = (typeof header === 'string' ? header : (header ?? []).join(',')).slice(0, 1000);
  return text
    .split(',')
    .slice(0, 50)
    .map((part, index) => {
      const [tag, ...parameters] = part.trim().split(';');
      const q = parameters.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)).find(Boolean);
      return { tag: tag.trim(), quality: q ? Number(q[1]) : 1, index };
    })
    .filter((entry) => entry.tag && entry.tag !== '*' && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
    .map((entry) => entry.tag);
}

export interface LanguagePreferences {
  /** A choice made for this one page (the sign-in pages' ?lang=), ahead of everything else. */
  explicit?: string | null;
  /** The signed-in person's profile locale. */
  profile?: string | null;
  /** The request's Accept-Language header. */
  acceptLanguage?: string | readonly string[] | null;
}

/**
 * The live language closest to the person's choice: explicit, else profile locale, else the request's
 * Accept-Language in quality order, else English. A message missing in it follows its fallback chain (catalogs.ts).
 */
export function chooseLocale(preferences: LanguagePreferences): string {
  const live = liveLocales().map((l) => l.tag);
  for (const tag of [preferences.explicit, preferences.profile, ...acceptedLanguages(preferences.acceptLanguage)]) {
    const found = closestLocale(tag, live);
    if (found) return found;
  }
  return 'en';
}
