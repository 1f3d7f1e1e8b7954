import type { FastifyInstance, FastifyRequest } from 'fastify';
import { reportQuerySchema } from '@fernhilfe/protocol';
import { z } from 'zod';
import type { AuditLog } from '../audit/log.js';
import { HttpProblem, parseInput, problemHandler } from '../audit/http.js';
import type { AuditDb } from '../audit/schema.js';
import type { AuthGuards } from '../auth/guards.js';
import { reportCsv } from './csv.js';
import { reportRows, type ReportFilter } from './query.js';

const idParam = z.strictObject({ id: z.string().min(1).max(100) });

export interface ReportRouteDeps {
  db: AuditDb;
  audit: AuditLog;
  guards: AuthGuards;
}

/**
 * The connection report (docs/audit.md). Every signed-in user may ask; a technician sees only the
 * sessions they connected to (asking for another technician's is refused), an admin sees all.
 * - GET /api/reports/sessions?from&to&technician: rows as JSON
 * - GET /api/reports/sessions.csv?…: the same rows as CSV, for billing
 * - GET /api/reports/sessions/:id: one session with its audit entries
 * - GET /api/admin/technicians: the accounts to filter by (admins)
 */
export async function registerReportRoutes(app: FastifyInstance, deps: ReportRouteDeps): Promise<void> {
  const { db, audit, guards } = deps;
  await app.register((scope, _opts, done) => {
    scope.setErrorHandler(problemHandler('report'));
    scope.addHook('onSend', async (_request, reply) => void reply.header('cache-control', 'no-store'));

    scope.get('/api/reports/sessions', { preHandler: guards.requireUser }, async (request) => ({ sessions: await reportRows(db, audit, filterFor(request)) }));

    scope.get('/api/reports/sessions.csv', { preHandler: guards.requireUser }, async (request, reply) => {
      const csv = reportCsv(await reportRows(db, audit, filterFor(request)));
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="fernhilfe-sessions.csv"').send(csv);
    });

    scope.get('/api/reports/sessions/:id', { preHandler: guards.requireUser }, async (request) => {
      const { id } = parseInput(idParam, request.params);
      const user = request.webSession!.user;
      const row = await db.selectFrom('support_sessions').select(['id', 'technician_user_id', 'created_at']).where('id', '=', id).executeTakeFirst();
      // another technician's session answers exactly like one that does not exist
      if (!row || (user.role !== 'admin' && row.technician_user_id !== user.id)) throw HttpProblem.notFound('This session');
      const [session] = await reportRows(db, audit, { from: row.created_at, to: row.created_at + 1, ...(row.technician_user_id ? { technicianUserId: row.technician_user_id } : {}) }).then((rows) =>
        rows.filter((r) => r.sessionId === id),
      );
      return { session, events: await audit.forSession(id) };
    });

    scope.get('/api/admin/technicians', { preHandler: guards.requireAdmin }, async () => {
      const users = await db.selectFrom('users').select(['id', 'login', 'display_name', 'role']).orderBy('login').execute();
      return { users: users.map((u) => ({ id: u.id, login: u.login, displayName: u.display_name, role: u.role })) };
    });
    done();
  });
}

/** The filter from the query string; a technician is held to their own sessions. */
function filterFor(request: FastifyRequest): ReportFilter {
  const q = parseInput(reportQuerySchema, request.query);
  const user = request.webSession!.user;
  if (user.role !== 'admin' && q.technician !== undefined && q.technician !== user.id) {
    throw new HttpProblem(403, 'forbidden', 'Technicians can only see their own sessions.');
  }
  const technicianUserId = user.role === 'admin' ? q.technician : user.id;
  return { ...(q.from !== undefined ? { from: q.from } : {}), ...(q.to !== undefined ? { to: q.to } : {}), ...(technicianUserId !== undefined ? { technicianUserId } : {}) };
}
