import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpProblem, parseInput, problemHandler } from '../audit/http.js';
import type { AuthPreHandler } from '../auth/guards.js';
import type { LiveSessions } from './live-sessions.js';

const customerParam = z.strictObject({ id: z.string().regex(/^\d{9}$/, 'a customer ID has 9 digits') });

/** GET /api/admin/live-sessions and POST /api/admin/live-sessions/:id/end (admins; `:id` is the customer ID). */
export async function registerLiveSessionRoutes(app: FastifyInstance, deps: { live: LiveSessions; requireAdmin: AuthPreHandler }): Promise<void> {
  const { live, requireAdmin } = deps;
  await app.register((scope, _opts, done) => {
    scope.setErrorHandler(problemHandler('live sessions'));
    scope.addHook('onSend', async (_request, reply) => void reply.header('cache-control', 'no-store'));

    scope.get('/api/admin/live-sessions', { preHandler: requireAdmin }, async () => live.list());

    scope.post('/api/admin/live-sessions/:id/end', { preHandler: requireAdmin }, async (request, reply) => {
      const { id } = parseInput(customerParam, request.params);
      const userId = request.webSession?.user.id ?? '';
      if (!(await live.end(id, `admin:${userId}`))) throw HttpProblem.notFound('A running session with this customer ID');
      return reply.code(204).send();
    });
    done();
  });
}
