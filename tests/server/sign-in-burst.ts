import { Secret, TOTP } from 'otpauth';

export interface SignInAnswer {
  status: number;
  code: string | undefined;
  retryAfter: number | undefined;
  setsCookie: boolean;
}

/** POST /api/auth/login over real HTTP like the console (same origin), from `ip` through a trusted proxy. */
export async function signInAt(baseUrl: string, body: { login: string; password: string; totp?: string }, ip?: string): Promise<SignInAnswer> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl, ...(ip ? { 'x-forwarded-for': ip } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { error?: { code: string } };
  const retry = res.headers.get('retry-after');
  return { status: res.status, code: json.error?.code, retryAfter: retry === null ? undefined : Number(retry), setsCookie: res.headers.getSetCookie().length > 0 };
}

/** How a burst was answered: `evaluated` had its password (or code) checked, `refused` got 429 first. */
export function tally(answers: SignInAnswer[]) {
  const evaluated = answers.filter((a) => a.status === 401 && (a.code === 'invalid_credentials' || a.code === 'totp-invalid'));
  const refused = answers.filter((a) => a.status === 429 && a.code === 'rate_limited' && (a.retryAfter ?? 0) >= 1);
  return { evaluated: evaluated.length, refused: refused.length, other: answers.filter((a) => !evaluated.includes(a) && !refused.includes(a)).map((a) => `${a.status} ${a.code}`) };
}

/** 6-digit codes none of which the server accepts now (the current code and one period either side are left out). */
export function wrongCodes(secret: string, count: number): string[] {
  const near = new Set([-1, 0, 1, 2].map((steps) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + steps * 30_000 })));
  const codes: string[] = [];
  for (let i = 0; codes.length < count; i++) {
    const code = String(100_000 + i * 4_099);
    if (!near.has(code)) codes.push(code);
  }
  return codes;
}

export const currentCode = (secret: string) => TOTP.generate({ secret: Secret.fromBase32(secret) });
