// The other end of tests/bench/netlab.test.ts, run inside a namespace of the bench network
// (BenchNet.wrap): `node netlab-peer.mjs MODE ARGS…`; it reports on stdout, one line per event.
//   serve ADDR                    TCP echo :7001, TCP sink :7002 (answers the byte count at the end); "ready"
//   echo-client HOST PORT         sends a line, prints what comes back ("echo …"), or "error …" (exit 1)
//   upload HOST PORT BYTES        sends BYTES and ends; "done" once the server has closed
//   udp-send HOST PORT COUNT N    COUNT datagrams of 100 bytes, N every 10 ms; "sent COUNT"
//   whoami                        {"cpus": Cpus_allowed_list, "addrs": [IPv4 addresses]}
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';

const [mode, ...args] = process.argv.slice(2);
const say = (line) => process.stdout.write(`${line}\n`);

if (mode === 'serve') {
  const addr = args[0];
  const echo = net.createServer((s) => s.pipe(s)).listen(7001, addr);
  const sink = net.createServer((s) => {
    let n = 0;
    s.on('data', (d) => (n += d.length)).on('end', () => s.end(`${n}\n`));
  }).listen(7002, addr);
  let listening = 0;
  for (const s of [echo, sink]) s.on('listening', () => ++listening === 2 && say('ready'));
} else if (mode === 'echo-client') {
  const text = `hello through the link ${process.pid}\n`;
  const s = net.connect(Number(args[1]), args[0]);
  s.setTimeout(5_000, () => s.destroy(new Error('timed out')));
  let got = '';
  s.on('connect', () => s.write(text));
  s.on('data', (d) => {
    got += d.toString();
    if (got.length >= text.length) {
      say(`echo ${got.trim()}`);
      s.end();
    }
  });
  s.on('error', (err) => {
    say(`error ${err.code ?? err.message}`);
    process.exit(1);
  });
} else if (mode === 'upload') {
  const s = net.connect(Number(args[1]), args[0], () => s.end(Buffer.alloc(Number(args[2]), 0xa5)));
  s.resume().on('close', () => say('done'));
} else if (mode === 'udp-send') {
  const [host, port, count, perTick] = [args[0], Number(args[1]), Number(args[2]), Number(args[3])];
  const sock = dgram.createSocket('udp4');
  let seq = 0;
  let handed = 0; // datagrams the kernel has taken
  const timer = setInterval(() => {
    for (let i = 0; i < perTick && seq < count; i++, seq++) {
      const d = Buffer.alloc(100);
      d.writeUInt32BE(seq, 0);
      sock.send(d, port, host, () => ++handed === count && sock.close(() => say(`sent ${count}`)));
    }
    if (seq === count) clearInterval(timer);
  }, 10);
} else if (mode === 'whoami') {
  const cpus = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  const addrs = Object.values(os.networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4').map((a) => a.address);
  say(JSON.stringify({ cpus, addrs }));
} else {
  say(`error unknown mode ${mode}`);
  process.exit(2);
}
