// Message catalogs (ICU, shared keys) and the chosen language. English is bundled with the first page; other
// catalogs load when chosen. Switching re-renders everything at once through IntlProvider.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { IntlProvider, useIntl } from 'react-intl';
import en from '../messages/en.json';

export type MessageId = keyof typeof en;
type Catalog = Record<MessageId, string>;

/** Languages with a complete catalog; the languages issue adds more here and in web/messages/. */
export const LANGUAGES: { tag: string; name: string; load: () => Promise<Catalog> }[] = [
  { tag: 'en', name: 'English', load: async () => en },
  { tag: 'zh-CN', name: '简体中文', load: async () => (await import('../messages/zh-CN.json')).default as Catalog },
];

/** The closest language we have for a BCP 47 tag ("zh-Hans-CN" → zh-CN, "vi" → en until a vi catalog exists). */
export function supportedLanguage(tag: string | null | undefined): string {
  if (!tag) return 'en';
  const lower = tag.toLowerCase();
  const exact = LANGUAGES.find((l) => l.tag.toLowerCase() === lower);
  if (exact) return exact.tag;
  const base = lower.split('-')[0];
  return LANGUAGES.find((l) => l.tag.toLowerCase().split('-')[0] === base)?.tag ?? 'en';
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
