import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { de } from './de';
import { en } from './en';

export const languages = ['de', 'en'] as const;
export type Language = (typeof languages)[number];

const STORAGE_KEY = 'fernhilfe.console.language';

const isLanguage = (value: unknown): value is Language => languages.includes(value as Language);

/** The stored choice, else the browser's language: German for any `de*`, English otherwise. */
export function initialLanguage(): Language {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage blocked: fall back to the browser's language
  }
  if (isLanguage(stored)) return stored;
  return navigator.language.toLowerCase().startsWith('de') ? 'de' : 'en';
}

export async function setupI18n(): Promise<void> {
  const lng = initialLanguage();
  document.documentElement.lang = lng;
  i18next.on('languageChanged', (l) => (document.documentElement.lang = l));
  await i18next.use(initReactI18next).init({
    resources: { de: { translation: de }, en: { translation: en } },
    lng,
    fallbackLng: 'en',
    supportedLngs: [...languages],
    // React renders every text as a text node, so i18next must not HTML-escape a second time
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

export function changeLanguage(lng: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // the choice then lasts only for this page
  }
  void i18next.changeLanguage(lng);
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en';
}
