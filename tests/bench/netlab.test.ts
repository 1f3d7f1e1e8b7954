import { existsSync } from 'node:fs';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execProgram, programPath } from '@fernhilfe/programs';
import { LINK_PROFILES, canMakeBenchNet, listProcesses, startBenchNet, stopChild, type BenchNet, type LinkProfile } from '@fernhilfe/testkit';
import { echoConnection, median, startPeer, udpUpload, type Peer } from './netlab-kit.js';

/**
 * The bench network (tools/testkit/src/netlab.ts): two namespaces, the customer's link through our
 * link emulator (fernhilfe-netlab over TUN), the technician's a plain veth. Behaviour only: what the
 * emulator must hold are lower bounds (a round trip is never shorter than twice the one-way delay,
 * an upload never faster than the rate), and loss in a wide band around the profile's share.
 */
const MB = 1024 * 1024;
const can = canMakeBenchNet();
if (!can.ok) console.warn(`skipping the bench network tests: ${can.why}`);

describe.skipIf(!can.ok)('bench network and link emulator', () => {
  let bn: BenchNet;
  const peers: Peer[] = [];

  function peer(side: 'customer' | 'technician', args: string[], on: BenchNet = bn): Peer {
    const p = startPeer(on, side, args);
    peers.push(p);
    return p;
  }
  const echo = () => echoConnection(bn.customer.addr, 7001);
  const upload = (on: BenchNet, count: number, perTick: number) => udpUpload(on, count, perTick, (args) => peer('customer', args, on));

  beforeAll(async () => {
    bn = await startBenchNet();
    await peer('customer', ['serve', bn.customer.addr]).line(/^ready$/);
  });
  afterEach(async () => {
    await Promise.all(peers.splice(1).map((p) => stopChild(p.child)));
  });
  afterAll(async () => {
    await Promise.all(peers.splice(0).map((p) => stopChild(p.child)));
    await bn?.close();
  });

  it('lan: a TCP echo works both ways (root → customer and customer → root)', async () => {
    await bn.setProfile(LINK_PROFILES.lan);
    const conn = await echo();
    expect((await conn.ping('to the customer')).echo).toBe('to the customer');
    await conn.end();

    const server = net.createServer((s) => s.pipe(s));
    await new Promise<void>((resolve) => server.listen(7101, bn.serverAddr, resolve));
    try {
      const line = await peer('customer', ['echo-client', bn.serverAddr, '7101']).line(/^(echo|error) /);
      expect(line).toMatch(/^echo hello through the link \d+$/);
    } finally {
      server.close();
    }
  });

  it('dsl: every TCP round trip takes at least twice the one-way delay (2 × 25 ms)', async () => {
    await bn.setProfile(LINK_PROFILES.dsl);
    const conn = await echo();
    const rtts: number[] = [];
    for (let i = 0; i < 10; i++) {
      const { echo, ms } = await conn.ping(`ping ${i}`);
      expect(echo).toBe(`ping ${i}`);
      rtts.push(ms);
    }
    await conn.end();
    expect(Math.min(...rtts), `round trips ${rtts.map((r) => r.toFixed(1)).join(', ')} ms`).toBeGreaterThanOrEqual(2 * LINK_PROFILES.dsl.delayMs);
  });

  it('bad: random loss drops a share of 2000 UDP datagrams near 3 % (1–6 %), and no queue drops while paced under the rate', async () => {
    await bn.setProfile(LINK_PROFILES.bad);
    // 1000 datagrams/s of 128 bytes on the wire: about half of bad's 2 Mbit/s upload
    const { seqs, lossDrops, queueDrops } = await upload(bn, 2000, 10);
    expect(queueDrops).toBe(0);
    const share = (2000 - seqs.length) / 2000;
    expect(lossDrops).toBe(2000 - seqs.length);
    expect(share, `${lossDrops} of 2000 lost`).toBeGreaterThanOrEqual(0.01);
    expect(share, `${lossDrops} of 2000 lost`).toBeLessThanOrEqual(0.06);
  });

  it("lte: jitter (± 10 ms) never reorders: datagrams 0.5 ms apart arrive in the order they were sent", async () => {
    await bn.setProfile(LINK_PROFILES.lte);
    const { seqs } = await upload(bn, 600, 20);
    expect(seqs.length).toBeGreaterThan(500);
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!), `arrival order ${seqs.join(',')}`).toBe(true);
  });

  it('the rate queue is drop-tail at 200 ms of the link rate by default, and the queueMs option widens it', async () => {
    const narrow: LinkProfile = { name: 'bad', upKbit: 2_000, downKbit: undefined, delayMs: 0, jitterMs: 0, lossPct: 0 };
    await bn.setProfile(narrow);
    // 20 000 datagrams/s, 10x the rate: the 200 ms queue (about 390 datagrams) overflows
    const flooded = await upload(bn, 2000, 200);
    expect(flooded.queueDrops).toBeGreaterThan(0);
    expect(flooded.lossDrops).toBe(0);

    const wide = await startBenchNet({ profile: narrow, queueMs: 10_000 });
    try {
      const held = await upload(wide, 2000, 200);
      expect(held.queueDrops).toBe(0);
      expect(held.seqs).toHaveLength(2000);
    } finally {
      await wide.close();
    }
  });

  it('a 1 MB upload through a 2 Mbit/s link takes at least 3.5 s, while the download direction is not capped', async () => {
    const narrowUp: LinkProfile = { name: 'bad', upKbit: 2_000, downKbit: undefined, delayMs: 0, jitterMs: 0, lossPct: 0 };
    await bn.setProfile(narrowUp);
    let upload: { bytes: number; ms: number } | undefined;
    const server = net.createServer((s) => {
      const t0 = performance.now();
      let bytes = 0;
      s.on('data', (d) => (bytes += d.length)).on('end', () => {
        upload = { bytes, ms: performance.now() - t0 };
        s.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(7103, bn.serverAddr, resolve));
    try {
      await peer('customer', ['upload', bn.serverAddr, '7103', String(MB)]).line(/^done$/);
      await expect.poll(() => upload).toBeDefined();
      expect(upload!.bytes).toBe(MB);
      // 8.4 Mbit at 2 Mbit/s is 4.2 s on the wire, headers not counted
      expect(upload!.ms).toBeGreaterThanOrEqual(3_500);
    } finally {
      server.close();
    }

    // the same megabyte sent to the customer (the download direction): faster than a 2 Mbit/s cap could carry it
    const t0 = performance.now();
    const sock = net.connect(7002, bn.customer.addr, () => sock.end(Buffer.alloc(MB, 0x5a)));
    let answer = '';
    await new Promise<void>((resolve, reject) => sock.on('data', (d) => (answer += d.toString())).on('end', resolve).on('error', reject));
    const ms = performance.now() - t0;
    expect(answer.trim(), 'the bytes the customer counted').toBe(String(MB));
    expect(ms, 'a 1 MB download, which a 2 Mbit/s cap would stretch past 4 s').toBeLessThan(3_500);
  });

  it('setProfile while a TCP stream flows changes its round trip without breaking it', async () => {
    await bn.setProfile(LINK_PROFILES.lan);
    const conn = await echo();
    const before: number[] = [];
    const after: number[] = [];
    let seq = 0;
    for (; seq < 20; seq++) {
      const { echo, ms } = await conn.ping(`seq ${seq}`);
      expect(echo).toBe(`seq ${seq}`);
      before.push(ms);
    }
    const far: LinkProfile = { ...LINK_PROFILES.dsl, delayMs: 100, lossPct: 0 };
    await bn.setProfile(far); // nothing is in flight: the ping-pong waits for each echo
    expect(bn.profile).toEqual(far);
    for (; seq < 40; seq++) {
      const { echo, ms } = await conn.ping(`seq ${seq}`);
      expect(echo).toBe(`seq ${seq}`);
      after.push(ms);
    }
    expect(conn.closed()).toBe(false);
    await conn.end();
    expect(Math.min(...after), `after: ${after.map((r) => r.toFixed(0)).join(', ')} ms`).toBeGreaterThanOrEqual(2 * far.delayMs);
    expect(median(before), `before: ${before.map((r) => r.toFixed(1)).join(', ')} ms`).toBeLessThan(2 * far.delayMs);
  });

  it('wrap runs a program in its side\'s namespace on its core; the root does not forward between the sides', async () => {
    await bn.setProfile(LINK_PROFILES.lan);
    const customer = JSON.parse(await peer('customer', ['whoami']).line(/^\{/)) as { cpus: string; addrs: string[] };
    expect(customer.cpus).toBe(bn.customer.cpus);
    expect(customer.addrs.sort()).toEqual(['127.0.0.1', bn.customer.addr].sort());
    const technician = JSON.parse(await peer('technician', ['whoami']).line(/^\{/)) as { cpus: string; addrs: string[] };
    expect(technician.cpus).toBe(bn.technician.cpus);
    expect(technician.addrs.sort()).toEqual(['127.0.0.1', bn.technician.addr].sort());

    const [file, args] = bn.wrap('customer', programPath('ip'), ['-4', '-o', 'addr']);
    const { stdout } = await execProgram(file, args);
    expect(stdout).toContain(`inet ${bn.customer.addr} peer ${bn.serverAddr}/32`);
    expect(stdout).not.toContain(bn.technician.addr);

    // the technician reaches the server's address, but not the customer's machine
    const server = net.createServer((s) => s.pipe(s));
    await new Promise<void>((resolve) => server.listen(7104, bn.serverAddr, resolve));
    try {
      expect(await peer('technician', ['echo-client', bn.serverAddr, '7104']).line(/^(echo|error) /)).toMatch(/^echo /);
    } finally {
      server.close();
    }
    expect(await peer('technician', ['echo-client', bn.customer.addr, '7001']).line(/^(echo|error) /)).toMatch(/^error /);
  });

  it('close() leaves no namespace, link or emulator process behind', async () => {
    const other = await startBenchNet({ profile: LINK_PROFILES.lte });
    const names = [other.customer.ns, other.technician.ns];
    const id = other.customer.ns.slice('fhbc'.length);
    expect((await execProgram('ip', ['netns', 'list'])).stdout).toContain(other.customer.ns);
    expect((await execProgram('ip', ['-o', 'link'])).stdout).toContain(`fhb${id}`);
    expect(existsSync(`/proc/${other.emulatorPid}`)).toBe(true);
    await other.close();
    const nsList = (await execProgram('ip', ['netns', 'list'])).stdout;
    for (const ns of names) expect(nsList).not.toContain(ns);
    expect((await execProgram('ip', ['-o', 'link'])).stdout).not.toContain(`fhb${id}`);
    expect(existsSync(`/proc/${other.emulatorPid}`)).toBe(false);
    await other.close(); // twice is fine
    await expect(other.setProfile(LINK_PROFILES.lan)).rejects.toThrow(/closed/);
  });

  it('a setup that fails half-way removes what it made (a profile the emulator refuses: jitter larger than the delay)', async () => {
    const refused: LinkProfile = { ...LINK_PROFILES.lan, jitterMs: 5 };
    const err: unknown = await startBenchNet({ profile: refused }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const names = /\((fhbc(\w+)), (fhbt\w+)\)/.exec((err as Error).message);
    expect(names, (err as Error).message).not.toBeNull();
    const [, cns, id, tns] = names!;
    expect((err as Error).message).toMatch(/refused the up settings/);
    const nsList = (await execProgram('ip', ['netns', 'list'])).stdout;
    expect(nsList).not.toContain(cns);
    expect(nsList).not.toContain(tns);
    expect((await execProgram('ip', ['-o', 'link'])).stdout).not.toContain(`fhb${id}`);
    expect(listProcesses().filter((p) => p.cmdline.includes(`fhb${id}`))).toEqual([]);
  });
});
