import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { chromiumPath, QUIET_ARGS } from '@fernhilfe/testkit';

/**
 * Chromium started inside a network namespace (a wrapper runs it under `ip netns exec`): Chromium
 * gathers no candidates on loopback alone. The server is on a private address over plain HTTP:
 * WebCrypto needs a secure context, so `origin` is treated as secure (as behind TLS in production).
 * `close()` closes the browser and removes the wrapper's folder.
 */
export async function chromiumIn(ns: string, origin: string): Promise<{ browser: Browser; close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fernhilfe-p2p-chromium-'));
  const wrapper = path.join(dir, 'chromium');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${chromiumPath()} "$@"\n`);
  chmodSync(wrapper, 0o755);
  try {
    const browser = await chromium.launch({ executablePath: wrapper, headless: false, args: ['--headless=new', ...QUIET_ARGS, `--unsafely-treat-insecure-origin-as-secure=${origin}`] });
    return {
      browser,
      close: async () => {
        await browser.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
