import { describe, expect, it } from 'vitest';
import { claimValue, displayNameFromClaims, loginBaseFromClaims, roleFromClaims } from './claims.js';

const mapping = { roleClaim: 'groups', adminValues: ['fh-admins'], technicianValues: ['fh-techs', 'helpdesk'] };

describe('claims of single sign-on', () => {
  it('maps the role claim: admin wins, a technician value next, anything else is no role', () => {
    expect(roleFromClaims({ groups: ['helpdesk', 'fh-admins'] }, mapping)).toBe('admin');
    expect(roleFromClaims({ groups: ['sales', 'helpdesk'] }, mapping)).toBe('technician');
    expect(roleFromClaims({ groups: 'fh-techs' }, mapping)).toBe('technician');
    expect(roleFromClaims({ groups: ['sales'] }, mapping)).toBeUndefined();
    expect(roleFromClaims({}, mapping)).toBeUndefined();
    expect(roleFromClaims({ groups: { 'fh-admins': true } }, mapping)).toBeUndefined();
  });

  it('reads a claim by its whole name first, then as a path into nested objects', () => {
    expect(claimValue({ realm_access: { roles: ['fh-admins'] } }, 'realm_access.roles')).toEqual(['fh-admins']);
    expect(claimValue({ 'https://example.com/roles': ['x'] }, 'https://example.com/roles')).toEqual(['x']);
    expect(claimValue({ a: ['x'] }, 'a.b')).toBeUndefined();
    expect(roleFromClaims({ realm_access: { roles: ['fh-admins'] } }, { ...mapping, roleClaim: 'realm_access.roles' })).toBe('admin');
  });

  it('takes a display name from the configured claim, else the usual ones, else the subject', () => {
    expect(displayNameFromClaims({ sub: 's', nick: 'Nick', name: 'Full Name' }, 'nick')).toBe('Nick');
    expect(displayNameFromClaims({ sub: 's', name: ' Full Name ' }, 'name')).toBe('Full Name');
    expect(displayNameFromClaims({ sub: 's', given_name: 'Jo', family_name: 'Doe' }, 'name')).toBe('Jo Doe');
    expect(displayNameFromClaims({ sub: 's', email: 'jo@example.com' }, 'name')).toBe('jo@example.com');
    expect(displayNameFromClaims({ sub: 'subject-1' }, 'name')).toBe('subject-1');
    expect(displayNameFromClaims({ sub: 's', name: 'x'.repeat(300) }, 'name')).toHaveLength(100);
  });

  it('makes a login name the console accepts from preferred_username or the e-mail', () => {
    expect(loginBaseFromClaims({ preferred_username: 'Jürgen Müller' })).toBe('jurgen-muller');
    expect(loginBaseFromClaims({ email: 'Anna.Berg@example.com' })).toBe('anna.berg');
    expect(loginBaseFromClaims({ preferred_username: 'DOMAIN\\jo' })).toBe('domain-jo');
    expect(loginBaseFromClaims({ preferred_username: '李' })).toBe('sso-user');
    expect(loginBaseFromClaims({})).toBe('sso-user');
    expect(loginBaseFromClaims({ preferred_username: 'a'.repeat(80) })).toHaveLength(56);
    for (const claims of [{ preferred_username: '--x.y--' }, { preferred_username: '..ab' }]) expect(loginBaseFromClaims(claims)).toMatch(/^[a-z0-9._-]{3,64}$/);
  });
});
