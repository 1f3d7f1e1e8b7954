import { FernhilfeError } from '@fernhilfe/protocol';

/** Redis cannot be reached, or what it holds for the cluster is not what the nodes wrote there. */
export class ClusterError extends FernhilfeError<'unreachable' | 'bad-ticket-key'> {
  override readonly name = 'ClusterError';
}
