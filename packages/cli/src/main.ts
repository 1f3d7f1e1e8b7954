import { Argument, Command, Option } from 'commander';
import { readPassword } from './read-password.js';

const program = new Command()
  .name('fernhilfe')
  .description('Fernhilfe: self-hostable remote support')
  .showHelpAfterError();

program
  .command('start')
  .description('start the server (configuration from environment variables, see docs/configuration.md)')
  .action(async () => (await import('./commands/start.js')).start());

const user = program.command('user').description('manage technician and admin accounts (DATA_DIR or DATABASE_URL, as the server)');
const dbEnv = () => ({
  dataDir: process.env.DATA_DIR ?? './data',
  ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
  ...(process.env.PASSWORD_COST ? { passwordCost: process.env.PASSWORD_COST } : {}),
});
user
  .command('add')
  .description('add an account; the password is read from standard input')
  .argument('<login>', 'login name (3-64 characters: a-z 0-9 . _ -)')
  .addOption(new Option('--role <role>', 'account role').choices(['admin', 'technician']).default('technician'))
  .option('--name <displayName>', 'name customers see (default: the login)')
  .option('--company <company>', 'company customers see', '')
  .action(async (login: string, o: { role: 'admin' | 'technician'; name?: string; company: string }) => {
    const { userAdd } = await import('./commands/user.js');
    await userAdd({ login, role: o.role, displayName: o.name ?? login, company: o.company, ...dbEnv(), passwordInput: process.stdin });
  });
user
  .command('list')
  .description('list the accounts: login, role, two-factor, last sign-in, state, name')
  .action(async () => (await import('./commands/user.js')).userList(dbEnv()));
for (const [change, description] of [
  ['disable', 'disable an account: signed out everywhere at once, its live sessions end (the last active admin cannot be disabled)'],
  ['enable', 'enable a disabled account again'],
  ['reset-2fa', "switch an account's two-factor sign-in off (a lost phone)"],
] as const) {
  user
    .command(change)
    .description(description)
    .argument('<login>', 'login name')
    .action(async (login: string) => (await import('./commands/user.js')).userChange({ ...dbEnv(), login, change }));
}
user
  .command('role')
  .description("change an account's role (the last active admin cannot be demoted)")
  .argument('<login>', 'login name')
  .addArgument(new Argument('<role>', 'the new role').choices(['admin', 'technician']))
  .action(async (login: string, role: 'admin' | 'technician') => (await import('./commands/user.js')).userRole({ ...dbEnv(), login, role }));
user
  .command('reset-password')
  .description('print a one-time link that sets a new password (a whole URL with PUBLIC_URL, else the path)')
  .argument('<login>', 'login name')
  .action(async (login: string) => (await import('./commands/user.js')).userResetPassword({ ...dbEnv(), login, ...(process.env.PUBLIC_URL ? { publicUrl: process.env.PUBLIC_URL } : {}) }));

program
  .command('audit')
  .description('the audit log')
  .command('verify')
  .description('check the whole audit chain in the configured database (DATA_DIR / DATABASE_URL); exit code 1 names the first broken entry')
  .option('--head <file>', 'also check against signed heads kept outside the database (GET /api/admin/audit/head, DATA_DIR/audit-heads.jsonl): proves no entry up to them changed')
  .option('--key <publicKey>', 'the audit head public key (default: from the server key file, SERVER_KEY_FILE / SERVER_KEY)')
  .action(async (o: { head?: string; key?: string }) => {
    const { auditVerify } = await import('./commands/audit.js');
    const env = process.env;
    process.exit(
      await auditVerify({
        dataDir: env.DATA_DIR ?? './data',
        ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
        ...(env.SERVER_KEY_FILE ? { serverKeyFile: env.SERVER_KEY_FILE } : {}),
        ...(env.SERVER_KEY ? { serverKey: env.SERVER_KEY } : {}),
        ...(o.head ? { head: o.head } : {}),
        ...(o.key ? { key: o.key } : {}),
      }),
    );
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
  .command('verify')
  .description("check a downloaded QuickSupport program against its signature and the operator's public key (exit 0 = valid, 1 = NOT valid, 2/3 = could not check)")
  .argument('<file>', 'the downloaded program')
  .option('--sig <file>', 'the signature file (default: FILE.sig)')
  .option('--key <publicKey>', "the operator's public key (base64, hex or PEM), or a file holding it")
  .option('--server <url>', 'take the public key the server publishes, e.g. https://support.example.com')
  .option('--ca <file>', "Windows program: the CA certificate (PEM) that issued the operator's code-signing certificate (default: the CAs this system trusts)")
  .action(async (file: string, o: { sig?: string; key?: string; server?: string; ca?: string }) => {
    const { verifyCommand } = await import('./commands/verify.js');
    process.exitCode = await verifyCommand({ file, ...o, out: (line) => void process.stdout.write(`${line}\n`) });
  });

const agentKey = program.command('agent-key').description("the operator's Ed25519 key that signs the QuickSupport program");
agentKey
  .command('generate')
  .description('create a new signing key (PKCS#8 PEM, mode 0600) and print its public key')
  .requiredOption('--out <file>', 'where to write the signing key (never overwritten)')
  .action(async (o: { out: string }) => (await import('./commands/agent-key.js')).agentKeyGenerate(o.out, (l) => void process.stdout.write(`${l}\n`)));
agentKey
  .command('public')
  .description('print the public key of a signing key file')
  .argument('<file>', 'the signing key (PKCS#8 PEM or a hex seed)')
  .action(async (file: string) => (await import('./commands/agent-key.js')).agentKeyPublic(file, (l) => void process.stdout.write(`${l}\n`)));

const recording = program.command('recording').description('encrypted session recordings (docs/recording.md)');
recording
  .command('keygen')
  .description("make the operator's X25519 key pair: the public key goes to RECORDING_PUBLIC_KEY, the private key stays off the server")
  .option('--out <file>', 'write the private key to this file (mode 0600, never overwritten) instead of printing it')
  .action(async (o: { out?: string }) => (await import('./commands/recording.js')).recordingKeygen(o.out, (l) => void process.stdout.write(`${l}\n`)));
recording
  .command('decrypt')
  .description('decrypt a downloaded recording (.fhrec) into a playable WebM; a wrong key or an altered file writes nothing')
  .argument('<file>', 'the recording downloaded from the console (#/recordings)')
  .requiredOption('--key <keyfile>', 'the private key file from fernhilfe recording keygen --out')
  .option('-o, --out <file>', 'where to write the WebM (default: FILE with .webm)')
  .action(async (file: string, o: { key: string; out?: string }) =>
    (await import('./commands/recording.js')).recordingDecrypt({ file, key: o.key, out: o.out }, (l) => void process.stdout.write(`${l}\n`)),
  );

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`fernhilfe: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
