import type { Role } from '../storage/schema.js';

/** Claims as the provider sent them (ID token and userinfo): JSON values by name. */
export type Claims = Record<string, unknown>;

export interface RoleMapping {
  roleClaim: string;
  adminValues: readonly string[];
  technicianValues: readonly string[];
}

/**
 * A claim by name: the name as it is first (`groups`, or `https://example.com/roles` as Auth0 spells
 * its own claims), then as a dotted path into nested objects (`realm_access.roles` in Keycloak).
 */
export function claimValue(claims: Claims, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The values of a claim that holds a string or a list of strings (anything else counts as none). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** admin when any value is an admin value, else technician when any is a technician value, else undefined (refused). */
export function roleFromClaims(claims: Claims, mapping: RoleMapping): Role | undefined {
  const values = stringsOf(claimValue(claims, mapping.roleClaim));
  if (values.some((v) => mapping.adminValues.includes(v))) return 'admin';
  if (values.some((v) => mapping.technicianValues.includes(v))) return 'technician';
  return undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** The name the console and the customer see: the configured claim, else the usual ones, else the subject. */
export function displayNameFromClaims(claims: Claims, nameClaim: string): string {
  const name = text(claimValue(claims, nameClaim)) ?? text(claims.name) ?? [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ');
  return (name || text(claims.preferred_username) || text(claims.email) || String(claims.sub)).slice(0, 100);
}

/**
 * A login name for a new account (a-z 0-9 . _ -, 3 to 64): from preferred_username or the e-mail's
 * local part, else "sso-user". The caller adds a number when it is taken.
 */
export function loginBaseFromClaims(claims: Claims): string {
  const source = text(claims.preferred_username) ?? text(claims.email)?.split('@')[0] ?? '';
  const cleaned = source
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 56);
  return cleaned.length >= 3 ? cleaned : 'sso-user';
}
