// Stand-in entry for `npm run build:agent` while packages/agent/src/main.ts does not exist, and the
// probe the build tests bundle (`--entry packages/agent/build/placeholder-main.ts`): it shows what
// the build provides — the build constants, the embedded QuickSupport page, the absent native addon,
// the bundled WebRTC stack (werift).
import { createHash } from 'node:crypto';
import { uiAssets } from '../src/ui/assets.js';
import { probeWebRtc } from './probe-webrtc.js';

declare const __FERNHILFE_SERVER_URL__: string | undefined;
declare const __FERNHILFE_AGENT_VERSION__: string;

const server = typeof __FERNHILFE_SERVER_URL__ === 'string' ? __FERNHILFE_SERVER_URL__ : undefined;

async function main(args: string[]): Promise<void> {
  if (args.includes('--dump-assets')) {
    const out: Record<string, { type: string; sha256: string }> = {};
    for (const [key, a] of await uiAssets()) out[key] = { type: a.type, sha256: createHash('sha256').update(a.body).digest('hex') };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  if (args.includes('--sea-assets')) {
    // the files the build put inside (SEA assets), as the program reads them back
    const sea = await import('node:sea');
    const out: Record<string, string | null> = {};
    for (const name of ['koffi.node', 'encoder']) {
      try {
        out[name] = createHash('sha256').update(new Uint8Array(sea.getAsset(name))).digest('hex');
      } catch {
        out[name] = null;
      }
    }
    process.stdout.write(`${JSON.stringify({ isSea: sea.isSea(), platform: process.platform, node: process.version, assets: out })}\n`);
    return;
  }
  if (args.includes('--probe-dynamic')) {
    // a specifier esbuild cannot see: left as a real import() in the bundle
    const name = ['@roamhq', 'wrtc'].join('/');
    try {
      await import(/* @vite-ignore */ name);
      process.stdout.write('dynamic import: loaded from disk\n');
    } catch (err) {
      process.stdout.write(`dynamic import: refused (${(err as NodeJS.ErrnoException).code ?? String(err)})\n`);
    }
    return;
  }
  if (args.includes('--probe-webrtc')) {
    process.stdout.write(`${JSON.stringify(await probeWebRtc())}\n`);
    process.exit(0); // werift keeps sockets and timers open after close()
  }
  if (args.includes('--probe-native')) {
    try {
      await import('@roamhq/wrtc');
      process.stdout.write('wrtc: loaded\n');
    } catch (err) {
      process.stdout.write(`wrtc: absent (${(err as NodeJS.ErrnoException).code ?? String(err)}): relay only\n`);
    }
    return;
  }
  process.stdout.write(
    [
      `fernhilfe-quicksupport ${__FERNHILFE_AGENT_VERSION__} (placeholder build: the agent is not built yet)`,
      'Usage: fernhilfe-quicksupport [--server URL] [--help]',
      `server: ${server ?? '(none built in: give --server URL)'}`,
      '',
    ].join('\n'),
  );
}

void main(process.argv.slice(2));
