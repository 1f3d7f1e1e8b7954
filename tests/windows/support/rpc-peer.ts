import { WebSocket } from 'ws';

/**
 * The Windows side of rpc.ts: connects to the test on 127.0.0.1:<argv[2]> (with the `ws` package,
 * bundled: Node 22's own WebSocket fails its handshake under wine) and answers each
 * `{id, method, args}` with `{id, result}` or `{id, error}`, one call after the other. The process
 * ends when the test closes the socket.
 */
export type Handlers = Record<string, (...args: never[]) => unknown>;

export function serveRpc(handlers: Handlers): void {
  const socket = new WebSocket(`ws://127.0.0.1:${process.argv[2]}`);
  let tail: Promise<unknown> = Promise.resolve();
  socket.on('message', (data) => {
    const { id, method, args } = JSON.parse(String(data)) as { id: number; method: string; args: never[] };
    tail = tail.then(async () => {
      try {
        const fn = handlers[method];
        if (!fn) throw new Error(`no method ${method}`);
        const result = await fn(...args);
        socket.send(JSON.stringify({ id, result: result ?? null }));
      } catch (err) {
        socket.send(JSON.stringify({ id, error: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) }));
      }
    });
  });
  socket.on('close', () => process.exit(0));
  socket.on('error', (err) => {
    process.stderr.write(`the test's socket failed: ${err.message}\n`);
    process.exit(3);
  });
}
