import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LogicalChannel } from '@fernhilfe/protocol';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD } from '../support/server.js';
import { scrape } from '../support/prometheus.js';
import { HttpSession } from './http-session.js';

/**
 * /metrics (docs/metrics.md) on a real server with real sessions, scraped over HTTP and read with a
 * Prometheus text-format parser (parse-prometheus-text-format), not with our own code.
 */
const TOKEN = randomBytes(24).toString('hex');
const bearer = { authorization: `Bearer ${TOKEN}` };

/** A technician WebSocket with a made-up ticket: resolves with the HTTP status of the refused upgrade. */
const refusedUpgrade = (url: string) =>
  new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => reject(new Error('a forged ticket opened a technician connection')));
    ws.on('error', () => undefined);
  });

describe('/metrics: the series move with real sessions', () => {
  it('counts registrations, a session, relay bytes, a failed sign-in, a refused ticket, a limiter refusal and audit writes', async () => {
    // a long back-off: a second try on an ID right after a wrong password is refused, whatever the machine's speed
    await using srv = await startTestServer({ METRICS_TOKEN: TOKEN, REGISTRATIONS_PER_MINUTE: '3', BACKOFF_BASE_MS: '60000' });
    const url = `${srv.url}/metrics`;
    const before = await scrape(url, bearer);
    expect(before.status).toBe(200);
    expect(before.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(before.value('fernhilfe_sessions_started_total')).toBe(0);
    expect(before.value('fernhilfe_sign_in_failures_total', { reason: 'wrong_password' })).toBe(0);
    const auditBefore = before.value('fernhilfe_audit_writes_total', { outcome: 'ok' })!;

    // one customer waits for a technician
    const waiting = await srv.customer();
    expect((await scrape(url, bearer)).value('fernhilfe_registrations_waiting', { state: 'waiting' })).toBe(1);

    // a whole session: customer + technician, data both ways through the relay
    const customer = await srv.customer();
    const tech = await srv.technician();
    const custSessionP = customer.once('session');
    const techSession = await tech.connect(customer.id, customer.password!);
    const custSession = await custSessionP;
    const toTech = techSession.once('data');
    await custSession.sendData(LogicalChannel.video, new Uint8Array(randomBytes(200_000)));
    await toTech;
    const toCustomer = custSession.once('data');
    await techSession.sendData(LogicalChannel.input, new Uint8Array(randomBytes(5_000)));
    await toCustomer;

    const during = await scrape(url, bearer);
    expect(during.value('fernhilfe_sessions_started_total')).toBe(1);
    expect(during.value('fernhilfe_sessions_active')).toBe(1);
    expect(during.value('fernhilfe_registrations_waiting', { state: 'waiting' })).toBe(1);
    expect(during.value('fernhilfe_registrations_total')).toBe(2);
    expect(during.value('fernhilfe_relay_bytes_total', { direction: 'customer_to_technician' })).toBeGreaterThan(200_000);
    expect(during.value('fernhilfe_relay_bytes_total', { direction: 'technician_to_customer' })).toBeGreaterThan(5_000);

    const techEnded = techSession.once('ended');
    await customer.end();
    await techEnded;

    // a wrong session password, then a second try on that ID during its back-off
    const guesser = await srv.technician();
    await expect(guesser.connect(waiting.id, 'zzzzzzz')).rejects.toMatchObject({ reason: 'wrong-credentials' });
    const again = await srv.technician();
    await expect(again.connect(waiting.id, waiting.password!)).rejects.toMatchObject({ reason: 'rate-limited' });
    // a wrong console password, a forged WebSocket ticket, and one registration over the limit (3 a minute)
    expect((await new HttpSession(srv.url).login(TECH_LOGIN, 'not the password at all')).status).toBe(401);
    expect(await refusedUpgrade(`${srv.url.replace(/^http/, 'ws')}/ws/technician?ticket=forged`)).toBe(401);
    const third = await srv.customer();
    await expect(srv.customer()).rejects.toThrow();

    await expect.poll(async () => (await scrape(url, bearer)).value('fernhilfe_sessions_ended_total')).toBe(1);
    const after = await scrape(url, bearer);
    expect(after.value('fernhilfe_sessions_active')).toBe(0);
    expect(after.value('fernhilfe_sessions_started_total')).toBe(1);
    expect(after.value('fernhilfe_sign_in_failures_total', { reason: 'wrong_password' })).toBe(1);
    expect(after.value('fernhilfe_sign_in_failures_total', { reason: 'bad_ws_ticket' })).toBe(1);
    expect(after.value('fernhilfe_limiter_refusals_total', { limiter: 'registration' })).toBe(1);
    expect(after.value('fernhilfe_limiter_refusals_total', { limiter: 'connect' })).toBe(1);
    expect(after.value('fernhilfe_registrations_total')).toBe(3);
    // session created, connected, authenticated, ended: each an audit entry
    await expect.poll(async () => (await scrape(url, bearer)).value('fernhilfe_audit_writes_total', { outcome: 'ok' })).toBeGreaterThanOrEqual(auditBefore + 4);
    // prom-client's default series: event-loop delay and the process
    expect(after.value('nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(after.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(after.value('process_resident_memory_bytes')).toBeGreaterThan(0);

    // every series carries this node's name; no label value is an ID, an address or a login
    const samples = after.text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(samples.filter((line) => !line.includes('node="single"'))).toEqual([]);
    // (the parser keeps no labels of histogram buckets, so those are checked in the text above)
    const labelValues = after.families.filter((f) => f.type !== 'HISTOGRAM').flatMap((f) => f.metrics.map((m) => m.labels ?? {}));
    expect(labelValues.every((labels) => labels.node === 'single')).toBe(true);
    const values = labelValues.flatMap((labels) => Object.values(labels));
    for (const secret of [customer.id, waiting.id, third.id, TECH_LOGIN, '127.0.0.1']) expect(values).not.toContain(secret);
    expect(after.text).not.toContain(customer.id);
    await waiting.end();
    await third.end();
    tech.close();
    guesser.close();
    again.close();
  });

  it('counts sign-in limiter refusals by limiter', async () => {
    await using srv = await startTestServer({ METRICS_TOKEN: TOKEN });
    let status = 0;
    // 10 failures per login and address, then 429 (auth/sign-in-policy.ts)
    for (let i = 0; i < 12 && status !== 429; i++) status = (await new HttpSession(srv.url).login(TECH_LOGIN, `wrong password ${i}`)).status;
    expect(status).toBe(429);
    const after = await scrape(`${srv.url}/metrics`, bearer);
    expect(after.value('fernhilfe_limiter_refusals_total', { limiter: 'sign_in' })).toBe(1);
    expect(after.value('fernhilfe_sign_in_failures_total', { reason: 'wrong_password' })).toBe(10);
  });
});

describe('/metrics: who may read it', () => {
  it('on the public port only with the bearer token: not without it, not with a wrong one, not with a console session', async () => {
    await using srv = await startTestServer({ METRICS_TOKEN: TOKEN });
    const url = `${srv.url}/metrics`;
    await srv.accounts.createUser({ login: 'boss', password: 'admin password that is long', role: 'admin', displayName: 'Boss', company: '' });
    const tech = new HttpSession(srv.url);
    expect((await tech.login(TECH_LOGIN, TECH_PASSWORD)).status).toBe(200);
    const admin = new HttpSession(srv.url);
    expect((await admin.login('boss', 'admin password that is long')).status).toBe(200);

    const refused: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(1)}` },
      { authorization: 'Bearer ' },
      { authorization: `Basic ${Buffer.from(`metrics:${TOKEN}`).toString('base64')}` },
      { cookie: tech.cookie! },
      { cookie: admin.cookie!, 'x-csrf-token': admin.csrfToken! },
    ];
    for (const headers of refused) {
      const res = await scrape(url, headers);
      expect(res.status, JSON.stringify(Object.keys(headers))).toBe(401);
      expect(res.text).toContain('bearer token');
      expect(res.text).not.toContain('fernhilfe_');
    }
    expect((await scrape(url, bearer)).status).toBe(200);
    // the token never reaches a log line, right or wrong
    expect(srv.logText()).not.toContain(TOKEN);
    expect(srv.logText()).not.toContain(TOKEN.slice(1));
  });

  it('is off without METRICS_PORT and METRICS_TOKEN: /metrics on the public port is 404', async () => {
    await using srv = await startTestServer();
    expect(srv.metrics).toBeUndefined();
    expect(srv.routes.map((r) => r.url)).not.toContain('/metrics');
    for (const headers of [{}, bearer]) expect((await scrape(`${srv.url}/metrics`, headers)).status).toBe(404);
  });

  it('on METRICS_PORT: there, not on the public port; with METRICS_TOKEN the metrics port wants it too', async () => {
    await using open = await startTestServer({ METRICS_PORT: '0' });
    const openUrl = open.metrics?.endpoint.url;
    expect(openUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(openUrl).not.toBe(open.url);
    const scraped = await scrape(`${openUrl}/metrics`);
    expect(scraped.status).toBe(200);
    expect(scraped.value('fernhilfe_sessions_started_total')).toBe(0);
    expect((await scrape(`${openUrl}/other`)).status).toBe(404);
    expect((await scrape(`${open.url}/metrics`)).status).toBe(404);

    await using locked = await startTestServer({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN });
    const lockedUrl = `${locked.metrics!.endpoint.url!}/metrics`;
    expect((await scrape(lockedUrl)).status).toBe(401);
    expect((await scrape(lockedUrl, { authorization: 'Bearer wrong-token-wrong-token-wrong' })).status).toBe(401);
    expect((await scrape(lockedUrl, bearer)).status).toBe(200);
    for (const headers of [{}, bearer]) expect((await scrape(`${locked.url}/metrics`, headers)).status).toBe(404);
  });
});
