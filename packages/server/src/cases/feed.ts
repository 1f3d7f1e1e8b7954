import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CaseService } from './service.js';

const KEEPALIVE_MS = 25_000;

/**
 * Server-sent events of case changes for the consoles signed in on this node: `event: case` with
 * `{ caseId, kind }` (no names, no descriptions: the console reloads the list). With several nodes a
 * console hears the changes made on its own node; its queue also reloads every few seconds.
 */
export class CaseFeed {
  private readonly open_ = new Set<FastifyReply>();

  constructor(private readonly cases: CaseService) {}

  open(request: FastifyRequest, reply: FastifyReply): void {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'keep-alive' });
    res.write(': open\n\n');
    const off = this.cases.subscribe((change) => res.write(`event: case\ndata: ${JSON.stringify(change)}\n\n`));
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    this.open_.add(reply);
    request.raw.on('close', () => {
      off();
      clearInterval(keepalive);
      this.open_.delete(reply);
    });
  }

  /** Ends every stream (server shutdown). */
  close(): void {
    for (const reply of this.open_) reply.raw.end();
    this.open_.clear();
  }
}
