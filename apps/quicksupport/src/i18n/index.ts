import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { de } from './de.js';
import { en } from './en.js';
import { agentLanguage } from '../agent/mode.js';

export const languages = ['de', 'en'] as const;
export type Language = (typeof languages)[number];

const STORAGE_KEY = 'fernhilfe.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/**
 * The stored choice, else (served by the native agent) the agent's language, which the customer set
 * with --lang or has as the system locale, else the browser's language: German for any `de*`, English otherwise.
 */
export function initialLanguage(): Language {
  const stored = readStored();
  if (stored) return stored;
  const agent = agentLanguage();
  if (isLanguage(agent)) return agent;
  return navigator.language.toLowerCase().startsWith('de') ? 'de' : 'en';
}

/** Switches the language and keeps the choice for the next visit. */
export async function chooseLanguage(lang: Language, instance: i18n = i18next): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage may be blocked (private mode); the choice then lasts for this page only
  }
  await instance.changeLanguage(lang);
}

/** Sets up i18next with the bundled texts (no network, no inline anything). */
export async function initI18n(): Promise<i18n> {
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
  await i18next.use(initReactI18next).init({
    resources: { de: { translation: de }, en: { translation: en } },
    lng: initialLanguage(),
    fallbackLng: 'en',
    supportedLngs: languages,
    // React escapes text nodes itself; nothing here is ever rendered as HTML
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}

/** The language i18next is showing now, narrowed to the ones we have. */
export function currentLanguage(instance: i18n = i18next): Language {
  const lng = instance.resolvedLanguage ?? instance.language;
  return isLanguage(lng) ? lng : 'en';
}

function readStored(): Language | undefined {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
