import { afterEach, describe, expect, it } from 'vitest';
import { technicianConnects, technicianSignsIn } from '../e2e/support/flows.js';
import { assertAppsBuilt, openPage, textOf } from '../e2e/support/browser.js';
import { startCoturn, type Coturn } from '../support/coturn.js';
import { canMakeNamespaces, makeLab, type Lab } from '../support/netns.js';
import { expectNothingFor } from '../support/quiet.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { chromiumIn } from './chromium-ns.js';
import { startEndpoint, type EndpointProcess } from './endpoint-process.js';

/**
 * The technician's console in a real Chromium inside the technician's network namespace (Chromium
 * gathers no candidates on loopback alone), the customer a Node endpoint (werift, as the agent) in the
 * other: the session bar shows how the session flows, as the technician sees it.
 */
const netns = canMakeNamespaces();
if (!netns.ok) throw new Error(`these tests need network namespaces (root, iproute2): ${netns.why}`);

describe('console shows the session path (Chromium in a network namespace)', () => {
  let lab: Lab | undefined;
  let srv: TestServer | undefined;
  let turn: Coturn | undefined;
  let chromium: Awaited<ReturnType<typeof chromiumIn>> | undefined;
  let customer: EndpointProcess | undefined;

  afterEach(async () => {
    await chromium?.close();
    await customer?.kill();
    await turn?.stop();
    await srv?.close();
    lab?.close();
    chromium = customer = turn = srv = lab = undefined;
  });

  async function run(opts: { direct: boolean; coturn: boolean; locale: string }) {
    assertAppsBuilt();
    lab = makeLab({ direct: opts.direct });
    const env: Record<string, string> = { HOST: lab.serverAddr, ALLOW_INSECURE: '1' };
    if (opts.coturn) {
      turn = await startCoturn(lab.serverAddr);
      Object.assign(env, { TURN_URLS: turn.url, TURN_SECRET: turn.secret });
    }
    srv = await startTestServer(env);
    // the customer on werift, the agent's stack: Chromium's data channel meets it
    customer = await startEndpoint(lab, 'customer', srv.url, { PEER: 'werift' });
    const reg = await customer.waitFor((e) => e.ev === 'registered', 20_000, 'registration');
    chromium = await chromiumIn(lab.technician.ns, srv.url);
    const tech = await openPage(chromium.browser, 'technician', { locale: opts.locale });
    await technicianSignsIn(tech.page, srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(tech.page, { id: String(reg.id), password: String(reg.password) });
    await customer.waitFor((e) => e.ev === 'session', 20_000, 'the session');
    return { tech, customer };
  }

  it('"Direct" when the two namespaces reach each other', async () => {
    const { tech, customer } = await run({ direct: true, coturn: false, locale: 'en-US' });
    const indicator = tech.page.getByTestId('session-path');
    await expect.poll(() => indicator.getAttribute('data-path'), { timeout: 30_000 }).toBe('direct');
    expect(await textOf(tech.page, 'session-path')).toBe('Direct');
    await customer.waitFor((e) => e.ev === 'path' && e.path === 'direct', 10_000, 'the customer to go direct');
    // the encrypted session works over the channel: the customer's stream reaches the console's session
    const before = srv!.relayMeter.bytes;
    customer.send({ cmd: 'send', count: 16, size: 32 * 1024 });
    await customer.waitFor((e) => e.ev === 'sent', 20_000, 'the stream sent');
    await expectNothingFor(500, 'the relay carries none of the stream', () => expect(srv!.relayMeter.bytes - before).toBe(0));
    expect(tech.log.filter((l) => /pageerror/.test(l))).toEqual([]);
  });

  it('"Über TURN" (German) when only coturn connects them', async () => {
    const { tech } = await run({ direct: false, coturn: true, locale: 'de-DE' });
    const indicator = tech.page.getByTestId('session-path');
    await expect.poll(() => indicator.getAttribute('data-path'), { timeout: 30_000 }).toBe('turn');
    expect(await textOf(tech.page, 'session-path')).toBe('Über TURN');
    expect(turn!.allocations()).toBeGreaterThan(0);
  });
});
