import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Lab } from '../support/netns.js';

/**
 * A TCP forwarder from 127.0.0.1 inside a namespace to `target` (host:port): the agent talks plain
 * HTTP only to loopback (https elsewhere), so in the lab it reaches the server on the lab's
 * address through this. The session's signalling crosses the namespace's link as before; WebRTC
 * (host, relay candidates) does not use it.
 */
const SCRIPT = `
const net = require('node:net');
const [host, port] = process.argv[1].split(':');
const server = net.createServer((inner) => {
  const outer = net.connect(Number(port), host);
  inner.pipe(outer).pipe(inner);
  const end = () => { inner.destroy(); outer.destroy(); };
  inner.on('error', end); outer.on('error', end); inner.on('close', end); outer.on('close', end);
});
server.listen(0, '127.0.0.1', () => console.log(String(server.address().port)));
`;

export async function loopbackForward(lab: Lab, ns: string, target: string): Promise<{ port: number; stop(): void }> {
  const child: ChildProcess = lab.spawnIn(ns, process.execPath, ['-e', SCRIPT, target], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(Number(line)));
    child.once('exit', (code) => reject(new Error(`the forwarder in ${ns} exited (${code})`)));
  });
  return { port, stop: () => void child.kill('SIGKILL') };
}
