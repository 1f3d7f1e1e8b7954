import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { technicianConnects, technicianSignsIn } from '../e2e/support/flows.js';
import { expectCanvasPattern } from '../e2e/support/flows.js';
import { assertAppsBuilt, openPage, textOf, type WatchedPage } from '../e2e/support/browser.js';
import { paint, PATTERN_A, PATTERN_B, startScreen, type XScreen } from '../e2e/support/xvfb.js';
import { builtAgent, type BuiltAgent } from '../agent/build-fixture.js';
import { startAgent, type AgentProcess } from '../agent/support/agent-process.js';
import { readTerms, terminalCredentials } from '../agent/support/agent-terminal.js';
import { startCoturn, type Coturn } from '../support/coturn.js';
import { canMakeNamespaces, makeLab, type Lab } from '../support/netns.js';
import { startTestServer, TECH_LOGIN, TECH_PASSWORD, type TestServer } from '../support/server.js';
import { chromiumIn } from './chromium-ns.js';
import { loopbackForward } from './loopback-forward.js';

/**
 * The shipped Linux program (the signed single file, built as tests/agent/build-fixture.ts does,
 * cached) is the customer, in its own network namespace, sharing a real X screen (Xvfb); the
 * technician's console runs in Chromium in the other namespace; the server and coturn are in the
 * root namespace. The program carries werift (docs/p2p.md): it goes direct while the two namespaces
 * reach each other (no byte relayed by the server while a pattern painted on the X screen reaches
 * the console's canvas), falls back to the server's relay when the direct link is cut (the next
 * pattern arrives through the server), and goes through coturn when the namespaces do not reach
 * each other. (Direct and TURN are separate sessions: werift keeps the first pair the console
 * nominates, so with coturn present its own sending may stay on a relay pair: docs/p2p.md.)
 */
const netns = canMakeNamespaces();
if (!netns.ok) throw new Error(`these tests need network namespaces (root, iproute2): ${netns.why}`);

describe('the built QuickSupport program goes direct, falls back when the direct link is cut, and goes via TURN', () => {
  let agentFile: BuiltAgent;
  let screen: XScreen;
  let lab: Lab | undefined;
  let srv: TestServer | undefined;
  let turn: Coturn | undefined;
  let chromium: Awaited<ReturnType<typeof chromiumIn>> | undefined;
  let forward: { stop(): void } | undefined;
  let agent: AgentProcess | undefined;

  beforeAll(async () => {
    assertAppsBuilt();
    agentFile = await builtAgent();
    screen = await startScreen();
    await screen.painter.fill([128, 128, 128]);
  }, 300_000);
  afterEach(async () => {
    await chromium?.close();
    await agent?.kill();
    forward?.stop();
    await turn?.stop();
    await srv?.close();
    lab?.close();
    chromium = agent = forward = turn = srv = lab = undefined;
  });
  afterAll(async () => {
    await screen?.stop();
  });

  /** What the console's session bar says, once it says `path`. */
  async function pathShown(tech: WatchedPage, path: 'direct' | 'turn' | 'relayed', timeout: number): Promise<string> {
    const indicator = tech.page.getByTestId('session-path');
    await expect.poll(() => indicator.getAttribute('data-path'), { timeout }).toBe(path);
    return textOf(tech.page, 'session-path');
  }

  /** Paints `pattern` and waits until the console shows it; returns the bytes the server relayed meanwhile. */
  async function patternArrives(tech: WatchedPage, pattern: typeof PATTERN_A): Promise<number> {
    const before = srv!.relayMeter.bytes;
    await paint(screen.painter, pattern);
    await expectCanvasPattern(tech, pattern, 20_000);
    return srv!.relayMeter.bytes - before;
  }

  /** The program as the customer in its namespace, the console in the technician's, up to a session. */
  async function session(opts: { direct: boolean; coturn: boolean }): Promise<{ tech: WatchedPage; agent: AgentProcess }> {
    lab = makeLab({ direct: opts.direct });
    const env: Record<string, string> = { HOST: lab.serverAddr, ALLOW_INSECURE: '1' };
    if (opts.coturn) {
      turn = await startCoturn(lab.serverAddr);
      Object.assign(env, { TURN_URLS: turn.url, TURN_SECRET: turn.secret, TURN_TTL_S: '600' });
    }
    srv = await startTestServer(env);
    // the program speaks plain HTTP only to loopback: a forwarder in its namespace reaches the server
    const fwd = await loopbackForward(lab, lab.customer.ns, new URL(srv.url).host);
    forward = fwd;
    const program = startAgent(['--server', `http://127.0.0.1:${fwd.port}`, '--terminal', '--lang', 'en'], {
      program: agentFile.file,
      wrapper: { program: 'ip', args: ['netns', 'exec', lab.customer.ns] },
      env: { DISPLAY: screen.display, FERNHILFE_AGENT_LOG: 'info' },
    });
    agent = program;
    await readTerms(program, 'y', 30_000);
    const { id, password } = await terminalCredentials(program, 30_000);
    chromium = await chromiumIn(lab.technician.ns, srv.url);
    const tech = await openPage(chromium.browser, 'technician', { viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    await technicianSignsIn(tech.page, srv.url, TECH_LOGIN, TECH_PASSWORD);
    await technicianConnects(tech.page, { id, password });
    return { tech, agent: program };
  }

  it('goes direct while the namespaces reach each other; when the direct link is cut, the relay carries on', async () => {
    const { tech, agent } = await session({ direct: true, coturn: false });
    // werift in the program answered Chromium's offer over the direct link
    expect(await pathShown(tech, 'direct', 45_000)).toBe('Direct');
    await agent.waitFor(/"path":"direct"/, 10_000, true);
    expect(agent.stderr()).toMatch(/direct connections possible \(werift\)/);
    expect(await patternArrives(tech, PATTERN_A), 'bytes the server relayed while the pattern went direct').toBe(0);

    // cut: back to the server's relay without a new login, and the screen still arrives
    lab!.setDirect(false);
    await agent.waitFor(/"path":"relayed"/, 30_000, true);
    expect(await pathShown(tech, 'relayed', 30_000)).toBe('Relayed');
    expect(await patternArrives(tech, PATTERN_B), 'the pattern went through the server').toBeGreaterThan(0);
    expect(tech.log.filter((l) => /pageerror/.test(l))).toEqual([]);
  }, 240_000);

  it('goes through coturn when the namespaces do not reach each other', async () => {
    const { tech, agent } = await session({ direct: false, coturn: true });
    expect(await pathShown(tech, 'turn', 45_000)).toBe('Via TURN');
    await agent.waitFor(/"path":"turn"/, 10_000, true);
    expect(turn!.allocations(), `coturn granted allocations:\n${turn!.output().slice(-3000)}`).toBeGreaterThan(0);
    expect(await patternArrives(tech, PATTERN_A), 'bytes the server relayed while the pattern went through coturn').toBe(0);
    expect(tech.log.filter((l) => /pageerror/.test(l))).toEqual([]);
  }, 240_000);
});
