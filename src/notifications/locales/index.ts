// Locales with message texts. Add a language by adding its file and one line here.
import type { Catalog } from './catalog';
import { en } from './en';
import { zhCN } from './zh-CN';

export type { Catalog, MessageKind, MessageParams, MessageText } from './catalog';

export const CATALOGS: readonly Catalog[] = [en, zhCN];
export const DEFAULT_CATALOG = en;

/** The catalog for a BCP 47 tag: exact match, else the same language (zh-TW → zh-CN), else English. */
export function catalogFor(tag: string | null | undefined): Catalog {
  const wanted = (tag ?? '').trim().toLowerCase().replace(/_/g, '-');
  const exact = CATALOGS.find((c) => c.locale.toLowerCase() === wanted);
  if (exact) return exact;
  const language = wanted.split('-')[0];
  return CATALOGS.find((c) => c.locale.toLowerCase().split('-')[0] === language) ?? DEFAULT_CATALOG;
}
