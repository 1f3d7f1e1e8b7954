import '../messages/zod-config.js';
import { z } from 'zod';

/**
 * What the operator can brand (GET /api/branding, PUT /api/admin/branding). The values are plain
 * text: the web apps render them as text nodes and set the colours through CSSOM, so no value is ever
 * HTML, and none is escaped here.
 */
export interface Branding {
  companyName: string;
  supportPhone: string;
  /** `#rrggbb` */
  primaryColor: string;
  /** `#rrggbb` */
  accentColor: string;
  /** The operator's host name, shown in the customer's scam guard; '' means the apps show `location.host`. */
  website: string;
}

/** The branding before an operator sets one; the apps' stylesheets start from the same colours. */
export const DEFAULT_BRANDING: Readonly<Branding> = Object.freeze({
  companyName: 'Fernhilfe',
  supportPhone: '',
  primaryColor: '#0b5cad',
  accentColor: '#f0a500',
  website: '',
});

const COLOUR = /^#[0-9a-fA-F]{6}$/;
const PHONE = /^[0-9 +()/-]*$/;
const LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?';
/** A DNS host name (letters, digits, hyphens; IDNs in their xn-- form), optionally with a port, as in `location.host`. */
const HOST = new RegExp(`^(?=[^:]{1,253}(?::|$))${LABEL}(?:\\.${LABEL})*(?::(?:[1-9][0-9]{0,4}))?$`);

const text = () => z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') });
const colour = () => text().regex(COLOUR, 'must be a colour written #rrggbb, e.g. #0b5cad');

/** The branding on the wire, both ways: every field, nothing else. */
export const brandingSchema = z.strictObject({
  companyName: text()
    .min(1, 'must be 1 to 120 characters long')
    .max(120, 'must be 1 to 120 characters long')
    .refine((s) => s.trim() !== '', 'must not be only spaces'),
  supportPhone: text().max(40, 'must be at most 40 characters long').regex(PHONE, 'may only hold digits, spaces and + ( ) / -'),
  primaryColor: colour(),
  accentColor: colour(),
  website: text().refine((s) => s === '' || (HOST.test(s) && Number(s.split(':')[1] ?? 1) <= 65535), 'must be empty or a host name such as support.example.com'),
}) satisfies z.ZodType<Branding>;
