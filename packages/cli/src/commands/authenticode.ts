import { closeSync, openSync, readSync } from 'node:fs';
import { spawnProgramSync } from '@fernhilfe/programs';

/** Whether `file` is a Windows program (PE): "MZ", and "PE\0\0" where the DOS header points. */
export function isPeFile(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(0x40);
    if (readSync(fd, head, 0, head.length, 0) < head.length || head.toString('latin1', 0, 2) !== 'MZ') return false;
    const sig = Buffer.alloc(4);
    return readSync(fd, sig, 0, 4, head.readUInt32LE(0x3c)) === 4 && sig.toString('latin1') === 'PE\0\0';
  } finally {
    closeSync(fd);
  }
}

export type AuthenticodeResult =
  | { ok: true; signer: string; issuer: string }
  | { ok: false; reason: 'missing' | 'changed' | 'untrusted' | 'invalid'; message: string }
  | { ok: false; reason: 'cannot-check'; message: string };

/**
 * Checks a PE file's Authenticode signature with `osslsigncode verify`: the file's digest, and the
 * signer's certificate up to the CA in `caFile` (the operator's own CA) or, without it, one the
 * system trusts (/etc/ssl/certs). The output of osslsigncode is turned into one plain sentence.
 */
export function verifyAuthenticode(file: string, caFile?: string): AuthenticodeResult {
  let run: ReturnType<typeof spawnProgramSync>;
  try {
    run = spawnProgramSync('osslsigncode', ['verify', '-in', file, ...(caFile ? ['-CAfile', caFile] : [])]);
  } catch (err) {
    return { ok: false, reason: 'cannot-check', message: `osslsigncode, which checks Windows signatures, is not installed (Debian: apt install osslsigncode): ${err instanceof Error ? err.message : String(err)}` };
  }
  if (run.error) return { ok: false, reason: 'cannot-check', message: `osslsigncode, which checks Windows signatures, could not be started (${(run.error as NodeJS.ErrnoException).code ?? run.error.message}; Debian: apt install osslsigncode)` };
  const out = `${run.stdout}\n${run.stderr}`;
  const field = (name: string) => new RegExp(`${name}\\s*:\\s*(.+)`).exec(out)?.[1]?.trim() ?? '?';
  if (run.status === 0 && /Signature verification: ok/.test(out)) return { ok: true, signer: field('Subject'), issuer: field('Issuer') };
  if (/No signature found/.test(out)) return { ok: false, reason: 'missing', message: 'it carries no Authenticode signature' };
  if (/MISMATCH/.test(out)) return { ok: false, reason: 'changed', message: 'the file was changed after it was signed (its digest does not match the one signed)' };
  if (/unable to get local issuer certificate|certificate verify error|self.signed|unable to verify/i.test(out)) {
    return {
      ok: false,
      reason: 'untrusted',
      message: `it is signed by ${field('Subject')}, whose certificate ${caFile ? `was not issued by the CA in ${caFile}` : 'no certificate authority this system trusts vouches for (give your operator\'s CA with --ca FILE)'}`,
    };
  }
  return { ok: false, reason: 'invalid', message: `osslsigncode does not accept it: ${out.split('\n').filter((l) => /error|fail/i.test(l)).slice(0, 3).join('; ') || `exit ${run.status}`}` };
}
