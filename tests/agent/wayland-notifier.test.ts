import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { spawnProgram } from '@fernhilfe/programs';
import { retryUntil, startNotificationServer, stopChild, type NotificationServer } from '@fernhilfe/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaylandNotifier } from '../../packages/agent/src/platform/wayland/notifier.js';

const NOTE = { title: 'Fernhilfe: Fernwartung', body: 'Der Techniker bittet darum, Ihren Computer zu steuern (Maus und Tastatur).', actions: [{ key: 'allow', label: 'Erlauben' }, { key: 'refuse', label: 'Ablehnen' }] };

/**
 * The Wayland notifier against a notification server on a real (private) D-Bus session bus, where
 * the customer presses the button before the server's answer to Notify has gone out: the signal is
 * read before the answer (in CI, one read from the bus held both, and the press was lost). The press
 * still counts, for this note only.
 */
describe('desktop notifications on a session bus: a button pressed at once', () => {
  let dir: string;
  let daemon: ChildProcess;
  let busAddress: string;
  let server: NotificationServer;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-notes-'));
    busAddress = `unix:path=${path.join(dir, 'bus')}`;
    daemon = spawnProgram('dbus-daemon', ['--session', `--address=${busAddress}`, '--nofork', '--nopidfile'], { stdio: 'ignore' });
    // the daemon listens once its socket exists
    await retryUntil(() => {
      if (!existsSync(path.join(dir, 'bus'))) throw new Error('no bus socket yet');
    }, 10_000);
    server = await startNotificationServer(busAddress, { pressAtOnce: 'allow' });
  });
  afterAll(async () => {
    server?.stop();
    if (daemon) await stopChild(daemon);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes the press on with the note’s id, after show() has given the id', async () => {
    const notifier = await WaylandNotifier.open({ DBUS_SESSION_BUS_ADDRESS: busAddress }, { appName: 'Fernhilfe' });
    try {
      expect(notifier.actions).toBe(true);
      const order: string[] = [];
      const pressed = new Promise<[number, string]>((resolve, reject) => {
        notifier.onAction((id, key) => resolve([id, key]));
        setTimeout(() => reject(new Error('the button pressed at once was lost')), 5_000).unref();
      });
      const shown = notifier.show(NOTE).then((id) => {
        order.push('shown');
        return id;
      });
      void pressed.then(() => order.push('pressed'));
      const id = await shown;
      expect(await pressed).toEqual([id, 'allow']);
      expect(order, 'the caller knows the id before the press arrives').toEqual(['shown', 'pressed']);
      expect(server.notes.map((n) => n.id)).toEqual([id]);
    } finally {
      await notifier.close();
    }
  });
});
