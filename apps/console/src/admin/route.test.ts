import { describe, expect, it } from 'vitest';
import { parseRoute } from './route';

describe('parseRoute', () => {
  it.each([
    ['', { page: 'home' }],
    ['#/', { page: 'home' }],
    ['#/settings', { page: 'settings' }],
    ['#/reports', { page: 'reports' }],
    ['#/recordings', { page: 'recordings' }],
    ['#/reports/00000000-0000-4000-8000-000000000001', { page: 'report', sessionId: '00000000-0000-4000-8000-000000000001' }],
    ['#/reports/<script>', { page: 'home' }],
    ['#/reports/a/b', { page: 'home' }],
    ['#/unknown', { page: 'home' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });
});
