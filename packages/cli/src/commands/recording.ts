import { randomUUID } from 'node:crypto';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RecordingFormatError, decodeRecordingKey, encodeRecordingKey, generateRecordingKeyPair, openRecording, recordingPublicKeyOf } from '@fernhilfe/protocol';
import { CommandError } from '../errors.js';

const PRIVATE_PREFIX = 'fernhilfe-recording-private-key:';

/**
 * `fernhilfe recording keygen [--out FILE]`: a new X25519 key pair for RECORDING_PUBLIC_KEY. With
 * --out the private key goes to FILE (mode 0600, never overwritten), else it is printed.
 */
export async function recordingKeygen(out: string | undefined, print: (line: string) => void): Promise<void> {
  const { publicKey, privateKey } = generateRecordingKeyPair();
  const text = `${PRIVATE_PREFIX}${encodeRecordingKey(privateKey)}\n`;
  privateKey.fill(0);
  if (out) {
    try {
      await writeFile(out, text, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new CommandError(code === 'EEXIST' ? 'exists' : 'unreadable', code === 'EEXIST' ? `${out} already exists; not overwriting a key` : `cannot write ${out} (${code ?? String(err)})`, { cause: err });
    }
    print(`private key written to ${out} (mode 0600: keep it off the server, keep a backup; without it no recording can be read)`);
  } else {
    print(`private key (keep it secret, off the server): ${text.trim()}`);
  }
  print(`public key: ${encodeRecordingKey(publicKey)}`);
  print('');
  print(`On the server:   RECORDING=allowed RECORDING_PUBLIC_KEY=${encodeRecordingKey(publicKey)}`);
}

async function readPrivateKey(file: string): Promise<Uint8Array> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CommandError('unreadable', `cannot read the key file ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  const body = text.trim().startsWith(PRIVATE_PREFIX) ? text.trim().slice(PRIVATE_PREFIX.length) : text.trim();
  try {
    const key = decodeRecordingKey(body);
    recordingPublicKeyOf(key);
    return key;
  } catch (err) {
    throw new CommandError('usage', `${file} is not a recording private key (made by fernhilfe recording keygen)`, { cause: err });
  }
}

/**
 * `fernhilfe recording decrypt FILE --key KEYFILE [-o OUT]`: the WebM inside. It is written to a
 * temporary name beside OUT and renamed only once every chunk checked out, so a wrong key or a
 * tampered or cut file leaves nothing under OUT.
 */
export async function recordingDecrypt(opts: { file: string; key: string; out?: string | undefined }, print: (line: string) => void): Promise<void> {
  const key = await readPrivateKey(opts.key);
  let file: Uint8Array;
  try {
    file = await readFile(opts.file);
  } catch (err) {
    throw new CommandError('unreadable', `cannot read ${opts.file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  const out = opts.out ?? opts.file.replace(/\.fhrec$/, '') + '.webm';
  const tmp = path.join(path.dirname(out), `.${path.basename(out)}.${randomUUID()}.part`);
  const handle = await open(tmp, 'wx', 0o600);
  let size = 0;
  try {
    await openRecording(key, file, async (plain) => {
      size += plain.length;
      await handle.write(plain);
    });
    await handle.sync();
    await handle.close();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    if (err instanceof RecordingFormatError) throw new CommandError('usage', `${opts.file}: ${err.detail}; nothing was written`, { cause: err });
    throw err;
  } finally {
    key.fill(0);
  }
  await rename(tmp, out);
  print(`decrypted ${opts.file} -> ${out} (${size} bytes, WebM)`);
}
