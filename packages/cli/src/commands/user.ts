import type { Account } from '@fernhilfe/protocol';
import { AccountAdmin, AccountService, accountLinkPath, AuditLog, auditDb, createDatabase, createLogger, loadConfig, migrateToLatest, type Database } from '@fernhilfe/server';
import { CommandError } from '../errors.js';
import { readPassword } from '../read-password.js';

/** Where the accounts are: DATA_DIR (SQLite) or DATABASE_URL (PostgreSQL), as the server reads them. */
export interface UserDbOptions {
  dataDir: string;
  databaseUrl?: string;
  /** scrypt's log2 N as PASSWORD_COST gives it (checked like the server's setting); default 17 */
  passwordCost?: string;
}

export interface UserAddOptions extends UserDbOptions {
  login: string;
  role: 'admin' | 'technician';
  /** Defaults to the login. */
  displayName?: string;
  company?: string;
  /** The password is its first line. */
  passwordInput: NodeJS.ReadableStream;
}

type Out = (line: string) => void;
const stdout: Out = (line) => void process.stdout.write(`${line}\n`);

/** Opens the database (migrating it first) and runs `work` with the account services; the CLI is the audit actor. */
async function withAccounts<T>(opts: UserDbOptions, what: string, work: (s: { accounts: AccountService; admin: AccountAdmin }) => Promise<T>): Promise<T> {
  let database: Database | undefined;
  try {
    database = await createDatabase({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl });
    await migrateToLatest(database.db);
    // Warnings and errors only, and on stderr: stdout carries the result.
    const logger = createLogger('warn', process.stderr);
    const passwordCost = opts.passwordCost ? loadConfig({ DATA_DIR: opts.dataDir, PASSWORD_COST: opts.passwordCost }).passwordCost : undefined;
    const accounts = new AccountService({ db: database.db, logger, ...(passwordCost ? { passwordCost } : {}) });
    const audit = new AuditLog({ db: auditDb(database.db), dialect: database.dialect, logger });
    // a running server notices a disabled account's connections within seconds (docs/accounts.md)
    const admin = new AccountAdmin({ db: database.db, dialect: database.dialect, accounts, audit, logger });
    return await work({ accounts, admin });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CommandError('user', `cannot ${what}: ${reason}`, { cause: error });
  } finally {
    await database?.close();
  }
}

/** `fernhilfe user add`: creates an account in the configured database (migrating it first). */
export async function userAdd(opts: UserAddOptions): Promise<void> {
  const password = await readPassword(opts.passwordInput);
  await withAccounts(opts, `create user "${opts.login}"`, async ({ accounts }) => {
    const user = await accounts.createUser({ login: opts.login, password, role: opts.role, displayName: opts.displayName ?? opts.login, company: opts.company ?? '' });
    stdout(`user ${user.login} (${user.role}) created`);
  });
}

/** `fernhilfe user list`: one line per account (tab-separated, with a header). */
export async function userList(opts: UserDbOptions, out: Out = stdout): Promise<void> {
  await withAccounts(opts, 'list users', async ({ admin }) => {
    out(['login', 'role', '2fa', 'last sign-in', 'state', 'name'].join('\t'));
    for (const a of await admin.list()) out([a.login, a.role, a.totpEnabled ? 'on' : 'off', a.lastSignInAt ? new Date(a.lastSignInAt).toISOString() : 'never', stateOf(a), a.displayName].join('\t'));
  });
}

export type UserChange = 'disable' | 'enable' | 'reset-2fa';

/** `fernhilfe user disable|enable|reset-2fa <login>` */
export async function userChange(opts: UserDbOptions & { login: string; change: UserChange }, out: Out = stdout): Promise<void> {
  await withAccounts(opts, `${opts.change} user "${opts.login}"`, async ({ admin }) => {
    const { id } = await admin.byLogin(opts.login);
    const run = { disable: () => admin.disable(id, 'cli'), enable: () => admin.enable(id, 'cli'), 'reset-2fa': () => admin.resetTotp(id, 'cli') } satisfies Record<UserChange, () => Promise<Account>>;
    const account = await run[opts.change]();
    const done = { disable: 'disabled (signed out everywhere)', enable: 'enabled', 'reset-2fa': 'has two-factor sign-in switched off' } satisfies Record<UserChange, string>;
    out(`user ${account.login} ${done[opts.change]}`);
  });
}

/** `fernhilfe user role <login> <role>` */
export async function userRole(opts: UserDbOptions & { login: string; role: 'admin' | 'technician' }, out: Out = stdout): Promise<void> {
  await withAccounts(opts, `change the role of "${opts.login}"`, async ({ admin }) => {
    const account = await admin.setRole((await admin.byLogin(opts.login)).id, opts.role, 'cli');
    out(`user ${account.login} is now ${account.role}`);
  });
}

/** `fernhilfe user reset-password <login>`: prints a one-time link (a full URL with PUBLIC_URL, else the path). */
export async function userResetPassword(opts: UserDbOptions & { login: string; publicUrl?: string }, out: Out = stdout): Promise<void> {
  await withAccounts(opts, `reset the password of "${opts.login}"`, async ({ admin }) => {
    const link = await admin.resetPassword((await admin.byLogin(opts.login)).id, 'cli');
    const path = accountLinkPath(link.token);
    out(`one-time link for ${link.account.login} (valid until ${new Date(link.expiresAt).toISOString()}):`);
    out(opts.publicUrl ? `${opts.publicUrl.replace(/\/$/, '')}${path}` : `${path}   (put the server's address in front; set PUBLIC_URL to get the whole link)`);
  });
}

function stateOf(a: Account): string {
  if (a.disabledAt !== null) return 'disabled';
  return a.pending ? 'invited' : 'active';
}
