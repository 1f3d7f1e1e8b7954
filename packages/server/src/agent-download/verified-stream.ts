import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { mismatch } from './signature.js';
import { SignatureError } from './signing-keys.js';

/**
 * Passes `source` through while hashing it, and holds back the last chunk until the whole file is
 * hashed: if the bytes are not the verified ones (size and SHA-256), the stream fails instead of
 * ending, so the download is cut off short of its announced length and the receiver never gets a
 * complete file that was swapped on disk after it was verified. `onMismatch` hears why.
 */
export function verifiedStream(source: Readable, expected: { size: number; sha256: string }, onMismatch: (why: string) => void): Transform {
  const hash = createHash('sha256');
  let size = 0;
  let held: Buffer | undefined;
  const fail = (why: string) => {
    onMismatch(why);
    return new SignatureError('bad-signature', `the file is not the verified build: ${why}`);
  };
  const out = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      if (size > expected.size) return done(fail(`it has more than the ${expected.size} bytes that were verified`));
      const previous = held;
      held = chunk;
      done(null, previous);
    },
    flush(done) {
      const why = mismatch(expected, size, hash.digest('hex'));
      if (why) return done(fail(why));
      done(null, held);
    },
  });
  source.on('error', (err) => out.destroy(err));
  return source.pipe(out);
}
