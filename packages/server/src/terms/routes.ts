import type { FastifyInstance } from 'fastify';
import { termsBodySchema } from '@fernhilfe/protocol';
import { z } from 'zod';
import type { AuditLog } from '../audit/log.js';
import { HttpProblem, parseInput, problemHandler } from '../audit/http.js';
import type { AuthPreHandler } from '../auth/guards.js';
import type { TermsStore } from './store.js';

const versionParam = z.strictObject({ version: z.string().regex(/^[0-9a-f]{64}$/, 'a terms version is a SHA-256 in hex') });

export interface TermsRouteDeps {
  store: TermsStore;
  audit: AuditLog;
  requireAdmin: AuthPreHandler;
}

/**
 * GET/PUT /api/admin/terms (admins): the terms in force and every kept version; a PUT with a new
 * text makes a new version. GET /terms/:version (public): the text of any kept version, so whoever
 * holds a receipt can read what was accepted.
 */
export async function registerTermsRoutes(app: FastifyInstance, deps: TermsRouteDeps): Promise<void> {
  const { store, audit, requireAdmin } = deps;
  await app.register((scope, _opts, done) => {
    scope.setErrorHandler(problemHandler('terms'));
    scope.addHook('onSend', async (_request, reply) => void reply.header('cache-control', 'no-store'));

    scope.get('/api/admin/terms', { preHandler: requireAdmin }, async () => {
      const current = store.current();
      return { current: { version: current.version, text: { de: current.de, en: current.en } }, versions: await store.list() };
    });

    scope.put('/api/admin/terms', { preHandler: requireAdmin, bodyLimit: 256 * 1024 }, async (request) => {
      const texts = parseInput(termsBodySchema, request.body);
      const userId = request.webSession?.user.id ?? '';
      const { terms, changed } = await store.set(texts, userId);
      if (changed) await audit.append({ sessionId: null, event: 'terms-changed', actor: `admin:${userId}`, data: { version: terms.version } });
      return { version: terms.version, changed };
    });

    scope.get('/terms/:version', async (request) => {
      const { version } = parseInput(versionParam, request.params);
      const terms = await store.get(version);
      if (!terms) throw HttpProblem.notFound('This version of the terms');
      return { version: terms.version, text: { de: terms.de, en: terms.en } };
    });
    done();
  });
}
