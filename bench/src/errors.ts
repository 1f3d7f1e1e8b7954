import { FernhilfeError } from '@fernhilfe/protocol';

/**
 * Why a bench could not finish: a process it started failed or ended (`process`), something did not
 * happen in time (`timeout`), the machine or the arguments do not allow the run (`setup`), or a
 * run produced a result that is no measurement, e.g. a wrong hash or sessions that ended early (`result`).
 */
export type BenchFailure = 'process' | 'timeout' | 'setup' | 'result';

export class BenchError extends FernhilfeError<BenchFailure> {
  override readonly name = 'BenchError';
}
