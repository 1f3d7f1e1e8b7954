import { FernhilfeError } from '@fernhilfe/protocol';

/** A file to send is not a file, the downloads folder is not a folder, or no free name is left in it. */
export class LocalFileError extends FernhilfeError<'not-a-file' | 'not-a-folder' | 'no-free-name'> {
  override readonly name = 'LocalFileError';
}
