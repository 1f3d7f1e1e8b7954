import http from 'node:http';
import https from 'node:https';

/**
 * A small `fetch` over node:http / node:https for the agent's few API calls (branding, terms), used
 * on Windows: Node's own fetch (undici) turns TCP keep-alive on before it connects, which wine 8
 * refuses ("connect UNKNOWN"), so under wine no call would reach the server. Enough of fetch for
 * ApiClient: method, headers, a string body, an abort signal, `redirect: 'error'` (a redirect is a
 * failure; the agent talks to exactly its server). The whole reply is read into memory.
 */
export function httpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input);
  const client = url.protocol === 'https:' ? https : http;
  const headers = Object.fromEntries(new Headers(init.headers).entries());
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: init.method ?? 'GET', headers, ...(init.signal ? { signal: init.signal } : {}) }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        return reject(new TypeError(`redirected to ${res.headers.location}`));
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.append(name, v);
        }
        const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, statusText: res.statusMessage ?? '', headers: out }));
      });
    });
    req.on('error', reject);
    if (typeof init.body === 'string') req.write(init.body);
    req.end();
  });
}
