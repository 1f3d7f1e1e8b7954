import type { en } from './en.js';

// Typed keys: t('no.such.key') and a missing end-reason text are compile errors.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
