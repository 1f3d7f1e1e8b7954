import { brandingSchema, DEFAULT_BRANDING } from '@fernhilfe/protocol';
import { z } from 'zod';

/* The branding contract (fields, checks, defaults) is @fernhilfe/protocol's (src/api/branding.ts). */

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
