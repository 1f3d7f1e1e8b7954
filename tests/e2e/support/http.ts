import { request } from 'node:http';

/** Raw HTTP from Node, with full control over headers (Origin, Cookie) that fetch would fill in itself. */
export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

export function http(url: string, opts: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<HttpReply> {
  const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = { ...(payload !== undefined && typeof opts.body !== 'string' ? { 'content-type': 'application/json' } : {}), ...opts.headers };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Signs in over the API; returns the cookie header to send back and the CSRF token. */
export async function signIn(baseUrl: string, login: string, password: string): Promise<{ cookie: string; csrfToken: string }> {
  const r = await http(`${baseUrl}/api/auth/login`, { method: 'POST', body: { login, password }, headers: { origin: baseUrl } });
  if (r.status !== 200) throw new Error(`sign-in as ${login} failed: ${r.status} ${r.text}`);
  const setCookie = [r.headers['set-cookie'] ?? []].flat();
  const cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
  return { cookie, csrfToken: (r.body as { csrfToken: string }).csrfToken };
}
