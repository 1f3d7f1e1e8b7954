import { createInterface } from 'node:readline';
import { CustomerEndpoint, DEFAULT_CHUNK_SIZE, TechnicianEndpoint, bindFileTransfers, type FileTransfers, type SecureSession, type TransferInfo } from '@fernhilfe/client';
import { FolderSink, nodeFileSource, nodeSha256 } from '@fernhilfe/agent';
import { nodeTransport } from '../node-transport.js';
import type { EndpointConfig } from './endpoint-process.js';
import { receiveRaw, sendRaw } from './raw.js';
import { tapTransport } from './tap-transport.js';

/**
 * One endpoint of the file bench and of tests/files, as its own process (so its memory is its own).
 * Config: JSON in argv[2]. Commands: JSON lines on stdin. Events: JSON lines on stdout.
 *
 *   config   {role, url, termsVersion?, folder, chunkSize?, windowBytes?}
 *   stdin    {cmd: 'connect', id, password} (technician) | {cmd: 'send', path} | {cmd: 'send-raw', path}
 *            | {cmd: 'expect-raw', path, size} | {cmd: 'end'}
 *   stdout   {event: 'registered', id, password} | {event: 'session', sas} | {event: 'finished', info}
 *            | {event: 'raw-sent', bytes} | {event: 'raw-received'} | {event: 'error', message}
 */
type Command = { cmd: 'connect'; id: string; password: string } | { cmd: 'send'; path: string } | { cmd: 'send-raw'; path: string } | { cmd: 'expect-raw'; path: string; size: number } | { cmd: 'end' };

const config = JSON.parse(process.argv[2] ?? '{}') as EndpointConfig;
const say = (event: object) => void process.stdout.write(`${JSON.stringify(event)}\n`);
const { factory, tap } = tapTransport(nodeTransport);
let session: SecureSession | undefined;
let files: FileTransfers | undefined;
let technician: TechnicianEndpoint | undefined;

function onSession(s: SecureSession): void {
  session = s;
  const bound = bindFileTransfers(s, { createHash: nodeSha256, ...(config.chunkSize ? { chunkSize: config.chunkSize } : {}), ...(config.windowBytes ? { windowBytes: config.windowBytes } : {}) });
  files = bound.files;
  files.on('offer', (o) => void files!.accept(o.transferId, new FolderSink(config.folder)));
  files.on('update', (i: TransferInfo) => {
    if (['completed', 'refused', 'cancelled', 'failed'].includes(i.state)) say({ event: 'finished', info: i });
  });
  s.on('ended', (end) => {
    say({ event: 'ended', reason: end.reason });
    setTimeout(() => process.exit(0), 100);
  });
  say({ event: 'session', sas: s.sas });
}

const handlers: { [K in Command['cmd']]: (c: Extract<Command, { cmd: K }>) => Promise<void> } = {
  connect: async (c) => onSession(await technician!.connect(c.id, c.password)),
  send: async (c) => void files!.send(await nodeFileSource(c.path)),
  'send-raw': async (c) => say({ event: 'raw-sent', bytes: await sendRaw(tap, c.path, config.chunkSize ?? DEFAULT_CHUNK_SIZE) }),
  'expect-raw': async (c) => {
    await receiveRaw(tap, c.path, c.size, () => say({ event: 'raw-ready' }));
    say({ event: 'raw-received' });
  },
  end: async () => {
    await session?.end();
    process.exit(0);
  },
};

async function main(): Promise<void> {
  if (config.role === 'customer') {
    const customer = await CustomerEndpoint.open({ url: config.url, transport: factory, termsVersion: config.termsVersion!, language: 'en', capabilities: ['screen', 'chat'] });
    customer.on('session', onSession);
    say({ event: 'registered', id: customer.id, password: customer.password });
  } else {
    technician = await TechnicianEndpoint.open({ url: config.url, transport: factory });
    say({ event: 'ready' });
  }
  for await (const line of createInterface({ input: process.stdin })) {
    if (!line.trim()) continue;
    const c = JSON.parse(line) as Command;
    const handler = handlers[c.cmd] as (c: Command) => Promise<void>;
    handler(c).catch((err: unknown) => say({ event: 'error', message: String(err) }));
  }
}

main().catch((err: unknown) => {
  say({ event: 'error', message: String(err) });
  process.exit(1);
});
