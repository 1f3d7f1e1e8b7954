import { spawnProgram } from '@fernhilfe/programs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import wrtc from '@roamhq/wrtc';
import { afterAll, describe, expect, it } from 'vitest';
import { turnCredential } from '../../packages/server/src/p2p/turn-credentials.js';
import { ROOT } from '../support/processes.js';

/** The coturn configuration docs/p2p.md tells operators to use (section 5, the first code block). */
function sampleConfig(): string {
  const doc = readFileSync(path.join(ROOT, 'docs/p2p.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## 5. coturn example'));
  return /```\n([\s\S]*?)```/.exec(section)![1]!;
}

/** An address as a big integer (IPv4 mapped into the IPv6 space as ::ffff:a.b.c.d, like coturn does). */
function toBig(addr: string): bigint {
  if (isIPv4(addr)) return 0xffff00000000n + BigInt(addr.split('.').reduce((n, o) => n * 256 + Number(o), 0));
  const v4tail = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(addr);
  let text = addr;
  if (v4tail) {
    const n = Number(toBig(v4tail[2]!) & 0xffffffffn);
    text = `${v4tail[1]}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}
const cidr = (block: string): [bigint, bigint] => {
  const [addr, bits] = block.split('/') as [string, string];
  const width = isIPv4(addr) ? 32 : 128;
  const first = toBig(addr);
  return [first, first + (1n << BigInt(width - Number(bits))) - 1n];
};

describe('the coturn sample in docs/p2p.md', () => {
  const conf = sampleConfig();
  const denied = [...conf.matchAll(/^denied-peer-ip=(\S+)$/gm)].map((m) => {
    const [a, b] = m[1]!.split('-') as [string, string | undefined];
    return [toBig(a), toBig(b ?? a)] as const;
  });
  const tmp = mkdtempSync(path.join(tmpdir(), 'fernhilfe-coturn-sample-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.each(['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10'])(
    'denies relaying to every address in %s',
    (block) => {
      const [first, last] = cidr(block);
      // covered when the denied ranges, merged, span the whole block
      let next = first;
      for (const [a, b] of [...denied].sort((x, y) => (x[0] < y[0] ? -1 : 1))) if (a <= next && b >= next) next = b + 1n;
      expect(next > last, `${block} is not wholly denied`).toBe(true);
    },
  );

  it('turns TCP relaying off and keeps multicast peers out', () => {
    expect(conf).toMatch(/^no-tcp-relay$/m);
    expect(conf).toMatch(/^no-multicast-peers$/m);
  });

  it('runs: turnserver reads every line of it and grants a relay to a credential the server minted', async () => {
    const secret = 'a-test-secret-of-some-length';
    const file = path.join(tmp, 'turnserver.conf');
    // the sample as it stands, with the test's secret and without the certificate lines (no TLS here)
    writeFileSync(file, conf.replace(/^static-auth-secret=.*$/m, `static-auth-secret=${secret}`).replace(/^(cert|pkey|tls-listening-port)=.*$/gm, ''));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawnProgram('turnserver', ['-c', file, '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`, '--no-tls', '--no-dtls', '--log-file=stdout', '--simple-log', '--verbose'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await expect.poll(() => /UDP listener opened/.test(out) || child.exitCode !== null, { timeout: 10_000 }).toBe(true);
      expect(out).not.toMatch(/Wrong address format|Bad configuration|unknown option/i);
      expect(out).toContain('--no-tcp-relay: TCP relay endpoints are not allowed');

      const pc = new wrtc.RTCPeerConnection({ iceServers: [{ urls: [`turn:127.0.0.1:${port}?transport=udp`], ...turnCredential(secret, '123456789-customer', 60) }], iceTransportPolicy: 'relay' });
      const found: string[] = [];
      const gathered = new Promise<void>((resolve) => {
        pc.onicecandidate = (e: { candidate: { candidate: string } | null }) => (e.candidate ? void found.push(e.candidate.candidate) : resolve());
      });
      pc.createDataChannel('probe');
      await pc.setLocalDescription(await pc.createOffer());
      await gathered;
      pc.close();
      expect(found.filter((c) => / typ relay /.test(c))).not.toEqual([]);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
