import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assignCaseBodySchema, caseIdSchema, closeCaseBodySchema, createCaseBodySchema } from '@fernhilfe/protocol';
import { z } from 'zod';
import { HttpProblem, parseInput, problemHandler } from '../audit/http.js';
import type { AuthGuards } from '../auth/guards.js';
import type { CaseFailure, CaseService } from './service.js';
import { CaseFeed } from './feed.js';

const caseParam = z.strictObject({ id: caseIdSchema });

const failures: Record<CaseFailure, () => HttpProblem> = {
  'not-found': () => HttpProblem.notFound('The case'),
  conflict: () => new HttpProblem(409, 'conflict', 'The case cannot be changed so: it is no longer waiting, or the customer is not there.'),
};
const orFail = <T>(r: T | CaseFailure): T => {
  if (typeof r === 'string' && r in failures) throw failures[r as CaseFailure]();
  return r as T;
};

/**
 * The queue's routes (docs/cases.md), for signed-in technicians and admins; state changes need the
 * CSRF token. GET /api/cases/events is a server-sent event stream of changes (the arrival bell).
 */
export async function registerCaseRoutes(app: FastifyInstance, deps: { cases: CaseService; guards: AuthGuards }): Promise<CaseFeed> {
  const { cases, guards } = deps;
  const feed = new CaseFeed(cases);
  const userOf = (request: FastifyRequest) => request.webSession?.user.id ?? '';
  await app.register((scope, _opts, done) => {
    scope.setErrorHandler(problemHandler('cases'));
    scope.addHook('onSend', async (_request, reply) => void reply.header('cache-control', 'no-store'));

    scope.get('/api/cases', { preHandler: guards.requireUser }, async () => cases.list());

    scope.get('/api/cases/events', { preHandler: guards.requireUser }, async (request, reply) => feed.open(request, reply));

    scope.post('/api/cases', { preHandler: guards.requireCsrf }, async (request) => {
      const body = parseInput(createCaseBodySchema, request.body);
      const created = await cases.create(body, userOf(request));
      if (!created) throw new HttpProblem(409, 'conflict', 'A case with this ID exists already; please try again.');
      return created;
    });

    scope.post('/api/cases/:id/assign', { preHandler: guards.requireCsrf }, async (request) => {
      const { id } = parseInput(caseParam, request.params);
      const { userId } = parseInput(assignCaseBodySchema, request.body);
      return orFail(await cases.assign(id, userId, userOf(request)));
    });

    scope.post('/api/cases/:id/take', { preHandler: guards.requireCsrf }, async (request) => {
      const { id } = parseInput(caseParam, request.params);
      return { customerId: orFail(await cases.take(id, userOf(request))) };
    });

    scope.post('/api/cases/:id/close', { preHandler: guards.requireCsrf }, async (request) => {
      const { id } = parseInput(caseParam, request.params);
      const { note } = parseInput(closeCaseBodySchema, request.body);
      return orFail(await cases.close(id, note, userOf(request)));
    });
    done();
  });
  return feed;
}
