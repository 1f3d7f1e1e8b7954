import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { cspViolations, openPage, textOf } from '../e2e/support/browser.js';
import { customerGetsCredentials } from '../e2e/support/flows.js';
import type { Stack } from './stack.js';

/**
 * What the container tests check about the QuickSupport programs the image carries unsigned and
 * each node signs at start with the key from the secret (docs/containers.md): the page offers them,
 * the files verify with the operator's public key, and every node serves the same bytes.
 */
export const PROGRAMS = [
  { platform: 'linux-x64', file: 'fernhilfe-quicksupport-linux-x64', url: '/download/agent', label: 'Linux' },
  { platform: 'win-x64', file: 'fernhilfe-quicksupport.exe', url: '/download/agent-win-x64', label: 'Windows' },
] as const;

const USER_AGENT = {
  'linux-x64': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'win-x64': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The operator's public key (base64, as `fernhilfe verify --key` takes it) and its file, from the key make-secrets.sh wrote. */
export function operatorPublicKey(stack: Stack): string {
  const key = createPublicKey(readFileSync(path.join(stack.dir, 'secrets/agent_signing_key'), 'utf8'));
  return Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
}

/** GET over https trusting only the given CA; the body as bytes, or an error for another status. */
export function httpsBytes(url: string, ca: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.once('error', reject);
    req.once('timeout', () => req.destroy(new Error(`${url}: no answer`)));
    req.end();
  });
}

export async function httpBytes(url: string): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * A customer opens the QuickSupport page of `url` in Chromium as a visitor on `platform`: the page
 * offers that platform's program first and the other one below, signed with `keyId`.
 */
export async function expectPageOffers(browser: Browser, url: string, platform: 'linux-x64' | 'win-x64', keyId: string): Promise<void> {
  const p = await openPage(browser, `customer-${platform}`, { locale: 'en-US', userAgent: USER_AGENT[platform] });
  try {
    await customerGetsCredentials(p.page, url);
    await p.page.getByTestId('agent-download').waitFor({ state: 'visible', timeout: 30_000 });
    const [first, other] = platform === 'win-x64' ? [PROGRAMS[1], PROGRAMS[0]] : [PROGRAMS[0], PROGRAMS[1]];
    expect(await textOf(p.page, 'agent-download-link'), url).toBe(`Download the QuickSupport program for remote control (${first.label})`);
    expect(await textOf(p.page, 'agent-download-signer'), url).toContain(`(key ${keyId})`);
    expect(await p.page.getByTestId('agent-download-other').getAttribute('data-platform'), url).toBe(other.platform);
    expect(await textOf(p.page, 'agent-download-other-link'), url).toBe(`Download the QuickSupport program for remote control (${other.label})`);
    expect(cspViolations(p)).toEqual([]);
  } finally {
    await p.context.close();
  }
}
