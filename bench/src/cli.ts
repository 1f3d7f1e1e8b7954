import { Command } from 'commander';
import { describeError } from '@fernhilfe/protocol';

/**
 * The entry of the two benches that print a table: `npm run bench:session` and `npm run bench:files`
 * (`node bench/dist/cli.js session|files [--smoke]`). The other benches are scripts of their own.
 */
const program = new Command()
  .name('bench')
  .description('Fernhilfe benchmarks that print a table (the others: npm run bench, bench:browser, bench:agent, bench:load, bench:abuse)')
  .showHelpAfterError();

program
  .command('session')
  .description('session setup, relay throughput and latency, server CPU and memory, through a real server')
  .option('--smoke', 'a quick run that only checks the benchmark works')
  .action(async (o: { smoke?: boolean }) => (await import('./session.js')).benchSession({ smoke: Boolean(o.smoke) }));

program
  .command('files')
  .description('file transfer throughput, CPU and memory, encrypted and not, through a real server')
  .option('--smoke', 'a quick run that only checks the benchmark works')
  .action(async (o: { smoke?: boolean }) => (await import('./files/bench.js')).benchFiles({ smoke: Boolean(o.smoke) }));

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`bench: ${describeError(err)}\n`);
  process.exit(1);
});
