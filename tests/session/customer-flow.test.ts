import { describe, expect, it } from 'vitest';
import { ConnectError, CustomerEndpoint, CustomerFlow, type SecureSession } from '@fernhilfe/client';
import { termsSchema } from '@fernhilfe/protocol';
import { nodeTransport, startTestServer } from '../support/server.js';

describe('CustomerFlow against the real server', () => {
  it('terms over HTTP, ID and password, a wrong password counted, the session with chat, the technician ends', async () => {
    await using srv = await startTestServer({ BACKOFF_BASE_MS: '1' });
    const sessions: SecureSession[] = [];
    const flow = new CustomerFlow({
      api: { terms: async () => termsSchema.parse(await (await fetch(`${srv.url}/api/terms`)).json()) },
      register: (termsVersion, language) =>
        CustomerEndpoint.open({ url: `${srv.url.replace(/^http/, 'ws')}/ws/customer`, transport: nodeTransport, termsVersion, language, capabilities: ['chat'] }),
      openSession: (session) => {
        sessions.push(session);
        return { grants: [] };
      },
    });
    await flow.loadTerms();
    expect(flow.state).toMatchObject({ phase: 'terms', terms: { version: srv.terms().version } });
    await flow.acceptTerms('en');
    const { id, password } = flow.state;
    expect(flow.state.phase).toBe('waiting');
    expect(id).toMatch(/^[1-9]\d{8}$/);
    expect(password).toMatch(/^[2-9a-hjkmnp-z]{7}$/);

    const tech = await srv.technician();
    const wrong = await tech.connect(id!, password === 'aaaaaaa' ? 'bbbbbbb' : 'aaaaaaa').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ConnectError);
    await expect.poll(() => flow.state, { timeout: 10_000 }).toMatchObject({ phase: 'waiting', failures: 1, attemptsInRound: 1, password });

    let techSession: SecureSession | undefined;
    await expect
      .poll(async () => {
        const r = await tech.connect(id!, password!).catch((e: unknown) => e);
        if (r instanceof ConnectError && r.reason === 'rate-limited') return 'waiting for the back-off';
        techSession = r as SecureSession;
        return 'connected';
      }, { timeout: 30_000 })
      .toBe('connected');
    await expect.poll(() => flow.state.phase, { timeout: 10_000 }).toBe('active');
    expect(flow.state).toMatchObject({ sas: techSession!.sas, password: undefined, connectedTechnician: { displayName: 'Max Mustermann', company: 'Beispiel GmbH' } });

    const heard = techSession!.once('control');
    expect(flow.sendChat('Guten Tag')).toBe(true);
    expect(await heard).toEqual({ type: 'chat', text: 'Guten Tag' });
    await techSession!.sendControl({ type: 'chat', text: 'Hallo' });
    await expect.poll(() => flow.state.chat.map((c) => [c.from, c.text]), { timeout: 10_000 }).toEqual([
      ['customer', 'Guten Tag'],
      ['technician', 'Hallo'],
    ]);

    const ended = flow.once('ended');
    await techSession!.end();
    expect(await ended).toMatchObject({ phase: 'ended', endKey: 'ended-by-technician', password: undefined });
    expect(sessions).toHaveLength(1);
    tech.close();
  });
});
