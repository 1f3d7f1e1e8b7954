import { createHash } from 'node:crypto';
import { defaultTerms } from './default-terms.js';

export interface Terms {
  /** SHA-256 (hex) over the canonical encoding of both language versions */
  version: string;
  de: string;
  en: string;
}

/** Canonical encoding: JSON of the texts with fixed key order, so the hash depends only on the text. */
export function termsVersion(texts: { de: string; en: string }): string {
  return createHash('sha256').update(JSON.stringify({ de: texts.de, en: texts.en })).digest('hex');
}

export function makeTerms(texts: { de: string; en: string } = defaultTerms): Terms {
  return { version: termsVersion(texts), de: texts.de, en: texts.en };
}
