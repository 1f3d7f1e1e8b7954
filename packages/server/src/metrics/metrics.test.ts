import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { ConfigError, loadConfig } from '../config.js';
import { bearerMatches } from './serve.js';
import { pathOf, RELAYED_WITHIN_MS, ServerMetrics, type SessionSource } from './server-metrics.js';

const TOKEN = 'a'.repeat(20) + 'bcdefgh';

describe('metrics', () => {
  it('tells a relayed session from one the relay has not carried lately', () => {
    expect(pathOf(undefined, 1_000_000)).toBe('not_relayed');
    expect(pathOf(1_000_000 - RELAYED_WITHIN_MS, 1_000_000)).toBe('relayed');
    expect(pathOf(1_000_000 - RELAYED_WITHIN_MS - 1, 1_000_000)).toBe('not_relayed');
  });

  it('counts the registrations and sessions of the watched broker at each scrape', async () => {
    const now = Date.now();
    const states: ReturnType<SessionSource['states']> = [
      { state: 'waiting', lastRelayedAt: undefined },
      { state: 'waiting', lastRelayedAt: undefined },
      { state: 'pairing', lastRelayedAt: undefined },
      { state: 'active', lastRelayedAt: now },
      { state: 'active', lastRelayedAt: undefined },
      { state: 'active', lastRelayedAt: now - 2 * RELAYED_WITHIN_MS },
    ];
    const metrics = new ServerMetrics('node-7');
    metrics.watch({ states: () => states });
    metrics.relayed(100, 'customer');
    metrics.relayed(5, 'technician');
    const families = parsePrometheusTextFormat(await metrics.scrape());
    const value = (name: string, labels: Record<string, string>) =>
      families.find((f) => f.name === name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value;
    expect(value('fernhilfe_registrations_waiting', { state: 'waiting', node: 'node-7' })).toBe('2');
    expect(value('fernhilfe_registrations_waiting', { state: 'pairing' })).toBe('1');
    expect(value('fernhilfe_sessions_active', { path: 'relayed' })).toBe('1');
    expect(value('fernhilfe_sessions_active', { path: 'not_relayed' })).toBe('2');
    expect(value('fernhilfe_relay_bytes_total', { direction: 'customer_to_technician' })).toBe('100');
    expect(value('fernhilfe_relay_bytes_total', { direction: 'technician_to_customer' })).toBe('5');
    // series of events that did not happen yet are there at 0
    expect(value('fernhilfe_limiter_refusals_total', { limiter: 'connect' })).toBe('0');
  });

  it('accepts only the exact bearer token', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    for (const header of [undefined, '', 'Bearer ', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, TOKEN, `Basic ${TOKEN}`, `Bearer ${TOKEN} x`]) {
      expect(bearerMatches(header, TOKEN), String(header)).toBe(false);
    }
  });

  it('is off by default; METRICS_PORT and METRICS_TOKEN turn it on; bad values stop the start', () => {
    expect(loadConfig({}).metrics).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).metrics).toEqual({ node: 'single', listen: undefined, token: TOKEN });
    expect(loadConfig({ METRICS_PORT: '9464', NODE_ID: 'node-1' }).metrics).toEqual({ node: 'node-1', listen: { port: 9464, host: '127.0.0.1' }, token: undefined });
    const withRedis = loadConfig({ METRICS_PORT: '9464', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(withRedis.metrics?.node).toBe(withRedis.cluster?.nodeId);
    const refused = (env: Record<string, string>, text: RegExp) => {
      const error = (() => {
        try {
          loadConfig(env);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(text);
    };
    refused({ METRICS_TOKEN: 'short' }, /METRICS_TOKEN: must be 24 to 512 printable characters/);
    refused({ METRICS_TOKEN: `${TOKEN} with spaces` }, /METRICS_TOKEN/);
    refused({ METRICS_PORT: '99999' }, /METRICS_PORT/);
    refused({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }, /METRICS_HOST: metrics on 0\.0\.0\.0 \(not loopback\) need METRICS_TOKEN/);
    refused({ METRICS_PORT: '8080' }, /METRICS_PORT: must differ from PORT/);
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', METRICS_TOKEN: TOKEN }).metrics?.listen).toEqual({ port: 9464, host: '0.0.0.0' });
  });

  it('the sample Grafana dashboard (docs/grafana-dashboard.json) asks only for series the server serves, per node', async () => {
    const dashboard = JSON.parse(readFileSync(new URL('../../../../docs/grafana-dashboard.json', import.meta.url), 'utf8')) as {
      templating: { list: { name: string }[] };
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['datasource', 'node']);
    const served = new Set(parsePrometheusTextFormat(await new ServerMetrics('n').scrape()).map((f) => f.name));
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBeGreaterThanOrEqual(10);
    for (const expr of exprs) {
      expect(expr).toContain('node=~"$node"');
      for (const name of expr.match(/\b(fernhilfe|nodejs|process)_[a-z0-9_]+/g) ?? []) expect(served, `${name} in ${expr}`).toContain(name);
    }
    const asked = new Set(exprs.flatMap((e) => e.match(/\bfernhilfe_[a-z_]+/g) ?? []));
    const ours = [...served].filter((n) => n.startsWith('fernhilfe_'));
    expect([...asked].sort()).toEqual(ours.sort());
  });
});
