import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP load balancer in front of the nodes, as an operator's nginx or Caddy (`health_uri /healthz`):
 * it checks each node's `/healthz` every 100 ms, and gives each new connection (HTTP or WebSocket) to
 * the next healthy node in turn; a node that refuses the TCP connection is skipped. Endpoints only
 * know the balancer's address, so a node that is drained or dies is left for another one.
 * `pin(node)` sends every new connection to one node (to start a test's endpoints where it wants them).
 */
export interface Balancer {
  url: string;
  wsUrl: string;
  setNodes(urls: string[]): void;
  pin(url: string | undefined): void;
  close(): Promise<void>;
}

export async function startBalancer(initial: string[]): Promise<Balancer> {
  let nodes = [...initial];
  let pinned: string | undefined;
  const healthy = new Set<string>(nodes);
  const sockets = new Set<Socket>();
  let turn = 0;

  const check = async (url: string) => {
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) healthy.add(url);
    else healthy.delete(url);
  };
  const health = setInterval(() => void Promise.all(nodes.map(check)), 100);

  const candidates = () => {
    if (pinned) return [pinned];
    const up = nodes.filter((n) => healthy.has(n));
    const list = up.length > 0 ? up : nodes;
    turn = (turn + 1) % Math.max(1, list.length);
    return [...list.slice(turn), ...list.slice(0, turn)];
  };

  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.pause();
    const tryNext = (list: string[]) => {
      const target = list.shift();
      if (!target) return client.destroy();
      const { hostname, port } = new URL(target);
      const upstream = connect(Number(port), hostname);
      upstream.once('error', () => (upstream.destroy(), connected ? client.destroy() : tryNext(list)));
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        sockets.add(upstream);
        upstream.on('close', () => (sockets.delete(upstream), client.destroy()));
        client.on('close', () => upstream.destroy());
        client.on('error', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    tryNext(candidates());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    setNodes: (urls) => {
      nodes = [...urls];
      for (const n of nodes) healthy.add(n);
    },
    pin: (to) => void (pinned = to),
    close: async () => {
      clearInterval(health);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
