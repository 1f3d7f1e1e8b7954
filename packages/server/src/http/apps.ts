import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

const APPS_DIR = fileURLToPath(new URL('../../../../apps', import.meta.url));

/**
 * Serves the two single-page apps built by Vite: the customer's QuickSupport page at `/` and the
 * technician console at `/console/`. Unknown paths under an app get its index.html (client routing).
 */
export async function registerApps(app: FastifyInstance, appsDir = APPS_DIR): Promise<void> {
  const apps = [
    { name: 'console', prefix: '/console/', dir: path.join(appsDir, 'console', 'dist') },
    { name: 'quicksupport', prefix: '/', dir: path.join(appsDir, 'quicksupport', 'dist') },
  ];
  for (const a of apps) {
    if (!existsSync(path.join(a.dir, 'index.html'))) {
      app.log.warn({ app: a.name, dir: a.dir }, 'web app is not built; run `npm run build`');
      continue;
    }
    await app.register(async (scope) => {
      await scope.register(fastifyStatic, { root: a.dir, prefix: a.prefix, index: false, wildcard: false, decorateReply: false, maxAge: '1h' });
      const index = (_req: unknown, reply: FastifyReply) => sendIndex(reply, a.dir);
      scope.get(a.prefix, index);
      if (a.prefix !== '/') scope.get(a.prefix.replace(/\/$/, ''), (_req, reply) => reply.redirect(a.prefix));
    });
  }
}

function sendIndex(reply: FastifyReply, dir: string) {
  reply.header('cache-control', 'no-store');
  return reply.type('text/html; charset=utf-8').sendFile('index.html', dir);
}
