import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AuthError } from './errors.js';
import { sendAuthError } from './guards.js';
import type { WebSession } from './web-sessions.js';

/** The session a guard put on the request. */
export function signedIn(request: FastifyRequest): WebSession {
  if (!request.webSession) throw AuthError.notAuthenticated(); // only if a route forgot its guard
  return request.webSession;
}

/** The body parsed by `schema`, or AuthError.invalidRequest naming each bad field. */
export function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const detail = result.error.issues
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
  throw AuthError.invalidRequest(detail);
}

/** Error handler for the auth routes: AuthError as it is, Fastify's 4xx as invalid_request, else 500. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AuthError) return sendAuthError(reply, error);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's own 4xx (malformed JSON, wrong content type, body too large).
    return reply.code(status).send({ error: { code: 'invalid_request', message: `The request is not valid: ${error.message}` } });
  }
  request.log.error({ err: error }, 'auth route failed');
  return reply.code(500).send({ error: { code: 'internal', message: 'Something went wrong on the server. Please try again.' } });
}
