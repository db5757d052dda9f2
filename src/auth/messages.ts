// The words of the sign-in pages and the sign-in e-mail: src/i18n/catalogs/<tag>/sign-in.json, rendered by the one
// renderer (src/i18n/render.ts) in the language chooseLocale picks.
import { catalog, fallbackChain } from '../i18n/catalogs';
import { chooseLocale, type LanguagePreferences } from '../i18n/choose-locale';
import { formatMessage, type MessageValues } from '../i18n/render';

export type SignInErrorCode =
  | 'STATE_MISMATCH' // the callback does not belong to a sign-in started in this browser
  | 'FLOW_EXPIRED' // no sign-in in progress here (expired, already finished, or cookies blocked)
  | 'PROVIDER_ERROR' // the identity provider refused or failed
  | 'TOKEN_REJECTED' // the ID token failed validation (issuer, signature, nonce, expiry)
  | 'NO_PROVIDER' // no enabled provider for that institution
  | 'EMAIL_MISSING'
  | 'EMAIL_OUTSIDE_DOMAINS'
  | 'USER_DISABLED'
  | 'EMAIL_TAKEN' // the e-mail belongs to an account elsewhere that this identity may not take over
  | 'LINK_INVALID' // unknown, used or expired e-mail link
  | 'CSRF' // the form did not come from our page
  | 'DEMO_UNAVAILABLE'
  | 'RATE_LIMITED';

/** The sign-in words in one language: the chosen tag (kept in lang= links), the language they are in, and the messages. */
export interface SignInWords {
  locale: string;
  /** The language of the words (the chosen one, or its fallback while its sign-in catalog is missing): the page's lang. */
  language: string;
  /** A message of sign-in.json, e.g. say('signIn.title') or say('signIn.error.CSRF'). */
  say(id: string, values?: MessageValues): string;
}

export function signInWords(preferences: LanguagePreferences): SignInWords {
  const locale = chooseLocale(preferences);
  const language = fallbackChain(locale).find((tag) => catalog(tag, 'sign-in')) ?? 'en';
  return { locale, language, say: (id, values) => formatMessage(locale, 'sign-in', id, values) };
}
