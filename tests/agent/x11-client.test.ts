import type { ChildProcess } from 'node:child_process';
import { spawnProgram } from '@fernhilfe/programs';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X11Injector } from '../../packages/agent/src/platform/x11/injector.js';
import { X11Connection, getProperty, internAtom, queryPointer } from '../../packages/agent/src/platform/x11/client.js';
import type { X11Error } from '../../packages/agent/src/platform/x11/errors.js';

/** An Xauthority file with one MIT-MAGIC-COOKIE-1 for any host and display (family Wild). */
function xauthority(file: string, cookie: Buffer): void {
  const field = (b: Buffer) => Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
  writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xff]), field(Buffer.alloc(0)), field(Buffer.alloc(0)), field(Buffer.from('MIT-MAGIC-COOKIE-1')), field(cookie)]));
}

/** An Xvfb that admits only clients with the cookie in `authFile` (what a customer's X server does). */
async function startLockedXvfb(authFile: string): Promise<{ name: string; child: ChildProcess }> {
  const child = spawnProgram('Xvfb', ['-displayfd', '3', '-auth', authFile, '-nolisten', 'tcp', '-screen', '0', '640x480x24'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
    (child.stdio[3] as Readable).on('data', (b: Buffer) => {
      out += b.toString('utf8');
      const m = /^(\d+)\n/.exec(out);
      if (m) resolve(`:${m[1]}`);
    });
  });
  child.removeAllListeners('exit');
  return { name: display, child };
}

const stopped = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

/**
 * The agent's X connection (the `x11` package behind packages/agent/src/platform/x11) against a real Xvfb that
 * demands a cookie: it authenticates from $XAUTHORITY, answers requests, turns X errors into
 * X11Error('protocol'), and fails every pending request when the X server goes away.
 */
describe('the X connection (x11 package) against a real, cookie-protected Xvfb', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-x11-'));
  const good = path.join(dir, 'good.Xauthority');
  const wrong = path.join(dir, 'wrong.Xauthority');
  const saved = process.env.XAUTHORITY;
  let xvfb: { name: string; child: ChildProcess };

  beforeAll(async () => {
    const cookie = randomBytes(16);
    xauthority(good, cookie);
    xauthority(wrong, Buffer.from(cookie.map((b) => b ^ 0xff)));
    xvfb = await startLockedXvfb(good);
  });
  afterAll(async () => {
    process.env.XAUTHORITY = saved;
    if (saved === undefined) delete process.env.XAUTHORITY;
    xvfb?.child.kill('SIGTERM');
    if (xvfb) await stopped(xvfb.child);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is refused without the right cookie, and the input injector says there is no usable display', async () => {
    process.env.XAUTHORITY = wrong;
    await expect(X11Connection.open(xvfb.name)).rejects.toMatchObject({ reason: 'connect' });
    await expect(X11Injector.open(xvfb.name)).rejects.toMatchObject({ reason: 'no-display' });
  });

  it('connects with the cookie from $XAUTHORITY and answers requests', async () => {
    process.env.XAUTHORITY = good;
    const x = await X11Connection.open(xvfb.name);
    try {
      expect(x.screen).toEqual({ width: 640, height: 480 });
      const atom = await internAtom(x, 'FERNHILFE_TEST');
      expect(atom).toBeGreaterThan(68); // not a predefined atom
      expect(await internAtom(x, 'FERNHILFE_TEST')).toBe(atom);
      const p = await queryPointer(x);
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThan(640);
      await x.extension('xtest');
    } finally {
      await x.close();
    }
    expect(x.isOpen).toBe(false);
  });

  it('rejects a request the X server refuses with its X error, and reports errors of void requests as events', async () => {
    process.env.XAUTHORITY = good;
    const x = await X11Connection.open(xvfb.name);
    const events: X11Error[] = [];
    x.on('error', (e) => events.push(e));
    try {
      const noSuchWindow = 0x7ffffff0;
      await expect(getProperty(x, noSuchWindow, 1, false, 4)).rejects.toMatchObject({ reason: 'protocol', code: 3 }); // BadWindow
      expect(events).toEqual([]);
      x.client.DestroyWindow(noSuchWindow);
      await x.sync();
      expect(events.map((e) => [e.reason, e.code])).toEqual([['protocol', 3]]);
      expect(await internAtom(x, 'STILL_WORKS')).toBeGreaterThan(0); // the connection goes on
    } finally {
      await x.close();
    }
  });

  it('fails pending requests and reports the close when the X server goes away', async () => {
    process.env.XAUTHORITY = good;
    const x = await X11Connection.open(xvfb.name);
    const closed = x.once('close');
    xvfb.child.kill('SIGSTOP'); // the X server answers nothing from now on
    const pending = queryPointer(x).catch((err: unknown) => err);
    xvfb.child.kill('SIGKILL');
    await stopped(xvfb.child);
    expect(await pending).toMatchObject({ reason: 'closed' });
    await closed;
    expect(x.isOpen).toBe(false);
    await expect(internAtom(x, 'AFTER')).rejects.toMatchObject({ reason: 'closed' });
  });
});
