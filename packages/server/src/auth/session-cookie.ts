import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import { SESSION_COOKIE } from './guards.js';
import type { NewWebSession } from './web-sessions.js';

/** The console's session cookie: HttpOnly, SameSite=Strict, Secure over https. */
export function sessionCookieOptions(secure: boolean): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'strict', secure };
}

/** Hands a new web session (AccountService.createWebSession) to the browser; every sign-in route uses it. */
export function setSessionCookie(reply: FastifyReply, session: NewWebSession, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, session.token, { ...sessionCookieOptions(secure), expires: new Date(session.expiresAt) });
}
