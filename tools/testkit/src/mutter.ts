import { spawnProgram } from '@fernhilfe/programs';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import dbus from 'dbus-next';
import { stopChild } from './child.js';
import { TestkitError } from './errors.js';
import { makeTempDir, removeDir } from './temp-dir.js';

/**
 * A headless GNOME session for the Wayland tests and `npm run bench:agent` (the probe's
 * mutter-session.sh as a helper): a private D-Bus session bus, PipeWire + WirePlumber, and
 * `mutter --headless --wayland --no-x11 --virtual-monitor WxH` (one virtual monitor per size), each
 * with its own XDG folders in a temporary directory. `env` is what a program in that session sees
 * (the agent, foot). `layout`: the keyboard layout (xkb name, default 'us'), fixed for the session's
 * life (see Locale1). Each program's output goes to <dir>/<program>.log; FERNHILFE_KEEP_MUTTER=1
 * keeps the folder.
 */
export interface MutterDesktop {
  env: Record<string, string>;
  dir: string;
  /** starts a program in the session (foot …) with `extra` variables; stopped with the session */
  start(file: string, args: string[], extra?: Record<string, string>): ChildProcess;
  stop(): Promise<void>;
}

/**
 * Headless mutter takes its keyboard layout from systemd-localed (org.freedesktop.locale1 on the
 * system bus; in a full GNOME the shell sets the input sources instead). The session gets a private
 * "system" bus of its own on which this process answers as locale1 with `layout`.
 */
class Locale1 extends dbus.interface.Interface {
  constructor(private readonly layout: string) {
    super('org.freedesktop.locale1');
  }
  get X11Layout(): string {
    return this.layout;
  }
  get X11Model(): string {
    return 'pc105';
  }
  get X11Variant(): string {
    return '';
  }
  get X11Options(): string {
    return '';
  }
}
Locale1.configureMembers({
  properties: Object.fromEntries(['X11Layout', 'X11Model', 'X11Variant', 'X11Options'].map((p) => [p, { signature: 's', access: dbus.interface.ACCESS_READ }])),
});

/** Tries `attempt` every `intervalMs` until it resolves; the last error after `timeoutMs`. */
export async function retryUntil<T>(attempt: () => T | Promise<T>, timeoutMs: number, intervalMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > until) throw err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const busReady = (socket: string) =>
  retryUntil(() => {
    if (!existsSync(socket)) throw new TestkitError('process', `no bus at ${socket} yet`);
  }, 10_000, 20);

export async function startMutter(opts: { monitors?: string[]; layout?: string } = {}): Promise<MutterDesktop> {
  const dir = makeTempDir('mutter');
  const runtime = path.join(dir, 'rt');
  mkdirSync(runtime, { mode: 0o700 });
  const bus = `unix:path=${path.join(runtime, 'bus')}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: path.join(dir, 'home'),
    XDG_RUNTIME_DIR: runtime,
    XDG_CONFIG_HOME: path.join(dir, 'home', 'config'),
    XDG_STATE_HOME: path.join(dir, 'home', 'state'),
    XDG_DATA_HOME: path.join(dir, 'home', 'data'),
    XDG_CACHE_HOME: path.join(dir, 'home', 'cache'),
    DBUS_SESSION_BUS_ADDRESS: bus,
    WAYLAND_DISPLAY: 'wayland-fh',
    XDG_SESSION_TYPE: 'wayland',
    XDG_CURRENT_DESKTOP: 'GNOME',
  };
  mkdirSync(env.HOME!, { recursive: true });
  const children: ChildProcess[] = [];
  const start = (file: string, args: string[], extra: Record<string, string> = {}): ChildProcess => {
    const log = openSync(path.join(dir, `${path.basename(file)}.log`), 'a');
    const child = spawnProgram({ file }, args, { env: { ...env, ...extra }, stdio: ['ignore', log, log] });
    closeSync(log);
    child.on('error', () => undefined);
    children.push(child);
    return child;
  };
  let system: dbus.MessageBus | undefined;
  const stop = async () => {
    system?.disconnect();
    for (const child of children.reverse()) await stopChild(child);
    if (!process.env.FERNHILFE_KEEP_MUTTER) removeDir(dir);
  };
  try {
    start('dbus-daemon', ['--session', `--address=${bus}`, '--nofork', '--nopidfile']);
    const systemBus = `unix:path=${path.join(runtime, 'system_bus')}`;
    start('dbus-daemon', ['--session', `--address=${systemBus}`, '--nofork', '--nopidfile']);
    await busReady(path.join(runtime, 'bus'));
    await busReady(path.join(runtime, 'system_bus'));
    // the daemon may have bound its socket without listening yet: try again on a fresh connection
    await retryUntil(async () => {
      system?.disconnect();
      const bus = dbus.sessionBus({ busAddress: systemBus });
      system = bus;
      bus.on('error', () => undefined);
      bus.export('/org/freedesktop/locale1', new Locale1(opts.layout ?? 'us'));
      await bus.requestName('org.freedesktop.locale1', 0);
    }, 10_000);
    start('pipewire', []);
    start('wireplumber', []);
    const monitors = (opts.monitors ?? ['1280x720']).flatMap((m) => ['--virtual-monitor', m]);
    // no key repeat: under a heavily loaded test machine a release may reach foot after the repeat delay
    const settings = path.join(env.XDG_CONFIG_HOME!, 'glib-2.0', 'settings');
    mkdirSync(settings, { recursive: true });
    writeFileSync(path.join(settings, 'keyfile'), '[org/gnome/desktop/peripherals/keyboard]\nrepeat=false\n');
    const mutter = start('mutter', ['--headless', '--wayland', '--no-x11', `--wayland-display=${env.WAYLAND_DISPLAY}`, ...monitors], { DBUS_SYSTEM_BUS_ADDRESS: systemBus, GSETTINGS_BACKEND: 'keyfile' });
    const client = dbus.sessionBus({ busAddress: bus });
    client.on('error', () => undefined);
    try {
      const names = (await client.getProxyObject('org.freedesktop.DBus', '/org/freedesktop/DBus')).getInterface('org.freedesktop.DBus');
      const hasOwner = names.NameHasOwner as (name: string) => Promise<boolean>;
      await retryUntil(async () => {
        if (mutter.exitCode !== null) return; // reported below
        if (!existsSync(path.join(runtime, env.WAYLAND_DISPLAY!)) || !(await hasOwner('org.gnome.Mutter.RemoteDesktop')) || !(await hasOwner('org.gnome.Mutter.ScreenCast'))) {
          throw new TestkitError('process', 'mutter did not offer its remote-desktop API within 20 s');
        }
      }, 20_000);
      if (mutter.exitCode !== null) throw new TestkitError('process', `mutter ended at start (exit code ${mutter.exitCode}; its log: ${path.join(dir, 'mutter.log')})`);
    } finally {
      client.disconnect();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { env, dir, start, stop };
}
