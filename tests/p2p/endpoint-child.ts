/**
 * One endpoint of a P2P test, run as its own process inside a network namespace (bundled by
 * endpoint-process.ts). It talks JSON lines: commands on stdin, events on stdout.
 *   env ROLE=customer|technician, SERVER=http://addr:port, TECH_LOGIN, TECH_PASSWORD,
 *   PEER=wrtc|werift (the WebRTC stack: @roamhq/wrtc, libwebrtc as in Chromium; or werift, the agent's)
 *   customer prints {ev:"registered", id, password}; technician takes {cmd:"connect", id, password}
 *   both: {ev:"session"}, {ev:"path", path}, {ev:"route", via, established}, {ev:"ended", reason}
 *   {cmd:"send", count, size, pauseMs?} -> {ev:"sent", hash};  {cmd:"report"} -> {ev:"received", bytes, hash}
 *   {cmd:"end"} ends the session and exits
 */
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { CustomerEndpoint, TechnicianEndpoint, startDirectUpgrade, webSocketTransport, type SecureSession, type WebSocketLike } from '@fernhilfe/client';
import { ApiClient } from '@fernhilfe/protocol';
import { holdStill } from '../support/quiet.js';
import { weriftPeerConnection } from '../../packages/agent/src/p2p/werift-peer.js';
import { NodePeerConnection, receiver, sendStream } from './stream.js';

const role = process.env.ROLE;
const server = process.env.SERVER!;
const transport = webSocketTransport((url) => new WebSocket(url) as unknown as WebSocketLike);
const PeerConnection = process.env.PEER === 'werift' ? weriftPeerConnection() : NodePeerConnection;
const say = (msg: object) => process.stdout.write(`${JSON.stringify(msg)}\n`);
let session: SecureSession | undefined;
let got: ReturnType<typeof receiver> | undefined;

function run(s: SecureSession): void {
  session = s;
  got = receiver(s);
  const up = startDirectUpgrade(s, { PeerConnection, retryDelaysMs: JSON.parse(process.env.RETRY_MS ?? '[]') as number[], openTimeoutMs: Number(process.env.OPEN_TIMEOUT_MS ?? 15000) });
  up.on('path', ({ path }) => say({ ev: 'path', path }));
  up.on('attempt-ended', (e) => say({ ev: 'attempt-ended', ...e }));
  s.routes.on('route', (r) => say({ ev: 'route', ...r }));
  s.routes.on('ice-servers', (m) => say({ ev: 'ice-servers', urls: m.iceServers.flatMap((i) => i.urls) }));
  s.on('connection-lost', (e) => say({ ev: 'connection-lost', ...e }));
  s.on('reconnected', (e) => say({ ev: 'reconnected', ...e }));
  s.on('ended', (e) => {
    say({ ev: 'ended', reason: e.reason });
    setTimeout(() => process.exit(0), 200);
  });
  say({ ev: 'session' });
}

async function main(): Promise<void> {
  const ws = server.replace(/^http/, 'ws');
  let tech: TechnicianEndpoint | undefined;
  if (role === 'customer') {
    const terms = (await (await fetch(`${server}/api/terms`)).json()) as { version: string };
    const customer = await CustomerEndpoint.open({ url: `${ws}/ws/customer`, transport, termsVersion: terms.version, language: 'de', capabilities: ['screen', 'chat'] });
    customer.on('session', run);
    say({ ev: 'registered', id: customer.id, password: customer.password });
  } else {
    const api = new ApiClient(server);
    await api.login(process.env.TECH_LOGIN!, process.env.TECH_PASSWORD!);
    tech = await TechnicianEndpoint.open({ url: await api.technicianUrl(), reconnectUrl: () => api.technicianUrl(), transport });
    say({ ev: 'ready' });
  }
  for await (const line of createInterface({ input: process.stdin })) {
    const cmd = JSON.parse(line) as { cmd: string; id?: string; password?: string; count?: number; size?: number; pauseMs?: number };
    if (cmd.cmd === 'connect' && tech) run(await tech.connect(cmd.id!, cmd.password!));
    else if (cmd.cmd === 'send' && session) say({ ev: 'sent', hash: await sendStream(session, cmd.count!, cmd.size!, cmd.pauseMs ? () => holdStill(cmd.pauseMs!, 'the pace of the stream the test asked for') : undefined) });
    else if (cmd.cmd === 'report' && got) say({ ev: 'received', bytes: got.state.bytes, hash: got.digest() });
    else if (cmd.cmd === 'end') {
      await session?.end();
      setTimeout(() => process.exit(0), 200);
    }
  }
}

main().catch((err: unknown) => {
  say({ ev: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
