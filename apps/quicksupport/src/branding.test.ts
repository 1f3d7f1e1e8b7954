import { describe, expect, it } from 'vitest';
import { phoneHref, readableTextOn, websiteHost, websiteHref } from './branding.js';

describe('branding helpers', () => {
  it('picks readable text on the brand colour', () => {
    expect(readableTextOn('#0b5cad')).toBe('#ffffff');
    expect(readableTextOn('#f2a900')).toBe('#111111');
    expect(readableTextOn('#fff')).toBe('#111111');
    expect(readableTextOn('rebeccapurple')).toBeUndefined();
  });

  it('accepts only http(s) websites', () => {
    expect(websiteHost('https://www.example.de/hilfe')).toBe('www.example.de');
    expect(websiteHost('example.de')).toBe('example.de');
    expect(websiteHref('javascript:alert(1)')).toBeUndefined();
    expect(websiteHost('javascript:alert(1)')).toBeUndefined();
  });

  it('makes tel: links from phone numbers as people write them', () => {
    expect(phoneHref('+49 (30) 123 456-7')).toBe('tel:+49301234567');
    expect(phoneHref('call us')).toBeUndefined();
  });
});
