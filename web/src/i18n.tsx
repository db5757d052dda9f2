// Message catalogs (ICU, shared keys) and the chosen language. English is bundled with the first page; other
// catalogs load when chosen. Switching re-renders everything at once through IntlProvider.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { IntlProvider, useIntl } from 'react-intl';
import englishFile from '../../src/i18n/catalogs/en/web.json';
import { LOCALES, closestLocale } from '../../src/i18n/locales';

/** A catalog file may start with "@metadata" (who wrote and reviewed it): never a message. */
type CatalogFile = Record<string, unknown>;
export type MessageId = Exclude<keyof typeof englishFile, '@metadata'>;
type Catalog = Record<MessageId, string>;

function messagesOf(file: CatalogFile): Catalog {
  const { '@metadata': _metadata, ...messages } = file;
  return messages as Catalog;
}

const en = messagesOf(englishFile);

// Every language's web catalog but English's, each a chunk of its own that loads when chosen. A language is offered
// once src/i18n/catalogs/<tag>/web.json exists (src/i18n/locales.ts lists the tags, names and order).
const LAZY = import.meta.glob<{ default: CatalogFile }>('../../src/i18n/catalogs/*/web.json');
const lazyCatalog = (tag: string) => LAZY[`../../src/i18n/catalogs/${tag}/web.json`];

/** Languages with a web catalog, in the order they are offered. */
export const LANGUAGES: { tag: string; name: string; load: () => Promise<Catalog> }[] = LOCALES.filter((l) => l.tag === 'en' || lazyCatalog(l.tag)).map((l) => ({
  tag: l.tag,
  name: l.name,
  load: l.tag === 'en' ? async () => en : async () => messagesOf((await lazyCatalog(l.tag)()).default),
}));

/** The closest language we have for a BCP 47 tag ("zh-Hans-CN" → zh-CN, "th-TH" → th), else English. */
export function supportedLanguage(tag: string | null | undefined): string {
  return closestLocale(tag, LANGUAGES.map((l) => l.tag)) ?? 'en';
}

interface LanguageState {
  language: string;
  setLanguage(tag: string): void;
}

const LanguageContext = createContext<LanguageState>({ language: 'en', setLanguage: () => undefined });

export function LanguageProvider({ initial, children }: { initial: string; children: ReactNode }) {
  const [language, setLanguageState] = useState(supportedLanguage(initial));
  const [messages, setMessages] = useState<{ tag: string; catalog: Catalog }>({ tag: 'en', catalog: en });
  useEffect(() => {
    let live = true;
    const entry = LANGUAGES.find((l) => l.tag === language) ?? LANGUAGES[0];
    void entry.load().then((catalog) => live && setMessages({ tag: entry.tag, catalog }));
    return () => {
      live = false;
    };
  }, [language]);
  useEffect(() => {
    document.documentElement.lang = messages.tag;
  }, [messages.tag]);
  const setLanguage = useCallback((tag: string) => setLanguageState(supportedLanguage(tag)), []);
  const state = useMemo(() => ({ language: messages.tag, setLanguage }), [messages.tag, setLanguage]);
  return (
    <LanguageContext.Provider value={state}>
      <IntlProvider locale={messages.tag} messages={messages.catalog} defaultLocale="en">
        {children}
      </IntlProvider>
    </LanguageContext.Provider>
  );
}

export const useLanguage = () => useContext(LanguageContext);

export type Translate = (id: MessageId, values?: Record<string, string | number | Date | ReactNode>) => string;

/** t('find.title'), typed against the English catalog's keys. */
export function useT(): Translate {
  const intl = useIntl();
  return useCallback((id, values) => intl.formatMessage({ id }, values as Record<string, string>) as string, [intl]);
}
