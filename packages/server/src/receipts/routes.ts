import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpProblem, parseInput, problemHandler } from '../audit/http.js';
import type { ReceiptService } from './receipt.js';

const tokenBody = z.strictObject({ token: z.string().regex(/^[0-9a-f]{64}$/, 'a receipt token is 64 hex digits') });

/**
 * The customer's receipt and its check, for people without an account (outside /api/):
 * - GET /receipt: the page (the token travels in the URL fragment, `#token=…`, never to a log);
 * - POST /receipt {token}: the signed receipt as JSON;
 * - GET /receipt/public-key: the server's Ed25519 receipt key;
 * - GET /verify: the page to paste or upload a receipt; POST /verify (the receipt JSON): genuine or not.
 */
export async function registerReceiptRoutes(app: FastifyInstance, deps: { receipts: ReceiptService }): Promise<void> {
  const { receipts } = deps;
  await app.register((scope, _opts, done) => {
    scope.setErrorHandler(problemHandler('receipt'));
    scope.addHook('onSend', async (_request, reply) => void reply.header('cache-control', 'no-store'));

    scope.get('/receipt', (_request, reply) => reply.sendFile('receipt.html'));
    scope.post('/receipt', async (request) => {
      const { token } = parseInput(tokenBody, request.body);
      const sessionId = await receipts.sessionForToken(token);
      const signed = sessionId === undefined ? undefined : await receipts.build(sessionId);
      if (!signed) throw HttpProblem.notFound('This receipt');
      return signed;
    });
    scope.get('/receipt/public-key', async () => ({ alg: 'Ed25519', publicKey: receipts.publicKey }));
    done();
  });

  await app.register((scope, _opts, done) => {
    // anything that is not JSON is simply not a receipt
    scope.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) return reply.code(status === 413 ? 413 : 400).send({ genuine: false, reason: 'not-a-receipt' });
      return problemHandler('verify')(error, request, reply);
    });
    scope.get('/verify', (_request, reply) => reply.header('cache-control', 'no-store').sendFile('verify.html'));
    scope.post('/verify', { bodyLimit: 1024 * 1024 }, async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return receipts.verify(request.body);
    });
    done();
  });
}
