import { FernhilfeError } from '@fernhilfe/protocol';

/**
 * A file to send is not a file, the downloads folder is not a folder, or no free name is left in it;
 * or the page that holds a file the customer sends is gone, did not answer a read, or answered wrongly.
 */
export class LocalFileError extends FernhilfeError<'not-a-file' | 'not-a-folder' | 'no-free-name' | 'page-gone' | 'page-silent' | 'page-misread'> {
  override readonly name = 'LocalFileError';
}
