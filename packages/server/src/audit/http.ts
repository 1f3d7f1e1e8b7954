import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { FernhilfeError } from '@fernhilfe/protocol';
import type { z } from 'zod';

export type ProblemCode = 'invalid' | 'not-found' | 'forbidden' | 'conflict' | 'too-large' | 'internal';

/** An answer other than 200 from the audit, report, receipt and settings routes: `{ error: { code, message } }`. */
export class HttpProblem extends FernhilfeError<ProblemCode> {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    code: ProblemCode,
    message: string,
  ) {
    super(code, message);
  }

  static invalid(message: string): HttpProblem {
    return new HttpProblem(400, 'invalid', message);
  }

  static notFound(what: string): HttpProblem {
    return new HttpProblem(404, 'not-found', `${what} was not found.`);
  }
}

/** `value` parsed by `schema`, or HttpProblem.invalid naming each bad field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw HttpProblem.invalid(result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
}

/** Error handler for a scope of these routes: HttpProblem as it is, Fastify's 4xx as `invalid`, else 500 (logged). */
export function problemHandler(what: string) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (error instanceof HttpProblem) return reply.code(error.status).send({ error: { code: error.reason, message: error.message } });
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: { code: status === 413 ? 'too-large' : 'invalid', message: `The request is not valid: ${error.message}` } });
    }
    request.log.error({ err: error }, `${what} route failed`);
    return reply.code(500).send({ error: { code: 'internal', message: 'Something went wrong on the server. Please try again.' } });
  };
}
