// The server's view of the catalogs: src/i18n/catalogs/<tag>/<area>.json, read once, "@metadata" (who wrote and
// checked a catalog, Wikimedia's banana convention) left out. A language is live once its folder has a catalog.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LOCALES, type LocaleInfo } from './locales';

/** The catalog files of each language: web.json, errors.json, email.json, sign-in.json. */
export type CatalogArea = 'web' | 'errors' | 'email' | 'sign-in';
export type Messages = Readonly<Record<string, string>>;

/** The key every catalog may start with; never a message. */
export const METADATA_KEY = '@metadata';

/** src/i18n/catalogs: beside this file under ts-node, at the project root's src/ when compiled to dist/src/i18n. */
export function catalogDirectory(): string {
  const candidates = [path.resolve(__dirname, 'catalogs'), path.resolve(__dirname, '../../../src/i18n/catalogs')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'en')));
  if (!found) throw new Error(`src/i18n/catalogs not found next to ${__dirname}`);
  return found;
}

/** A catalog file's messages without its "@metadata". */
export function readCatalogFile(file: string): Messages {
  const { [METADATA_KEY]: _metadata, ...messages } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const [id, message] of Object.entries(messages)) {
    if (typeof message !== 'string') throw new Error(`${file}: message ${id} is not a string`);
  }
  return messages as Messages;
}

const cache = new Map<string, Messages | null>();

/** One language's messages of one area, or null when that catalog does not exist (yet). */
export function catalog(tag: string, area: CatalogArea): Messages | null {
  const key = `${tag}/${area}`;
  if (!cache.has(key)) {
    const file = path.join(catalogDirectory(), tag, `${area}.json`);
    cache.set(key, existsSync(file) ? readCatalogFile(file) : null);
  }
  return cache.get(key)!;
}

let live: readonly LocaleInfo[] | undefined;

/** The languages whose folder has at least one catalog, in the order people are offered them. */
export function liveLocales(): readonly LocaleInfo[] {
  if (!live) {
    const dir = catalogDirectory();
    const folders = new Set(readdirSync(dir).filter((tag) => existsSync(path.join(dir, tag)) && readdirSync(path.join(dir, tag)).some((f) => f.endsWith('.json'))));
    live = LOCALES.filter((l) => folders.has(l.tag));
  }
  return live;
}

/** Where a message of `tag` is looked for, in order: the language itself, its fallbacks, English last. */
export function fallbackChain(tag: string): string[] {
  const info = LOCALES.find((l) => l.tag === tag);
  return [...new Set([tag, ...(info?.fallback ?? []), 'en'])];
}
