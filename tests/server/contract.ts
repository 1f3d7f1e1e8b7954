import { findApiRoute } from '@fernhilfe/protocol';

/**
 * Checks one reply of the server against its route's contract (packages/protocol/src/api/routes.ts):
 * a 2xx JSON reply must parse with the route's reply schema (strict: a field the schema lacks fails,
 * as does a wrong type); a route without a reply schema answers with no body. Throws naming the
 * route and the first problem. Paths outside the table (pages, downloads, CSV) are not checked.
 */
export function checkReply(method: string, path: string, status: number, body: unknown): void {
  if (status < 200 || status >= 300) return;
  const found = findApiRoute(method, path);
  if (!found) return;
  const { name, route } = found;
  if (route.reply === null) {
    if (body !== undefined) throw new Error(`${method} ${path} (${name}) answered a body, the contract says none`);
    return;
  }
  const parsed = route.reply.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${method} ${path} (${name}) broke its contract at ${issue?.path.join('.') || 'reply'}: ${issue?.message ?? 'invalid'} (${issue?.code ?? ''})`);
  }
}
