// The languages LabShare speaks: China's and the ASEAN member states'. Shared by the server and the web app (no
// Node or DOM imports here). A language is live once its catalogs exist under src/i18n/catalogs/<tag>/; the order
// here is the order people are offered them in.
//
// Catalog areas, each one JSON file of ICU MessageFormat messages per language, with the same keys in every
// language: web.json (the web app), errors.json (API user errors), email.json (e-mails and invites),
// sign-in.json (the sign-in pages and sign-in e-mail).

export interface LocaleInfo {
  /** BCP 47 tag; also the catalog folder's name. */
  readonly tag: string;
  /** The language's name in itself, as people pick it from a list. */
  readonly name: string;
  /** Tried in order when this language lacks a message (a catalog under construction); English is always last. */
  readonly fallback: readonly string[];
}

export const LOCALES: readonly LocaleInfo[] = [
  { tag: 'en', name: 'English', fallback: [] },
  { tag: 'zh-CN', name: '简体中文', fallback: ['en'] },
  { tag: 'th', name: 'ไทย', fallback: ['en'] },
  { tag: 'vi', name: 'Tiếng Việt', fallback: ['en'] },
  { tag: 'id', name: 'Bahasa Indonesia', fallback: ['en'] },
  // Malay and Indonesian share much vocabulary, but a Malaysian reader expects Malay, then English.
  { tag: 'ms', name: 'Bahasa Melayu', fallback: ['en'] },
  { tag: 'my', name: 'မြန်မာ', fallback: ['en'] },
  { tag: 'km', name: 'ខ្មែរ', fallback: ['en'] },
  { tag: 'lo', name: 'ລາວ', fallback: ['en'] },
  { tag: 'fil', name: 'Filipino', fallback: ['en'] },
];

/**
 * The closest of `available` to a BCP 47 tag: exact (case-insensitive), else the same language ("zh-Hans-CN" and
 * "zh" → zh-CN, "th-TH" → th, "tl" → fil, "in" → id, "zsm" → ms), else null.
 */
export function closestLocale(tag: string | null | undefined, available: readonly string[]): string | null {
  if (!tag) return null;
  const lower = tag.trim().toLowerCase();
  const exact = available.find((a) => a.toLowerCase() === lower);
  if (exact) return exact;
  const ALIASES: Record<string, string> = { tl: 'fil', in: 'id', zsm: 'ms', bur: 'my', khm: 'km', lao: 'lo' };
  const language = lower.split(/[-_]/)[0];
  const base = ALIASES[language] ?? language;
  return available.find((a) => a.toLowerCase().split('-')[0] === base) ?? null;
}
