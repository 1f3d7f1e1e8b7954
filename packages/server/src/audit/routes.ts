import type { FastifyInstance } from 'fastify';
import { auditQuerySchema } from '@fernhilfe/protocol';
import type { AuthPreHandler } from '../auth/guards.js';
import type { SignedHead } from '@fernhilfe/protocol';
import { parseInput, problemHandler } from './http.js';
import type { AuditLog } from './log.js';
import type { AuditDb } from './schema.js';
import { verifyChain } from './verify.js';

/**
 * GET /api/admin/audit (newest first, paged by `before`), GET /api/admin/audit/verify and
 * GET /api/admin/audit/head (the head signed now, to keep outside the database): admins only.
 */
export async function registerAuditRoutes(
  app: FastifyInstance,
  deps: { db: AuditDb; audit: AuditLog; requireAdmin: AuthPreHandler; signHead: () => Promise<SignedHead> },
): Promise<void> {
  const { db, audit, requireAdmin } = deps;
  await app.register((scope, _opts, done) => {
    scope.setErrorHandler(problemHandler('audit'));
    scope.addHook('onSend', async (_request, reply) => void reply.header('cache-control', 'no-store'));
    scope.get('/api/admin/audit', { preHandler: requireAdmin }, async (request) => {
      const q = parseInput(auditQuerySchema, request.query);
      const entries = await audit.list({
        limit: q.limit ?? 200,
        ...(q.before !== undefined ? { beforeSeq: q.before } : {}),
        ...(q.session !== undefined ? { sessionId: q.session } : {}),
      });
      return { entries };
    });
    scope.get('/api/admin/audit/verify', { preHandler: requireAdmin }, async () => verifyChain(db));
    scope.get('/api/admin/audit/head', { preHandler: requireAdmin }, async (_request, reply) => {
      reply.header('content-disposition', 'attachment; filename="audit-head.json"');
      return deps.signHead();
    });
    done();
  });
}
