import type { ServerResponse } from 'node:http';
import type { Branding } from '@fernhilfe/client';
import { InvariantError } from '@fernhilfe/protocol';
import { AGENT_META_NAME } from './messages.js';
import type { UiAsset } from './assets.js';

/** The same strict policy as the server's (no inline script or style), plus the local WebSocket. */
export function securityHeaders(origin: string): Record<string, string> {
  const ws = origin.replace(/^http/, 'ws');
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    // leaves nothing behind: not even in the browser's cache
    'cache-control': 'no-store',
  };
}

/** index.html with the agent-mode flag for the page (apps/quicksupport/src/agent/mode.ts). */
export function agentIndex(index: UiAsset, language: 'de' | 'en'): UiAsset {
  const html = index.body.toString('utf8');
  const meta = `<meta name="${AGENT_META_NAME}" content="${language}" />`;
  const at = html.indexOf('</head>');
  if (at < 0) throw new InvariantError('index.html has no </head>');
  return { type: index.type, body: Buffer.from(html.slice(0, at) + meta + html.slice(at)) };
}

export function brandingAsset(branding: Branding): UiAsset {
  return { type: 'application/json', body: Buffer.from(JSON.stringify(branding)) };
}

export function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string = ''): void {
  res.writeHead(status, headers);
  res.end(body);
}
