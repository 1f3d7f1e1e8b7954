import type { FastifyInstance } from 'fastify';
import { logoBodySchema } from '@fernhilfe/protocol';
import type { AuditLog } from '../audit/log.js';
import { HttpProblem, parseInput, problemHandler } from '../audit/http.js';
import type { AuthPreHandler } from '../auth/guards.js';
import { LogoError, type LogoStore } from './logo.js';

/** Nothing in the logo may run or load anything, even opened on its own. */
const LOGO_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

export interface LogoRouteDeps {
  store: LogoStore;
  audit: AuditLog;
  requireAdmin: AuthPreHandler;
}

/** PUT/DELETE /api/admin/branding/logo (admins), GET /branding/logo (public, 404 without a logo). */
export async function registerLogoRoutes(app: FastifyInstance, deps: LogoRouteDeps): Promise<void> {
  const { store, audit, requireAdmin } = deps;
  await app.register((scope, _opts, done) => {
    scope.setErrorHandler(problemHandler('logo'));

    scope.put('/api/admin/branding/logo', { preHandler: requireAdmin, bodyLimit: 512 * 1024 }, async (request) => {
      const { type, data } = parseInput(logoBodySchema, request.body);
      try {
        const logo = await store.set(type, Buffer.from(data, 'base64'));
        const userId = request.webSession?.user.id ?? '';
        await audit.append({ sessionId: null, event: 'logo-changed', actor: `admin:${userId}`, data: { type, size: logo.bytes.length, sha256: logo.sha256 } });
        return { type: logo.type, size: logo.bytes.length, sha256: logo.sha256 };
      } catch (err) {
        if (err instanceof LogoError) throw HttpProblem.invalid(`logo: ${err.message}`);
        throw err;
      }
    });

    scope.delete('/api/admin/branding/logo', { preHandler: requireAdmin }, async (request) => {
      await store.remove();
      const userId = request.webSession?.user.id ?? '';
      await audit.append({ sessionId: null, event: 'logo-changed', actor: `admin:${userId}`, data: { type: null, size: 0, sha256: null } });
      return { removed: true };
    });

    scope.get('/branding/logo', async (_request, reply) => {
      const logo = await store.get();
      reply.header('cache-control', 'no-cache');
      if (!logo) throw HttpProblem.notFound('The logo');
      return reply
        .header('content-type', logo.type)
        .header('content-security-policy', LOGO_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline; filename="logo"')
        .header('etag', `"${logo.sha256}"`)
        .send(logo.bytes);
    });
    done();
  });
}
