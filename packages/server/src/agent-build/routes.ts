import type { FastifyInstance } from 'fastify';
import type { AuthPreHandler } from '../auth/guards.js';
import type { ProgramBuilds } from './builds.js';

/** Where the CA of the server's own Authenticode certificate is published (fernhilfe verify fetches it). */
export const CODE_SIGNING_CA_URL = '/download/authenticode-ca.pem';

/**
 * GET /api/admin/programs (admins): which QuickSupport programs are offered, how far their builds
 * are, and the signing key. GET /download/authenticode-ca.pem (public, like the downloads): the CA
 * of the Windows program's code-signing certificate (the operator's AUTHENTICODE_CA_FILE, or the
 * server's own when it signed the program itself), so that `fernhilfe verify --server` can check that
 * signature; 404 otherwise.
 */
export function registerProgramRoutes(app: FastifyInstance, deps: { builds: ProgramBuilds; requireAdmin: AuthPreHandler }): void {
  app.get('/api/admin/programs', { preHandler: deps.requireAdmin }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return deps.builds.status();
  });
  app.get(CODE_SIGNING_CA_URL, async (_request, reply) => {
    const pem = await deps.builds.codeSigningCa();
    if (!pem) return reply.code(404).send({ error: { code: 'not_available', message: 'This server publishes no CA for its Windows program (it offers none, or AUTHENTICODE_CA_FILE is not set).' } });
    return reply.header('cache-control', 'no-cache').type('application/x-pem-file').send(pem);
  });
}
