import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** `max-age` of one year, as helmet sets it. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Strict CSP (no inline script or style anywhere), no framing, no referrer, and HSTS whenever the
 * console is served over HTTPS: TLS here, an https PUBLIC_URL (TLS ends at a proxy), or a request
 * that came as https through a trusted proxy (`X-Forwarded-Proto`, TRUST_PROXY; Fastify believes
 * the header only from such a proxy).
 */
export async function registerSecurityHeaders(app: FastifyInstance, https: boolean): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    hsts: false,
  });
  app.addHook('onSend', async (request, reply) => {
    if (https || request.protocol === 'https') reply.header('strict-transport-security', HSTS);
  });
}
