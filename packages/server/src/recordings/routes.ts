import type { FastifyInstance } from 'fastify';
import { finishRecordingBodySchema, startRecordingBodySchema } from '@fernhilfe/protocol';
import { z } from 'zod';
import { HttpProblem, parseInput, problemHandler } from '../audit/http.js';
import type { AuthGuards } from '../auth/guards.js';
import type { RecordingConfig } from './config.js';
import type { Recordings } from './recordings.js';
import { RECORDING_MAX_CHUNK_BYTES, RECORDING_MAX_CHUNKS } from './store.js';

const idParam = z.strictObject({ id: z.string().uuid('a recording id is a UUID') });
const chunkParams = z.strictObject({
  id: z.string().uuid('a recording id is a UUID'),
  index: z.coerce.number().int('a chunk index is a whole number').min(0).max(RECORDING_MAX_CHUNKS - 1),
});

/**
 * /api/recordings… (docs/recording.md): the policy (signed in), start, chunks and finish (the technician
 * of that session, with CSRF), the list, the download and the delete (admins).
 */
export async function registerRecordingRoutes(app: FastifyInstance, deps: { recordings: Recordings; config: RecordingConfig; guards: AuthGuards; retentionDays: number }): Promise<void> {
  const { recordings, config, guards, retentionDays } = deps;
  await app.register((scope, _opts, done) => {
    scope.setErrorHandler(problemHandler('recordings'));
    scope.addHook('onSend', async (_request, reply) => void reply.header('cache-control', 'no-store'));
    scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: RECORDING_MAX_CHUNK_BYTES }, (_req, body, next) => next(null, body));
    const userId = (request: { webSession?: { user: { id: string } } | null }): string => request.webSession?.user.id ?? '';

    scope.get('/api/recordings/policy', { preHandler: guards.requireUser }, async () => ({ policy: config.policy, publicKey: config.publicKey ?? null }));

    scope.post('/api/recordings', { preHandler: guards.requireCsrf }, async (request) => {
      const { customerId } = parseInput(startRecordingBodySchema, request.body);
      return recordings.start(userId(request), customerId);
    });

    scope.put('/api/recordings/:id/chunks/:index', { preHandler: guards.requireCsrf, bodyLimit: RECORDING_MAX_CHUNK_BYTES }, async (request, reply) => {
      const { id, index } = parseInput(chunkParams, request.params);
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) throw HttpProblem.invalid('body: send the chunk as application/octet-stream (not empty)');
      await recordings.chunk(userId(request), id, index, request.body);
      return reply.code(204).send();
    });

    scope.post('/api/recordings/:id/finish', { preHandler: guards.requireCsrf }, async (request) => {
      const { id } = parseInput(idParam, request.params);
      const body = parseInput(finishRecordingBodySchema, request.body);
      return recordings.finish(userId(request), id, body.chunks, body.stoppedBy);
    });

    scope.get('/api/recordings', { preHandler: guards.requireAdmin }, async () => ({ recordings: await recordings.list(), retentionDays: Math.max(0, retentionDays) }));

    // admins (CSRF: requireAdmin checks it for every method that changes something)
    scope.delete('/api/recordings/:id', { preHandler: guards.requireAdmin }, async (request) => {
      const { id } = parseInput(idParam, request.params);
      await recordings.remove(id, `admin:${userId(request)}`);
      return { deleted: true as const };
    });

    scope.get('/api/recordings/:id/file', { preHandler: guards.requireAdmin }, async (request, reply) => {
      const { id } = parseInput(idParam, request.params);
      const file = await recordings.download(id);
      reply.header('content-type', 'application/octet-stream');
      reply.header('content-length', String(file.size));
      reply.header('content-disposition', `attachment; filename="${file.name}"`);
      return reply.send(file.stream);
    });
    done();
  });
}
