import { AccountService, createDatabase, createLogger, loadConfig, migrateToLatest } from '@fernhilfe/server';
import { CommandError } from '../errors.js';
import { readPassword } from '../read-password.js';

export interface UserAddOptions {
  login: string;
  role: 'admin' | 'technician';
  /** Defaults to the login. */
  displayName?: string;
  company?: string;
  dataDir: string;
  databaseUrl?: string;
  /** scrypt's log2 N as PASSWORD_COST gives it (checked like the server's setting); default 17 */
  passwordCost?: string;
  /** The password is its first line. */
  passwordInput: NodeJS.ReadableStream;
}

/** `fernhilfe user add`: creates an account in the configured database (migrating it first). */
export async function userAdd(opts: UserAddOptions): Promise<void> {
  const password = await readPassword(opts.passwordInput);
  const database = await createDatabase({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl });
  try {
    await migrateToLatest(database.db);
    // Warnings and errors only, and on stderr: stdout carries the one result line.
    const accounts = new AccountService({ db: database.db, logger: createLogger('warn', process.stderr), ...(opts.passwordCost ? { passwordCost: loadConfig({ DATA_DIR: opts.dataDir, PASSWORD_COST: opts.passwordCost }).passwordCost } : {}) });
    const user = await accounts.createUser({
      login: opts.login,
      password,
      role: opts.role,
      displayName: opts.displayName ?? opts.login,
      company: opts.company ?? '',
    });
    process.stdout.write(`user ${user.login} (${user.role}) created\n`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CommandError('user', `cannot create user "${opts.login}": ${reason}`, { cause: error });
  } finally {
    await database.close();
  }
}
