import { describe, expect, it } from 'vitest';
import { FrameKind, encodeFrame, encodeJson } from '@fernhilfe/protocol';
import { WebSocket } from 'ws';
import { expectNothingFor } from '../support/quiet.js';
import { within } from '../support/resume-kit.js';
import { startTestServer } from '../support/server.js';

/** A customer connection over `ws`; `autoPong: false` makes it a peer that has silently vanished. */
async function register(url: string, termsVersion: string, autoPong: boolean) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/customer`, { autoPong });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const registered = new Promise((resolve) => ws.once('message', resolve));
  ws.send(encodeFrame(FrameKind.control, encodeJson({ type: 'register', termsVersion, language: 'de', capabilities: [] })));
  await registered;
  return { ws, closed };
}

describe('keepalive', () => {
  it('drops a connection that stops answering pings, and keeps one that answers', async () => {
    await using srv = await startTestServer({ KEEPALIVE_MS: '150' });
    const version = srv.terms().version;
    const silent = await register(srv.url, version, false);
    const healthy = await register(srv.url, version, true);
    expect(srv.broker.liveRegistrations).toBe(2);

    await within(silent.closed, 5_000, 'the server to drop the connection that stopped answering pings');
    expect(silent.ws.readyState).toBe(WebSocket.CLOSED);
    // several more intervals: the answering one stays
    await expectNothingFor(500, 'the connection that answers pings stays open', () => expect(healthy.ws.readyState).toBe(WebSocket.OPEN));
    expect(srv.broker.liveRegistrations).toBe(1);
    healthy.ws.close();
  });
});
