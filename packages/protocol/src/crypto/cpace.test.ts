// CPace tests against the published vectors of draft-irtf-cfrg-cpace-21, Appendix B.3
// (CPace-RISTR255_SHA512) and Appendix A.3.5, plus protocol runs and malformed-input tests.
import { ristretto255 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, lvCat, oCat, prependLen, splitLv, toHex, utf8 } from './bytes.js';
import {
  CPACE_DRAFT_REVISION, CPACE_MAX_AD_BYTES, CPaceError, type CPaceErrorReason, type CPaceInput,
  calculateGenerator, cpaceInitiator, cpaceResponder, generatorString, intermediateSessionKey,
  scalarMultVfy, sidOutput, transcriptIr, transcriptOc,
} from './cpace.js';
import { RISTR255 as V, RISTR255_INVALID_JSON_B64, RISTR255_JSON_B64, TRANSCRIPTS } from './cpace-vectors.js';

const x = fromHex;
const IDENTITY = new Uint8Array(32);
const inputA: CPaceInput = { prs: x(V.PRS), ci: x(V.CI), sid: x(V.sid), ad: x(V.ADa) };
const inputB: CPaceInput = { prs: x(V.PRS), ci: x(V.CI), sid: x(V.sid), ad: x(V.ADb) };

function expectCPaceError(fn: () => unknown, reason: CPaceErrorReason): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CPaceError);
    expect((e as CPaceError).reason).toBe(reason);
    return;
  }
  expect.fail(`expected CPaceError(${reason})`);
}

describe(`${CPACE_DRAFT_REVISION} B.3 vectors (CPace-RISTR255_SHA512)`, () => {
  it('vector data matches the draft JSON (B.3.9, B.3.11.1)', () => {
    const j = JSON.parse(atob(RISTR255_JSON_B64)) as Record<string, string>;
    const hex = (s: string | undefined): string => (s ?? '').toLowerCase();
    for (const k of ['PRS', 'CI', 'sid', 'g', 'ya', 'ADa', 'Ya', 'yb', 'ADb', 'Yb', 'K'] as const) {
      expect(V[k], k).toBe(hex(j[k]));
    }
    expect(V.iskIr).toBe(hex(j.ISK_IR));
    expect(V.iskSy).toBe(hex(j.ISK_SY));
    expect(V.sidOutputIr).toBe(hex(j.sid_output_ir));
    const inv = JSON.parse(atob(RISTR255_INVALID_JSON_B64)) as Record<string, Record<string, string> | string>;
    const valid = inv.Valid as Record<string, string>;
    expect([V.valid.s, V.valid.X, V.valid.result]).toEqual(
      [valid.s, valid.X, valid['G.scalar_mult_vfy(s,X)']].map(hex),
    );
    expect([V.invalid.Y_i1, V.invalid.Y_i2]).toEqual([inv['Invalid Y1'], inv['Invalid Y2']].map((s) => hex(s as string)));
  });

  it('B.3.1 generator string, its hash and the generator g', () => {
    expect(toHex(utf8('CPaceRistretto255'))).toBe(V.DSI);
    const genStr = generatorString(x(V.PRS), x(V.CI), x(V.sid));
    expect(toHex(genStr)).toBe(V.generatorString);
    // DSI and PRS plus the zero padding fill exactly the first 128-byte SHA-512 block.
    expect(splitLv(genStr)[2]).toEqual(new Uint8Array(V.zpadLength));
    expect(prependLen(x(V.DSI)).length + prependLen(x(V.PRS)).length + 1 + V.zpadLength).toBe(128);
    expect(toHex(sha512(genStr))).toBe(V.generatorHash);
    expect(toHex(calculateGenerator(x(V.PRS), x(V.CI), x(V.sid)))).toBe(V.g);
  });

  it('B.3.2 / B.3.3 Ya and Yb from ya and yb; MSGa / MSGb = lv_cat(Y, AD)', () => {
    const a = cpaceInitiator(inputA, x(V.ya));
    expect(toHex(a.message)).toBe(toHex(lvCat(x(V.Ya), x(V.ADa))));
    const b = cpaceResponder(inputB, a.message, x(V.yb));
    expect(toHex(b.message)).toBe(toHex(lvCat(x(V.Yb), x(V.ADb))));
  });

  it('B.3.4 K = scalar_mult_vfy(ya, Yb) = scalar_mult_vfy(yb, Ya)', () => {
    expect(toHex(scalarMultVfy(x(V.ya), x(V.Yb)))).toBe(V.K);
    expect(toHex(scalarMultVfy(x(V.yb), x(V.Ya)))).toBe(V.K);
  });

  it('B.3.5 transcript_ir, ISK input string and ISK_IR, for both roles', () => {
    expect(toHex(transcriptIr(x(V.Ya), x(V.ADa), x(V.Yb), x(V.ADb)))).toBe(V.transcriptIr);
    expect(toHex(utf8('CPaceRistretto255_ISK'))).toBe(V.dsiIsk);
    const iskInput = concatBytes(lvCat(x(V.dsiIsk), x(V.sid), x(V.K)), x(V.transcriptIr));
    expect(toHex(iskInput)).toBe(V.iskInputIr);
    expect(toHex(intermediateSessionKey(x(V.sid), x(V.K), x(V.transcriptIr)))).toBe(V.iskIr);

    const a = cpaceInitiator(inputA, x(V.ya));
    const b = cpaceResponder(inputB, a.message, x(V.yb));
    const done = a.finish(b.message);
    expect(toHex(b.isk)).toBe(V.iskIr);
    expect(toHex(done.isk)).toBe(V.iskIr);
    expect(toHex(b.transcript)).toBe(V.transcriptIr);
    expect(toHex(done.transcript)).toBe(V.transcriptIr);
    expect(toHex(b.peerAd)).toBe(V.ADa);
    expect(toHex(done.peerAd)).toBe(V.ADb);
  });

  it('B.3.6 transcript_oc and ISK_SY (helpers only), B.3.7 sid_output_ir', () => {
    const oc = transcriptOc(x(V.Ya), x(V.ADa), x(V.Yb), x(V.ADb));
    expect(toHex(oc)).toBe(V.transcriptOc);
    expect(toHex(oc)).toBe(toHex(oCat(lvCat(x(V.Ya), x(V.ADa)), lvCat(x(V.Yb), x(V.ADb)))));
    expect(toHex(intermediateSessionKey(x(V.sid), x(V.K), oc))).toBe(V.iskSy);
    expect(toHex(sidOutput(x(V.transcriptIr)))).toBe(V.sidOutputIr);
  });

  it('A.3.5 transcript_ir vectors', () => {
    for (const t of TRANSCRIPTS) {
      expect(toHex(transcriptIr(utf8(t.Ya), utf8(t.ADa), utf8(t.Yb), utf8(t.ADb)))).toBe(t.ir);
      expect(toHex(transcriptOc(utf8(t.Ya), utf8(t.ADa), utf8(t.Yb), utf8(t.ADb)))).toBe(t.oc);
    }
  });

  it('B.3.10 scalar_mult_vfy with valid inputs', () => {
    expect(toHex(scalarMultVfy(x(V.valid.s), x(V.valid.X)))).toBe(V.valid.result);
  });

  it('B.3.11 invalid inputs: scalar_mult_vfy returns G.I, messages abort', () => {
    const { s, Y_i1, Y_i2 } = V.invalid;
    expect(scalarMultVfy(x(s), x(Y_i1))).toEqual(IDENTITY);
    expect(scalarMultVfy(x(s), x(Y_i2))).toEqual(IDENTITY);
    for (const [y, reason] of [[Y_i1, 'invalid-point'], [Y_i2, 'identity']] as const) {
      const bad = lvCat(x(y), x(V.ADb));
      expectCPaceError(() => cpaceInitiator(inputA).finish(bad), reason);
      expectCPaceError(() => cpaceResponder(inputB, lvCat(x(y), x(V.ADa))), reason);
    }
  });
});

describe('protocol runs with random scalars', () => {
  const input = (prs: string, ad: string, sid = x(V.sid), ci = utf8('ci')): CPaceInput => ({
    prs: utf8(prs), ci, sid, ad: utf8(ad),
  });
  const run = (a: CPaceInput, b: CPaceInput) => {
    const ini = cpaceInitiator(a);
    const res = cpaceResponder(b, ini.message);
    return { res, fin: ini.finish(res.message) };
  };

  it('same inputs give equal 64-byte ISKs and transcripts', () => {
    const sid = randomBytes(16);
    const { res, fin } = run(input('123-456', 'initiator', sid), input('123-456', 'responder', sid));
    expect(fin.isk.length).toBe(64);
    expect(toHex(fin.isk)).toBe(toHex(res.isk));
    expect(toHex(fin.transcript)).toBe(toHex(res.transcript));
    expect(new TextDecoder().decode(fin.peerAd)).toBe('responder');
    expect(new TextDecoder().decode(res.peerAd)).toBe('initiator');
  });

  it('fresh scalars each run', () => {
    const a = cpaceInitiator(input('pw', 'A')).message;
    const b = cpaceInitiator(input('pw', 'A')).message;
    expect(toHex(a)).not.toBe(toHex(b));
  });

  it('different password, sid or ci give different ISKs', () => {
    const differ = (a: CPaceInput, b: CPaceInput): void => {
      const { res, fin } = run(a, b);
      expect(toHex(fin.isk)).not.toBe(toHex(res.isk));
    };
    differ(input('123-456', 'A'), input('123-457', 'B'));
    differ(input('pw', 'A', randomBytes(16)), input('pw', 'B', randomBytes(16)));
    differ(input('pw', 'A', x(V.sid), utf8('ci-1')), input('pw', 'B', x(V.sid), utf8('ci-2')));
  });

  it('associated data tampered in transit gives different ISKs', () => {
    const ini = cpaceInitiator(input('pw', 'A'));
    const [ya] = splitLv(ini.message);
    const res = cpaceResponder(input('pw', 'B'), lvCat(ya ?? new Uint8Array(0), utf8('X')));
    expect(toHex(ini.finish(res.message).isk)).not.toBe(toHex(res.isk));
  });

  it('finish() is single use', () => {
    const ini = cpaceInitiator(input('pw', 'A'));
    const res = cpaceResponder(input('pw', 'B'), ini.message);
    ini.finish(res.message);
    expect(() => ini.finish(res.message)).toThrow(/only once/);
  });

  it('rejects bad own inputs', () => {
    expect(() => cpaceInitiator(input('', 'A'))).toThrow(RangeError);
    expect(() => cpaceInitiator({ ...inputA, ad: new Uint8Array(CPACE_MAX_AD_BYTES + 1) })).toThrow(RangeError);
    expect(() => cpaceInitiator(inputA, new Uint8Array(31))).toThrow(RangeError);
    expect(() => cpaceInitiator(inputA, new Uint8Array(32))).toThrow(RangeError); // zero scalar
  });
});

describe('malformed peer messages throw CPaceError', () => {
  const good = cpaceResponder(inputB, cpaceInitiator(inputA).message).message;
  const [goodY] = splitLv(good);
  const validY = goodY ?? new Uint8Array(32);

  function randomInvalidEncoding(): Uint8Array {
    for (;;) {
      const candidate = randomBytes(32);
      try {
        ristretto255.Point.fromBytes(candidate);
      } catch {
        return candidate;
      }
    }
  }

  const cases: [string, Uint8Array, CPaceErrorReason][] = [
    ['empty', new Uint8Array(0), 'malformed'],
    ['truncated by one byte', good.slice(0, -1), 'malformed'],
    ['truncated element', good.slice(0, 20), 'malformed'],
    ['extended by one byte', concatBytes(good, Uint8Array.of(0)), 'malformed'],
    ['extra lv item', concatBytes(good, prependLen(utf8('x'))), 'malformed'],
    ['element only', prependLen(validY), 'malformed'],
    ['31-byte element', lvCat(validY.slice(0, 31), utf8('B')), 'malformed'],
    ['33-byte element', lvCat(concatBytes(validY, Uint8Array.of(0)), utf8('B')), 'malformed'],
    ['non-minimal AD length', concatBytes(prependLen(validY), Uint8Array.of(0x81, 0x00), utf8('B')), 'malformed'],
    ['AD too long', lvCat(validY, new Uint8Array(CPACE_MAX_AD_BYTES + 1)), 'malformed'],
    ['identity element', lvCat(IDENTITY, utf8('B')), 'identity'],
    ['non-canonical identity (p)', lvCat(x('ed' + 'ff'.repeat(30) + '7f'), utf8('B')), 'invalid-point'],
    ['all 0xff', lvCat(x('ff'.repeat(32)), utf8('B')), 'invalid-point'],
    ['negative (odd) s', lvCat(x(V.invalid.Y_i1), utf8('B')), 'invalid-point'],
    ['random invalid encoding', lvCat(randomInvalidEncoding(), utf8('B')), 'invalid-point'],
  ];

  it.each(cases)('%s', (_name, msg, reason) => {
    expectCPaceError(() => cpaceInitiator(inputA).finish(msg), reason);
    expectCPaceError(() => cpaceResponder(inputB, msg), reason);
  });

  it('non-Uint8Array message', () => {
    const notBytes = 'abc' as unknown as Uint8Array;
    expectCPaceError(() => cpaceInitiator(inputA).finish(notBytes), 'malformed');
    expectCPaceError(() => cpaceResponder(inputB, notBytes), 'malformed');
  });
});
