import { z } from 'zod';

/**
 * What the operator can brand. The values are plain text: the web apps render them as text nodes
 * and set the colours through CSSOM, so no value is ever HTML, and none is escaped here.
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

/** The body of PUT /api/admin/branding: every field, nothing else. */
export const brandingSchema = z.strictObject({
  companyName: text()
    .min(1, 'must be 1 to 120 characters long')
    .max(120, 'must be 1 to 120 characters long')
    .refine((s) => s.trim() !== '', 'must not be only spaces'),
  supportPhone: text().max(40, 'must be at most 40 characters long').regex(PHONE, 'may only hold digits, spaces and + ( ) / -'),
  primaryColor: colour(),
  accentColor: colour(),
  website: text()
    .refine((s) => s === '' || (HOST.test(s) && Number(s.split(':')[1] ?? 1) <= 65535), 'must be empty or a host name such as support.example.com'),
}) satisfies z.ZodType<Branding>;

/** The stored value read back: a field that no longer passes (or is missing) falls back to its default. */
export const storedBrandingSchema = z
  .object({
    companyName: brandingSchema.shape.companyName.catch(DEFAULT_BRANDING.companyName),
    supportPhone: brandingSchema.shape.supportPhone.catch(DEFAULT_BRANDING.supportPhone),
    primaryColor: brandingSchema.shape.primaryColor.catch(DEFAULT_BRANDING.primaryColor),
    accentColor: brandingSchema.shape.accentColor.catch(DEFAULT_BRANDING.accentColor),
    website: brandingSchema.shape.website.catch(DEFAULT_BRANDING.website),
  })
  .catch({ ...DEFAULT_BRANDING });

/** "field: problem; …" and the first field named, for `{ error: { code: 'invalid', message, field } }`. */
export function describeIssues(error: z.ZodError): { message: string; field: string } {
  const parts = error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: key, problem: 'is not a branding field' }));
    const field = issue.path.map(String).join('.');
    return [{ field: field || 'body', problem: field ? issue.message : 'must be a JSON object with the branding fields' }];
  });
  return { message: parts.map((p) => `${p.field}: ${p.problem}`).join('; '), field: parts[0]?.field ?? 'body' };
}
