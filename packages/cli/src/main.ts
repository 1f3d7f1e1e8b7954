import { Command, Option } from 'commander';
import { readPassword } from './read-password.js';

const program = new Command()
  .name('fernhilfe')
  .description('Fernhilfe: self-hostable remote support')
  .showHelpAfterError();

program
  .command('start')
  .description('start the server (configuration from environment variables, see docs/configuration.md)')
  .action(async () => (await import('./commands/start.js')).start());

const user = program.command('user').description('manage technician accounts');
user
  .command('add')
  .description('add an account; the password is read from standard input')
  .argument('<login>', 'login name (3-64 characters: a-z 0-9 . _ -)')
  .addOption(new Option('--role <role>', 'account role').choices(['admin', 'technician']).default('technician'))
  .option('--name <displayName>', 'name customers see (default: the login)')
  .option('--company <company>', 'company customers see', '')
  .action(async (login: string, o: { role: 'admin' | 'technician'; name?: string; company: string }) => {
    const { userAdd } = await import('./commands/user.js');
    await userAdd({
      login,
      role: o.role,
      displayName: o.name ?? login,
      company: o.company,
      dataDir: process.env.DATA_DIR ?? './data',
      ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
      passwordInput: process.stdin,
    });
  });

program
  .command('selftest')
  .description('run a whole customer + technician session through a running server; the password is read from standard input')
  .requiredOption('--server <url>', 'server URL, e.g. http://127.0.0.1:8080')
  .requiredOption('--user <login>', 'technician login')
  .action(async (o: { server: string; user: string }) => {
    const { runSelftest } = await import('./commands/selftest.js');
    const password = await readPassword(process.stdin);
    try {
      const r = await runSelftest({ server: o.server, user: o.user, password });
      process.stdout.write(`selftest ok: session set up in ${r.setupMs.toFixed(1)} ms (round trip ${r.roundTripMs.toFixed(1)} ms, whole test ${r.totalMs.toFixed(0)} ms)\n`);
      process.exit(0);
    } catch (err) {
      process.stdout.write(`selftest failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    }
  });

program
  .command('bench')
  .description('benchmarks (print a table)')
  .argument('<which>', 'session')
  .option('--smoke', 'a quick run that only checks the benchmark works')
  .action(async (which: string, o: { smoke?: boolean }) => {
    if (which !== 'session') throw new Error(`unknown benchmark "${which}" (known: session)`);
    const { benchSession } = await import('./bench/session.js');
    await benchSession({ smoke: Boolean(o.smoke) });
  });

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`fernhilfe: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
