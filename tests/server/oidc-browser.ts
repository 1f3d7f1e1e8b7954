/**
 * A browser by HTTP for single sign-on tests: a cookie jar per host, redirects followed by hand so
 * the test sees each hop, and the provider's development login form filled in.
 */
export class SsoBrowser {
  readonly #jars = new Map<string, Map<string, string>>();

  constructor(private readonly fernhilfe: string) {}

  /** The cookies this browser holds for a host (name → value). */
  cookies(url: string): Map<string, string> {
    const host = new URL(url).host;
    let jar = this.#jars.get(host);
    if (!jar) this.#jars.set(host, (jar = new Map()));
    return jar;
  }

  async get(url: string, init: { method?: string; body?: URLSearchParams } = {}): Promise<Response> {
    const jar = this.cookies(url);
    const headers: Record<string, string> = {};
    if (jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method: init.method ?? 'GET', headers, redirect: 'manual', ...(init.body ? { body: init.body } : {}) });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (value === '' || expired) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  /**
   * Starts at /api/auth/oidc/start, signs in at the provider as `account` (or cancels there) and
   * stops at the redirect back to Fernhilfe: returns that callback URL, not yet visited.
   */
  async toProvider(account: string, opts: { cancel?: boolean } = {}): Promise<string> {
    let url = `${this.fernhilfe}/api/auth/oidc/start`;
    for (let hop = 0; hop < 12; hop++) {
      if (url.startsWith(`${this.fernhilfe}/api/auth/oidc/callback`)) return url;
      const res = await this.get(url);
      const location = res.headers.get('location');
      if (location) {
        url = new URL(location, url).href;
        continue;
      }
      const html = await res.text();
      const form = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(html);
      if (res.status !== 200 || !form?.[1] || !html.includes('name="login"')) throw new Error(`unexpected page at ${url}: ${res.status} ${html.slice(0, 300)}`);
      if (opts.cancel) {
        url = new URL(`${form[1]}/abort`, url).href; // the login page's "cancel"
        continue;
      }
      const login = await this.get(new URL(form[1], url).href, { method: 'POST', body: new URLSearchParams({ prompt: 'login', login: account, password: 'any' }) });
      const next = login.headers.get('location');
      if (!next) throw new Error(`the provider's login answered ${login.status} without a redirect`);
      url = new URL(next, url).href;
    }
    throw new Error('too many redirects on the way to the provider');
  }

  /** Visits the callback URL; returns where Fernhilfe sends the browser next (its Location). */
  async callback(url: string): Promise<URL> {
    const res = await this.get(url);
    const location = res.headers.get('location');
    if (res.status !== 303 || !location) throw new Error(`the callback answered ${res.status} without a redirect`);
    return new URL(location, url);
  }

  /** The whole sign-in; returns where the browser lands (`/console/` or `/console/?sso-error=…`). */
  async signIn(account: string): Promise<URL> {
    return this.callback(await this.toProvider(account));
  }

  /** GET an API path of Fernhilfe with this browser's cookies, JSON. */
  async api(path: string): Promise<{ status: number; body: unknown }> {
    const res = await this.get(`${this.fernhilfe}${path}`);
    return { status: res.status, body: await res.json().catch(() => undefined) };
  }
}
