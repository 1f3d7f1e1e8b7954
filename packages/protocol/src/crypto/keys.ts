import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { PROTOCOL_LABEL } from '../version.js';
import { concatBytes, lvCat, utf8 } from './bytes.js';

/**
 * The key schedule. Everything a session needs comes from the CPace intermediate session key (ISK)
 * through HKDF-SHA-512 with the session nonce as salt and one label per purpose, so that no key or
 * nonce is ever shared between directions, purposes or sessions.
 */
export interface DirectionKeys {
  key: Uint8Array; // AES-256-GCM key, 32 bytes
  iv: Uint8Array; // 12-byte nonce base, XORed with the sequence number
}

export interface SessionSecrets {
  /** technician -> customer */
  t2c: DirectionKeys;
  /** customer -> technician */
  c2t: DirectionKeys;
  confirmTechnician: Uint8Array;
  confirmCustomer: Uint8Array;
  /** 16 bytes bound into every frame's associated data */
  channelId: Uint8Array;
  /** for authenticating a reconnect (never the password) */
  resume: Uint8Array;
  /** short authentication string, 6 digits as "123 456", for comparing on the phone */
  sas: string;
}

export function derive(isk: Uint8Array, salt: Uint8Array, label: string, length: number): Uint8Array {
  return hkdf(sha512, isk, salt, utf8(`${PROTOCOL_LABEL} ${label}`), length);
}

export function deriveSessionSecrets(isk: Uint8Array, sid: Uint8Array): SessionSecrets {
  const d = (label: string, length: number) => derive(isk, sid, label, length);
  return {
    t2c: { key: d('key technician->customer', 32), iv: d('iv technician->customer', 12) },
    c2t: { key: d('key customer->technician', 32), iv: d('iv customer->technician', 12) },
    confirmTechnician: d('confirm technician', 32),
    confirmCustomer: d('confirm customer', 32),
    channelId: d('channel id', 16),
    resume: d('resume', 32),
    sas: formatSas(d('short authentication string', 4)),
  };
}

function formatSas(bytes: Uint8Array): string {
  const n = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) % 1_000_000;
  const s = n.toString().padStart(6, '0');
  return `${s.slice(0, 3)} ${s.slice(3)}`;
}

export type Role = 'technician' | 'customer';

/** Key confirmation tag: HMAC-SHA-512 over the CPace transcript, keyed per role, cut to 32 bytes. */
export function confirmationTag(secrets: SessionSecrets, role: Role, transcript: Uint8Array): Uint8Array {
  const key = role === 'technician' ? secrets.confirmTechnician : secrets.confirmCustomer;
  const mac = hmac(sha512, key, concatBytes(lvCat(utf8(`${PROTOCOL_LABEL} confirm ${role}`)), transcript));
  return mac.subarray(0, 32);
}

/** Overwrites every secret byte (the CryptoKeys built from them are non-extractable copies). */
export function wipeSecrets(secrets: SessionSecrets): void {
  for (const b of [secrets.t2c.key, secrets.t2c.iv, secrets.c2t.key, secrets.c2t.iv, secrets.confirmTechnician,
    secrets.confirmCustomer, secrets.resume]) {
    b.fill(0);
  }
}
