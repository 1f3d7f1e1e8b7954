import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startXvfb, type Xvfb } from '@fernhilfe/testkit';
import { cspViolations, launchTechnicianBrowser } from '../../e2e/support/browser.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { assertAgentBuilt } from './agent-process.js';
import type { AgentWithPage } from './agent-page.js';

/** What a file of agent-page tests shares: set in its beforeAll; `run` is the test's own agent. */
export interface AgentPageRig {
  srv: TestServer;
  browser: Browser;
  xvfb: Xvfb;
  run: AgentWithPage | undefined;
}

/**
 * Registers the hooks of a file of tests of the built agent's page: one server, one technician
 * browser and one Xvfb for the file; after each test its agent (`rig.run`) is checked for
 * Content-Security-Policy violations on its page, stopped and its page closed.
 */
export function agentPageRig(): AgentPageRig {
  const rig = { run: undefined } as AgentPageRig;
  beforeAll(async () => {
    assertAgentBuilt();
    rig.srv = await startTestServer();
    rig.browser = await launchTechnicianBrowser();
    rig.xvfb = await startXvfb({ width: 1280, height: 720 });
  });
  afterEach(async () => {
    expect(cspViolations(rig.run?.cust), 'Content-Security-Policy violations on the agent page').toEqual([]);
    await rig.run?.agent.kill();
    await rig.run?.cust.context.close();
    rig.run = undefined;
  });
  afterAll(async () => {
    await rig.browser?.close();
    await rig.xvfb?.stop();
    await rig.srv?.close();
  });
  return rig;
}
