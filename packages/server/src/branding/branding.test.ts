import { describe, expect, it } from 'vitest';
import { brandingSchema, DEFAULT_BRANDING } from '@fernhilfe/protocol';
import { describeIssues, storedBrandingSchema } from './branding.js';

const valid = { companyName: 'ACME Hilfe', supportPhone: '+49 (30) 123-456/7', primaryColor: '#112233', accentColor: '#ABCDEF', website: 'support.example.com' };

function problem(body: unknown) {
  const result = brandingSchema.safeParse(body);
  if (result.success) throw new Error('expected the branding to be refused');
  return describeIssues(result.error);
}

describe('brandingSchema', () => {
  it('accepts a full branding, and text that looks like HTML as it is', () => {
    expect(brandingSchema.parse(valid)).toEqual(valid);
    const html = { ...valid, companyName: '<img src=x onerror=alert(1)>' };
    expect(brandingSchema.parse(html)).toEqual(html);
    expect(brandingSchema.parse({ ...DEFAULT_BRANDING })).toEqual(DEFAULT_BRANDING);
  });

  it.each([
    ['companyName', ''],
    ['companyName', '   '],
    ['companyName', 'x'.repeat(121)],
    ['supportPhone', '0800 HILFE'],
    ['supportPhone', '1'.repeat(41)],
    ['primaryColor', 'red'],
    ['primaryColor', '#12345'],
    ['accentColor', '#1234567'],
    ['accentColor', 'url(x)'],
    ['website', 'https://support.example.com'],
    ['website', 'support.example.com/path'],
    ['website', '-bad.example'],
    ['website', 'a..b'],
    ['website', 'host:99999'],
    ['website', '<script>'],
  ])('names %s when it is %j', (field, value) => {
    const { field: named, message } = problem({ ...valid, [field]: value });
    expect(named).toBe(field);
    expect(message).toMatch(new RegExp(`^${field}: `));
  });

  it('accepts host names with a port and an empty website', () => {
    for (const website of ['', 'localhost', 'hilfe.example.de:8443', 'xn--bcher-kva.example', '192.0.2.1']) {
      expect(brandingSchema.parse({ ...valid, website }).website).toBe(website);
    }
  });

  it('names missing fields, unknown fields and a body that is not an object', () => {
    const { companyName: _, ...withoutName } = valid;
    expect(problem(withoutName)).toEqual({ field: 'companyName', message: 'companyName: is required' });
    expect(problem({ ...valid, logo: 'x' })).toEqual({ field: 'logo', message: 'logo: is not a branding field' });
    expect(problem({ ...valid, primaryColor: 1 }).message).toBe('primaryColor: must be a string');
    expect(problem('x').field).toBe('body');
    expect(problem(null).field).toBe('body');
  });
});

describe('storedBrandingSchema', () => {
  it('falls back to the default for each field that does not pass any more', () => {
    expect(storedBrandingSchema.parse({ ...valid, primaryColor: 'blue', extra: 1 })).toEqual({ ...valid, primaryColor: DEFAULT_BRANDING.primaryColor });
    expect(storedBrandingSchema.parse({ companyName: 'Only' })).toEqual({ ...DEFAULT_BRANDING, companyName: 'Only' });
    expect(storedBrandingSchema.parse('garbage')).toEqual(DEFAULT_BRANDING);
  });
});
