import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

/** `/healthz` answers on an open port; it must not tell anyone how many customers are waiting or accounts exist. */
describe('GET /healthz', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(() => srv?.close());

  it('says ok and nothing else, while customers are registered', async () => {
    const customers = await Promise.all([srv.customer(), srv.customer()]);
    try {
      expect(srv.broker.liveRegistrations).toBe(2);
      const res = await fetch(`${srv.url}/healthz`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ status: 'ok' });
      expect(text).not.toMatch(/\d/); // no count of any kind
    } finally {
      await Promise.all(customers.map((c) => c.end()));
    }
  });
});
