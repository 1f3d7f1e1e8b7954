import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compareReleases, formatSignature, keyIdOf, parsePublicKey, parseSignature, parseSigningKey, publicKeyFromRaw, rawPublicKey, SIGNATURE_FORMAT, signAgent, SignatureError, verifyAgent } from './signature.js';

const key = () => generateKeyPairSync('ed25519').privateKey;
const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof SignatureError ? `${err.reason}: ${err.message}` : `other: ${String(err)}`;
  }
  return 'no error';
};

describe('agent signature format', () => {
  const privateKey = key();
  const bytes = randomBytes(4096);
  const release = { version: '1.2.3', built: '2026-12-01T10:00:00.000Z' };
  const text = formatSignature(signAgent(bytes, 'fernhilfe-quicksupport-linux-x64', privateKey, release));

  it('is a small text file that names its format, the file, the key and the signature', () => {
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(SIGNATURE_FORMAT);
    expect(lines.slice(1).map((l) => l.split(':')[0])).toEqual(['file', 'version', 'built', 'size', 'sha256', 'key-id', 'public-key', 'signature']);
    expect(text).toContain('file: fernhilfe-quicksupport-linux-x64\nversion: 1.2.3\nbuilt: 2026-12-01T10:00:00.000Z\nsize: 4096\n');
    expect(parseSignature(text).keyId).toBe(keyIdOf(privateKey));
  });

  it('verifies the signed bytes with the signer key and nothing else', () => {
    const sig = parseSignature(text);
    const trusted = publicKeyFromRaw(rawPublicKey(privateKey));
    expect(verifyAgent(bytes, sig, trusted)).toEqual({ ok: true, keyId: keyIdOf(privateKey), ...release });

    const flipped = Buffer.from(bytes);
    flipped[2000] = flipped[2000]! ^ 0x04;
    expect(verifyAgent(flipped, sig, trusted)).toMatchObject({ ok: false, reason: 'bad-signature', message: expect.stringContaining('content differs') });
    expect(verifyAgent(bytes.subarray(1), sig, trusted)).toMatchObject({ ok: false, reason: 'bad-signature', message: expect.stringContaining('4095 bytes') });
    expect(verifyAgent(bytes, sig, publicKeyFromRaw(rawPublicKey(key())))).toMatchObject({ ok: false, reason: 'wrong-key' });

    // a signature file that claims the trusted key but carries another key's signature
    const forged = parseSignature(formatSignature(signAgent(bytes, 'x', key(), release)));
    expect(verifyAgent(bytes, { ...forged, keyId: sig.keyId }, trusted)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('signs the version and build time: a signature file that claims a newer release does not verify', () => {
    const trusted = publicKeyFromRaw(rawPublicKey(privateKey));
    const newer = parseSignature(text.replace('version: 1.2.3', 'version: 1.3.0'));
    expect(verifyAgent(bytes, newer, trusted)).toMatchObject({ ok: false, reason: 'bad-signature', message: expect.stringContaining('changed after signing') });
    const later = parseSignature(text.replace('built: 2026-12-01T10:00:00.000Z', 'built: 2027-01-01T10:00:00.000Z'));
    expect(verifyAgent(bytes, later, trusted)).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(compareReleases({ version: '1.10.0', built: '2026-01-01T00:00:00.000Z' }, { version: '1.9.9', built: '2027-01-01T00:00:00.000Z' })).toBeGreaterThan(0);
    expect(compareReleases(release, { ...release, built: '2026-12-01T10:00:00.001Z' })).toBeLessThan(0);
    expect(compareReleases(release, { ...release })).toBe(0);
  });

  it.each([
    ['an empty file', ''],
    ['another format', text.replace(SIGNATURE_FORMAT, 'fernhilfe-signature-v3')],
    ['the old format without a version', text.replace(SIGNATURE_FORMAT, 'fernhilfe-signature-v1')],
    ['no version', text.replace('version: 1.2.3\n', '')],
    ['a version that is not x.y.z', text.replace('version: 1.2.3', 'version: 1.2.3-rc1')],
    ['lines in another order', text.replace('version: 1.2.3\nbuilt: 2026-12-01T10:00:00.000Z', 'built: 2026-12-01T10:00:00.000Z\nversion: 1.2.3')],
    ['a field twice', text.replace('size: 4096', 'size: 4096\nsize: 4097')],
    ['an unknown field', `${text}comment: hello\n`],
    ['a short signature', text.replace(/signature: (\S+)/, (_m, s: string) => `signature: ${Buffer.from(s, 'base64').subarray(1).toString('base64')}`)],
    ['a key id of another key', text.replace(/key-id: \S+/, 'key-id: 0000000000000000')],
    ['a path as the file name', text.replace('file: fernhilfe-quicksupport-linux-x64', 'file: ../../etc/passwd')],
  ])('refuses %s as malformed', (_name, bad) => {
    expect(reasonOf(() => parseSignature(bad))).toMatch(/^malformed: not a Fernhilfe signature file/);
  });

  it('reads the signing key as PKCS#8 PEM or as a hex seed, and the public key as PEM, hex or base64', () => {
    const pem = String(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const seed = privateKey.export({ type: 'pkcs8', format: 'der' }).subarray(16).toString('hex');
    expect(keyIdOf(parseSigningKey(pem))).toBe(keyIdOf(privateKey));
    expect(keyIdOf(parseSigningKey(`${seed}\n`))).toBe(keyIdOf(privateKey));
    const raw = Buffer.from(rawPublicKey(privateKey));
    const publicPem = String(publicKeyFromRaw(raw).export({ type: 'spki', format: 'pem' }));
    for (const form of [publicPem, raw.toString('hex'), raw.toString('base64')]) expect(keyIdOf(parsePublicKey(form))).toBe(keyIdOf(privateKey));

    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(reasonOf(() => parsePublicKey(String(rsa.publicKey.export({ type: 'spki', format: 'pem' }))))).toMatch(/^bad-key: .*rsa/);
    expect(reasonOf(() => parseSigningKey(String(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }))))).toMatch(/^bad-key: .*rsa/);
    expect(reasonOf(() => parsePublicKey('not a key'))).toMatch(/^bad-key/);
    expect(reasonOf(() => parseSigningKey('00'))).toMatch(/^bad-key/);
  });
});
