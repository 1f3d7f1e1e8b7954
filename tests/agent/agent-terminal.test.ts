import type { SecureSession } from '@fernhilfe/client';
import type { ControlMessage } from '@fernhilfe/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startXvfb, type Xvfb } from '@fernhilfe/testkit';
import { expectNothingFor } from '../support/quiet.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { assertAgentBuilt, startAgent, type AgentProcess } from './support/agent-process.js';
import { readTerms, terminalCredentials, waitUntil } from './support/agent-terminal.js';

/**
 * The agent's terminal UI (no browser), driven through a pipe like a person at a terminal:
 * terms page by page, y to accept, ID + password on screen; a real technician (the client library)
 * connects with them; the consent prompt is answered with y; chat; e ends. The server is real.
 */
describe('the agent in a terminal', () => {
  let srv: TestServer;
  let agent: AgentProcess | undefined;
  let xvfb: Xvfb;
  /** the agent controls this X screen (input, clipboard) */
  let env: Record<string, string>;

  beforeAll(async () => {
    assertAgentBuilt();
    srv = await startTestServer();
    xvfb = await startXvfb({ width: 1280, height: 720 });
    env = { DISPLAY: xvfb.name };
  });
  afterEach(async () => {
    await agent?.kill();
    agent = undefined;
  });
  afterAll(async () => {
    await xvfb?.stop();
    await srv?.close();
  });

  it('shows the terms first and registers nothing before they are accepted; then ID and password; e ends', async () => {
    agent = startAgent(['--server', srv.url, '--terminal', '--lang', 'en'], { env });
    await agent.waitFor(/Please read the terms/);
    await agent.waitFor(/\[Enter\] more|\[y\] yes, \[n\] no/);
    // the server's default terms are long enough for more than one page
    expect(agent.stdout()).toMatch(/\[Enter\] more/);
    expect(agent.stdout()).not.toMatch(/ID:/);
    // "y" before the whole text was shown does not accept
    agent.type('y');
    await expectNothingFor(300, '"y" before the whole text was shown does not accept', () => expect(agent!.stdout()).not.toMatch(/Getting your ID/));
    await readTerms(agent, 'y');
    const { id, password } = await terminalCredentials(agent);
    expect(id).toMatch(/^[1-9]\d{8}$/);
    expect(password.length).toBeGreaterThanOrEqual(6);
    agent.type('e');
    expect(await agent.exited).toBe(0);
    expect(agent.stdout()).toMatch(/The session has ended/);
    const tech = await srv.technician();
    await expect(tech.connect(id, password)).rejects.toThrow();
  });

  it('a technician connects with what the terminal shows; the customer allows control, chats, takes control back and ends', async () => {
    agent = startAgent(['--server', srv.url, '--terminal', '--lang', 'en'], { env });
    await readTerms(agent, 'y');
    const { id, password } = await terminalCredentials(agent);
    const tech = await srv.technician();
    const session: SecureSession = await tech.connect(id, password);
    const got: ControlMessage[] = [];
    session.on('control', (m) => got.push(m));
    await agent.waitFor(/Connected with Max Mustermann \(Beispiel GmbH\)\. Security code: ([\d ]+)/);
    expect(agent.stdout()).toContain(session.sas);

    await session.sendControl({ type: 'control-request' });
    await agent.waitFor(/asks to CONTROL your computer/);
    agent.type('y');
    await waitUntil(() => got.some((m) => m.type === 'control-granted'), 5_000);
    await agent.waitFor(/now controls your computer/);

    await session.sendControl({ type: 'chat', text: 'Hallo \u001b[31mrot\u001b[0m' });
    await agent.waitFor(/Technician: Hallo/);
    expect(agent.stdout(), 'escape sequences from the technician never reach the terminal').not.toContain('\u001b');
    agent.type('Danke, bis gleich');
    await waitUntil(() => got.some((m) => m.type === 'chat' && m.text === 'Danke, bis gleich'), 5_000);

    agent.type('r');
    await waitUntil(() => got.some((m) => m.type === 'control-revoked'), 5_000);
    await agent.waitFor(/can no longer control/);

    const ended = session.once('ended');
    agent.type('e');
    expect((await ended).reason).toBe('ended-by-customer');
    expect(await agent.exited).toBe(0);
    await expect((await srv.technician()).connect(id, password)).rejects.toThrow();
  });

  it('refuses control when the customer answers n', async () => {
    agent = startAgent(['--server', srv.url, '--terminal', '--lang', 'de'], { env });
    await readTerms(agent, 'y');
    const { id, password } = await terminalCredentials(agent);
    const session = await (await srv.technician()).connect(id, password);
    const got: ControlMessage[] = [];
    session.on('control', (m) => got.push(m));
    await agent.waitFor(/Verbunden mit Max Mustermann/);
    await session.sendControl({ type: 'control-request' });
    await agent.waitFor(/Ihren Computer zu STEUERN/);
    agent.type('n');
    await waitUntil(() => got.some((m) => m.type === 'control-refused'), 5_000);
    expect(got.some((m) => m.type === 'control-granted')).toBe(false);
    await session.end();
    expect(await agent.exited).toBe(0);
    expect(agent.stdout()).toMatch(/Die Sitzung ist beendet/);
  });

  it('ends when its terminal goes away (stdin closed): the pair is dead', async () => {
    agent = startAgent(['--server', srv.url, '--terminal', '--lang', 'en'], { env });
    await readTerms(agent, 'y');
    const { id, password } = await terminalCredentials(agent);
    agent.child.stdin.end();
    expect(await agent.exited).toBe(0);
    expect(agent.stdout()).toMatch(/The session has ended/);
    await expect((await srv.technician()).connect(id, password)).rejects.toThrow();
  });

  it('without an X display it cannot be controlled: a control request is refused as unsupported, without asking', async () => {
    agent = startAgent(['--server', srv.url, '--terminal', '--lang', 'en'], { env: { DISPLAY: '' } });
    await readTerms(agent, 'y');
    const { id, password } = await terminalCredentials(agent);
    const session = await (await srv.technician()).connect(id, password);
    const got: ControlMessage[] = [];
    session.on('control', (m) => got.push(m));
    await agent.waitFor(/Connected with/);
    await session.sendControl({ type: 'control-request' });
    await waitUntil(() => got.some((m) => m.type === 'control-refused' && m.reason === 'unsupported'), 5_000);
    expect(agent.stdout()).not.toMatch(/asks to CONTROL/);
    await session.end();
    expect(await agent.exited).toBe(0);
  });
});
