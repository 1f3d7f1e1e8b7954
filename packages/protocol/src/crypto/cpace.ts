/**
 * CPace balanced PAKE, cipher suite CPACE-RISTR255-SHA512, initiator-responder setting.
 *
 * Implements draft-irtf-cfrg-cpace-21 (23 April 2026) exactly, and is checked against that
 * revision's published vectors (Appendix B.3, "CPace using group ristretto255 and hash SHA-512"):
 * - generator_string = lv_cat(DSI, PRS, zero_bytes(len_zpad), CI, sid) with
 *   len_zpad = max(0, s_in_bytes - len(prepend_len(PRS)) - len(prepend_len(DSI)) - 1)   (§8.1, A.2)
 * - g = element_derivation(SHA-512(generator_string))   (§8.3, RFC 9496 §4.3.4 one-way map)
 * - ISK = SHA-512(lv_cat(DSI || "_ISK", sid, K) || transcript_ir(Ya, ADa, Yb, ADb))   (§7.2)
 * - transcript_ir(Ya, ADa, Yb, ADb) = lv_cat(Ya, ADa) || lv_cat(Yb, ADb)   (§6.3, A.3.4)
 *
 * Wire messages: the draft only says that A sends "Ya and ADa" (§7.1). We encode
 * MSGa = lv_cat(Ya, ADa) and MSGb = lv_cat(Yb, ADb), so transcript_ir = MSGa || MSGb.
 * Peer messages are parsed strictly (canonical lengths, no trailing bytes, canonical
 * ristretto255 encoding, not the identity) and every failure is a CPaceError.
 *
 * Pure module: Uint8Array only, runs in browsers and Node.
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { FernhilfeError, InvariantError } from '../base-error.js';
import { concatBytes, lvCat, oCat, prependLen, splitLv, utf8, wipe } from './bytes.js';

/** The draft revision whose encodings this module implements. */
export const CPACE_DRAFT_REVISION = 'draft-irtf-cfrg-cpace-21';

const Point = ristretto255.Point;
type RistrettoPoint = InstanceType<typeof Point>;

/** G_Ristretto255.group_order (§8.3). */
const GROUP_ORDER: bigint = Point.Fn.ORDER;
const DSI = utf8('CPaceRistretto255'); // G_Ristretto255.DSI (§8.3)
const DSI_ISK = utf8('CPaceRistretto255_ISK'); // G.DSI || b"_ISK" (§7.2)
const SID_OUTPUT_DSI = utf8('CPaceSidOutput'); // §10.6
const S_IN_BYTES = 128; // H.s_in_bytes of SHA-512 (§6.2)
const POINT_BYTES = 32; // G_Ristretto255.field_size_bytes (§8.3)

/** Largest associated data (ADa / ADb) we send or accept, in bytes. */
export const CPACE_MAX_AD_BYTES = 1024;

export interface CPaceInput {
  prs: Uint8Array; // password-related string (the one-time password, UTF-8)
  ci: Uint8Array; // channel identifier
  sid: Uint8Array; // session id (16 random bytes chosen per attempt)
  ad: Uint8Array; // this party's associated data (role label)
}

export type CPaceErrorReason = 'invalid-point' | 'identity' | 'malformed';

/** A peer message was rejected; the CPace run MUST be aborted. */
export class CPaceError extends FernhilfeError<CPaceErrorReason> {
  override readonly name = 'CPaceError';
  constructor(reason: CPaceErrorReason, detail: string, options: { cause?: unknown } = {}) {
    super(reason, detail, { ...options, message: `CPace: ${detail}` });
  }
}

export interface CPaceResult {
  isk: Uint8Array; // intermediate session key, 64 bytes
  transcript: Uint8Array; // transcript_ir(Ya, ADa, Yb, ADb) = MSGa || MSGb
  peerAd: Uint8Array; // the peer's associated data, taken from its message
}

// ---- Group environment G_Ristretto255 (§8.3) ----

/** generator_string(G.DSI, PRS, CI, sid, H.s_in_bytes) (§8.1, Appendix A.2). */
export function generatorString(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): Uint8Array {
  const lenZpad = Math.max(0, S_IN_BYTES - prependLen(prs).length - prependLen(DSI).length - 1);
  return lvCat(DSI, prs, new Uint8Array(lenZpad), ci, sid);
}

function generatorPoint(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): RistrettoPoint {
  const genStr = generatorString(prs, ci, sid);
  const genStrHash = sha512(genStr); // H.hash(gen_str, 2 * field_size_bytes) = 64 bytes
  const derive = ristretto255_hasher.deriveToCurve; // RFC 9496 element derivation (one-way map)
  if (derive === undefined) throw new InvariantError('CPace: @noble/curves lacks ristretto255 element derivation');
  const g = derive.call(ristretto255_hasher, genStrHash);
  wipe(genStr);
  wipe(genStrHash);
  return g;
}

/** G.calculate_generator(H, PRS, CI, sid), returned as the 32-byte encoding of g. */
export function calculateGenerator(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): Uint8Array {
  return generatorPoint(prs, ci, sid).toBytes();
}

/**
 * G.sample_scalar(): uniform in [1, group_order - 1], the alternative §8.3 allows, realised as
 * in §10.7 by reducing 64 random bytes (oversampling by 256 bits) modulo the group order.
 */
function sampleScalar(): bigint {
  for (;;) {
    const wide = randomBytes(64);
    const y = bytesToNumberLE(wide) % GROUP_ORDER;
    wipe(wide);
    if (y !== 0n) return y;
  }
}

/** A caller-supplied scalar: 32 bytes little endian, canonical (< group order) and non-zero. */
function scalarFromBytes(bytes: Uint8Array): bigint {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) throw new RangeError('CPace: scalar must be 32 bytes');
  const y = bytesToNumberLE(bytes);
  if (y === 0n || y >= GROUP_ORDER) throw new RangeError('CPace: scalar out of range');
  return y;
}

/** Strict decoding of a received element: canonical ristretto255 encoding, not the identity. */
function decodeElement(bytes: Uint8Array): RistrettoPoint {
  let point: RistrettoPoint;
  try {
    point = Point.fromBytes(bytes);
  } catch (cause) {
    throw new CPaceError('invalid-point', 'not a canonical ristretto255 encoding', { cause });
  }
  if (point.is0()) throw new CPaceError('identity', 'received the identity element');
  return point;
}

/** K = y * decode(X), aborting (CPaceError) where the draft's scalar_mult_vfy yields G.I. */
function sharedSecret(y: bigint, peerElement: Uint8Array): Uint8Array {
  const k = decodeElement(peerElement).multiply(y);
  if (k.is0()) throw new CPaceError('identity', 'shared secret is the identity element');
  return k.toBytes();
}

/**
 * G.scalar_mult_vfy(y, X) exactly as in §8.3: encode(y * decode(X)), or G.I (32 zero bytes)
 * if X does not decode. `y` is a 32-byte little-endian scalar. Exposed for the draft's vectors.
 */
export function scalarMultVfy(y: Uint8Array, x: Uint8Array): Uint8Array {
  try {
    return sharedSecret(scalarFromBytes(y), x);
  } catch (e) {
    if (e instanceof CPaceError) return new Uint8Array(POINT_BYTES);
    throw e;
  }
}

// ---- Transcripts and keys (§6.3, §7.2, §10.6) ----

/** transcript_ir(Ya, ADa, Yb, ADb) = lv_cat(Ya, ADa) || lv_cat(Yb, ADb) (Appendix A.3.4). */
export function transcriptIr(ya: Uint8Array, adA: Uint8Array, yb: Uint8Array, adB: Uint8Array): Uint8Array {
  return concatBytes(lvCat(ya, adA), lvCat(yb, adB));
}

/** transcript_oc(Ya, ADa, Yb, ADb) = o_cat(lv_cat(Ya, ADa), lv_cat(Yb, ADb)) (Appendix A.3.6; symmetric setting, unused here). */
export function transcriptOc(ya: Uint8Array, adA: Uint8Array, yb: Uint8Array, adB: Uint8Array): Uint8Array {
  return oCat(lvCat(ya, adA), lvCat(yb, adB));
}

/** ISK = H.hash(lv_cat(G.DSI || b"_ISK", sid, K) || transcript) (§7.2). */
export function intermediateSessionKey(sid: Uint8Array, k: Uint8Array, transcript: Uint8Array): Uint8Array {
  const input = concatBytes(lvCat(DSI_ISK, sid, k), transcript);
  const isk = sha512(input);
  wipe(input);
  return isk;
}

/** sid_output = H.hash(b"CPaceSidOutput" || transcript) (§10.6), for runs without a pre-agreed sid. */
export function sidOutput(transcript: Uint8Array): Uint8Array {
  return sha512(concatBytes(SID_OUTPUT_DSI, transcript));
}

// ---- Messages ----

function checkInput(input: CPaceInput): void {
  for (const key of ['prs', 'ci', 'sid', 'ad'] as const) {
    if (!(input[key] instanceof Uint8Array)) throw new TypeError(`CPace: input.${key} must be a Uint8Array`);
  }
  if (input.prs.length === 0) throw new RangeError('CPace: empty password-related string');
  if (input.ad.length > CPACE_MAX_AD_BYTES) throw new RangeError('CPace: associated data too long');
}

/** Parses lv_cat(Y, AD) strictly; the element itself is validated by decodeElement. */
function parseMessage(msg: Uint8Array): { element: Uint8Array; ad: Uint8Array } {
  if (!(msg instanceof Uint8Array)) throw new CPaceError('malformed', 'message is not a byte array');
  let parts: Uint8Array[];
  try {
    parts = splitLv(msg);
  } catch (cause) {
    throw new CPaceError('malformed', 'bad length-value encoding', { cause });
  }
  const [element, ad] = parts;
  if (parts.length !== 2 || element === undefined || ad === undefined) {
    throw new CPaceError('malformed', 'message must hold exactly an element and associated data');
  }
  if (element.length !== POINT_BYTES) throw new CPaceError('malformed', 'element must be 32 bytes');
  if (ad.length > CPACE_MAX_AD_BYTES) throw new CPaceError('malformed', 'associated data too long');
  return { element, ad };
}

/** Computes this party's share Y = y * g and its message lv_cat(Y, AD) (§7.2). */
function ownShare(input: CPaceInput, randomScalar: Uint8Array | undefined): { y: bigint; message: Uint8Array } {
  checkInput(input);
  const y = randomScalar === undefined ? sampleScalar() : scalarFromBytes(randomScalar);
  const share = generatorPoint(input.prs, input.ci, input.sid).multiply(y).toBytes();
  return { y, message: lvCat(share, input.ad) };
}

/** Initiator (A): makes MSGa; finish(MSGb) -> { isk, transcript, peerAd }. */
export function cpaceInitiator(
  input: CPaceInput,
  randomScalar?: Uint8Array /* test only */,
): { message: Uint8Array; finish(responderMessage: Uint8Array): CPaceResult } {
  const { y, message } = ownShare(input, randomScalar);
  const sid = input.sid.slice();
  let used = false;
  return {
    message: message.slice(),
    finish(responderMessage: Uint8Array): CPaceResult {
      // The secret scalar MUST NOT be reused (§10.9): one finish per initiator, even a failed one.
      if (used) throw new InvariantError('CPace: finish() may be called only once');
      used = true;
      const peer = parseMessage(responderMessage);
      const k = sharedSecret(y, peer.element);
      const transcript = concatBytes(message, lvCat(peer.element, peer.ad));
      const isk = intermediateSessionKey(sid, k, transcript);
      wipe(k);
      return { isk, transcript, peerAd: peer.ad };
    },
  };
}

/** Responder (B): takes MSGa, returns MSGb and the ISK at once. */
export function cpaceResponder(
  input: CPaceInput,
  initiatorMessage: Uint8Array,
  randomScalar?: Uint8Array /* test only */,
): CPaceResult & { message: Uint8Array } {
  checkInput(input);
  const peer = parseMessage(initiatorMessage);
  decodeElement(peer.element); // reject a bad MSGa before doing any secret-dependent work
  const { y, message } = ownShare(input, randomScalar);
  const k = sharedSecret(y, peer.element);
  const transcript = concatBytes(lvCat(peer.element, peer.ad), message);
  const isk = intermediateSessionKey(input.sid, k, transcript);
  wipe(k);
  return { message, isk, transcript, peerAd: peer.ad };
}
