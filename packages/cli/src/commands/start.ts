import path from 'node:path';
import { loadConfig, SIGNING_KEY_FILE, startServer } from '@fernhilfe/server';

/** `fernhilfe start`: the server on one port until SIGINT/SIGTERM (SIGTERM drains first: its sessions move to other nodes). */
export async function start(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);
  server.log.info({ url: server.url, dataDir: config.databaseUrl ? undefined : config.dataDir, database: server.database.dialect }, 'Fernhilfe is running');
  process.stdout.write(`\nFernhilfe is running at ${server.url}\n`);
  const programs = await server.programs.status();
  if (programs.mode === 'auto' && programs.publicKey) {
    process.stdout.write(
      `\nThe QuickSupport programs (remote control) are built and signed here in the background (Settings shows how far).\n` +
        `Their signing key is in ${path.join(config.dataDir, SIGNING_KEY_FILE)}; customers check a download with its public key:\n  ${programs.publicKey} (key id ${programs.keyId})\n`,
    );
  }
  if (server.setupUrl) {
    // printed, never logged: the link holds a one-time secret
    process.stdout.write(`\nNo accounts yet. Create the first administrator here (the link works once):\n  ${server.setupUrl}\n\n`);
  }
  if (config.oidc) process.stdout.write(`\nSingle sign-on with ${config.oidc.issuer.href} (redirect URI ${config.oidc.redirectUri})${config.localAccounts ? '' : '; password sign-in is off: administrators come from the provider\'s role claim'}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.log.info({ signal }, 'shutting down');
    // SIGTERM (systemd, Kubernetes, podman stop): first hand the sessions to other nodes (docs/deployment.md)
    const drained = signal === 'SIGTERM' ? server.drain().catch((err: unknown) => server.log.error({ err }, 'draining failed')) : Promise.resolve();
    drained.then(() => server.close()).then(
      () => process.exit(0),
      (err: unknown) => {
        server.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
