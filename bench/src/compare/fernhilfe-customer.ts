import { createSocket } from 'node:dgram';
import { CustomerEndpoint } from '@fernhilfe/client';
import { ApiClient } from '@fernhilfe/protocol';
import { runFeatures, screenFeature } from '@fernhilfe/agent';
import { nodeTransport } from '../node-transport.js';

/**
 * The customer's side of the Fernhilfe stack in `npm run bench`: the native agent's screen pipeline
 * (X11 capture with DAMAGE + x264 in fernhilfe-encoder) behind a CustomerEndpoint, without the agent's UI (the
 * bench accepts the terms for the customer). Usage: node fernhilfe-customer.js <server-url> <display>.
 * Prints `credentials <id> <password>` for the parent bench only (a pipe, never a log), then serves
 * one session and exits when it ends. With FERNHILFE_BENCH_STAGES=127.0.0.1:PORT in its environment it
 * sends each video frame's stage times (damage, grab, pipe write, encode, sent) there as one JSON
 * datagram (see stages.ts); nothing about the session's secrets.
 */
const [serverUrl, display] = process.argv.slice(2);
if (!serverUrl || !display) {
  process.stderr.write('usage: fernhilfe-customer <server-url> <display>\n');
  process.exit(2);
}

const terms = await new ApiClient(serverUrl).call('terms');
const wsUrl = new URL('/ws/customer', serverUrl);
wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
const customer = await CustomerEndpoint.open({
  url: wsUrl.href,
  transport: nodeTransport,
  termsVersion: terms.version,
  language: 'en',
  capabilities: ['screen'],
});
process.stdout.write(`credentials ${customer.id} ${customer.password ?? ''}\n`);
const stagesTo = /^([\d.]+):(\d+)$/.exec(process.env.FERNHILFE_BENCH_STAGES ?? '');
const udp = stagesTo ? createSocket('udp4') : undefined;
udp?.unref();

customer.on('session', (session) => {
  // FERNHILFE_BENCH_ADAPT=0: the sender without rate control (fixed window of 3, no cap, full size), to compare
  const screen = screenFeature({ capture: { display }, adapt: process.env.FERNHILFE_BENCH_ADAPT !== '0' });
  if (udp && stagesTo) {
    screen.on('frame', (f) => {
      const line = JSON.stringify({ bytes: f.bytes, keyframe: f.keyframe, refine: f.refine, ...f.timing });
      udp.send(line, Number(stagesTo[2]), stagesTo[1]);
    });
  }
  runFeatures(session, [screen], { error: (obj, msg) => process.stderr.write(`${msg}: ${JSON.stringify(obj)}\n`) });
});
customer.on('ended', () => setTimeout(() => process.exit(0), 200));
process.on('SIGTERM', () => void customer.end().finally(() => process.exit(0)));
