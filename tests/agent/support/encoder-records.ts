import path from 'node:path';
import { execProgramSync, spawnProgram, type Command } from '@fernhilfe/programs';
import { ROOT } from '../../support/processes.js';

/**
 * Test helpers for fernhilfe-encoder's pipe protocol (packages/agent/native/encoder/fernhilfe-encoder.c):
 * frames in as `u32le flags | I420`, records out as `u32le length | u32le flags | Annex B`.
 */
export interface EncoderRecord {
  keyframe: boolean;
  data: Buffer;
}

/** One input frame: the header (bit 0 forces an IDR) and the I420 bytes. */
export function frameInput(i420: Buffer, forceIdr = false): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(forceIdr ? 1 : 0);
  return Buffer.concat([head, i420]);
}

/**
 * One input frame with the ROWS flag (bit 2): the header, `u32le first, u32le count`, then rows
 * first..first+count of Y and the matching rows of U and V, cut from the whole picture `i420`.
 */
export function rowsFrameInput(i420: Buffer, width: number, height: number, first: number, count: number, flags = 4): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt32LE(flags, 0);
  head.writeUInt32LE(first, 4);
  head.writeUInt32LE(count, 8);
  const luma = width * height;
  const chroma = (plane: number) => i420.subarray(luma + plane * (luma / 4) + (first / 2) * (width / 2), luma + plane * (luma / 4) + ((first + count) / 2) * (width / 2));
  return Buffer.concat([head, i420.subarray(first * width, (first + count) * width), chroma(0), chroma(1)]);
}

/** The even-aligned band of luma rows in which two I420 pictures differ (Y, U or V); count 0 when they are equal. */
export function changedBand(a: Buffer, b: Buffer, width: number, height: number): { first: number; count: number } {
  const luma = width * height;
  const rowDiffers = (y: number): boolean => {
    if (!a.subarray(y * width, (y + 1) * width).equals(b.subarray(y * width, (y + 1) * width))) return true;
    const c = (y >> 1) * (width / 2);
    return [luma, luma + luma / 4].some((base) => !a.subarray(base + c, base + c + width / 2).equals(b.subarray(base + c, base + c + width / 2)));
  };
  let first = -1;
  let last = -1;
  for (let y = 0; y < height; y++) {
    if (!rowDiffers(y)) continue;
    if (first < 0) first = y;
    last = y;
  }
  if (first < 0) return { first: 0, count: 0 };
  first &= ~1;
  return { first, count: ((last | 1) + 1) - first };
}

/**
 * An I420 picture that changes from frame to frame: a gradient whose bright bar (24 rows) moves down by
 * `n` * 16 rows, with coloured chroma.
 */
export function testPicture(width: number, height: number, n: number): Buffer {
  const luma = width * height;
  const out = Buffer.alloc((luma * 3) / 2);
  for (let y = 0; y < height; y++) {
    const bar = Math.abs(y - ((n * 16) % height)) < 12;
    for (let x = 0; x < width; x++) out[y * width + x] = bar ? 235 : 16 + ((x * 200) / width) | 0;
  }
  out.fill(90, luma, luma + luma / 4);
  out.fill(170, luma + luma / 4);
  return out;
}

/** Splits the encoder's output into its records; throws on trailing bytes. */
export function parseRecords(out: Buffer): EncoderRecord[] {
  const records: EncoderRecord[] = [];
  let at = 0;
  while (at + 8 <= out.length) {
    const length = out.readUInt32LE(at);
    records.push({ keyframe: (out.readUInt32LE(at + 4) & 1) === 1, data: out.subarray(at + 8, at + 8 + length) });
    at += 8 + length;
  }
  if (at !== out.length) throw new Error(`the output ends inside a record (${out.length - at} bytes left over)`);
  return records;
}

/** Runs the encoder over `input` to the end of it: exit code, stdout, stderr. */
export function runEncoder(encoder: string, args: string[], input: Buffer): Promise<Ran> {
  return runPiped({ file: encoder }, args, input);
}

interface Ran {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function runPiped(command: Command, args: string[], input: Buffer): Promise<Ran> {
  const child = spawnProgram(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => out.push(b));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
  });
}

/** A tool's output; throws with its stderr when it failed. */
export async function tool(program: 'ffmpeg' | 'ffprobe', args: string[], input: Buffer): Promise<Buffer> {
  const ran = await runPiped(program, args, input);
  if (ran.code !== 0) throw new Error(`${program} failed (${ran.code}): ${ran.stderr}`);
  return ran.stdout;
}

/** ffmpeg (the tests' own, never the agent's) decodes an Annex B stream into I420 frames (full range, as coded: no conversion). */
export async function decodeH264(stream: Buffer, width: number, height: number): Promise<{ frames: Buffer[]; probe: string }> {
  const frames: Buffer[] = [];
  const decoded = await tool('ffmpeg', ['-v', 'error', '-f', 'h264', '-i', 'pipe:0', '-f', 'rawvideo', 'pipe:1'], stream);
  const size = (width * height * 3) / 2;
  for (let at = 0; at + size <= decoded.length; at += size) frames.push(decoded.subarray(at, at + size));
  const probe = (await tool('ffprobe', ['-v', 'error', '-f', 'h264', '-i', 'pipe:0', '-show_entries', 'stream=width,height,profile,color_range,color_space,color_transfer,color_primaries', '-of', 'compact'], stream)).toString('utf8');
  return { frames, probe };
}

/** Mean absolute difference of two equally long byte arrays (0 = identical). */
export function meanDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/**
 * The largest mean absolute difference of any 8x8 block of Y, U or V between two I420 pictures: a
 * small area decoded wrong (a skipped change) shows here, where the whole picture's mean hides it.
 */
export function worstBlockDiff(a: Buffer, b: Buffer, width: number, height: number): number {
  let worst = 0;
  const luma = width * height;
  for (const [offset, pw, ph] of [[0, width, height], [luma, width / 2, height / 2], [luma + luma / 4, width / 2, height / 2]] as const) {
    for (let by = 0; by < ph; by += 8) {
      for (let bx = 0; bx < pw; bx += 8) {
        let sum = 0;
        let n = 0;
        for (let y = by; y < Math.min(ph, by + 8); y++) {
          for (let x = bx; x < Math.min(pw, bx + 8); x++, n++) sum += Math.abs(a[offset + y * pw + x]! - b[offset + y * pw + x]!);
        }
        worst = Math.max(worst, sum / n);
      }
    }
  }
  return worst;
}

/** The path of the built encoder for `target` (npm run build:encoder's cache; built here when missing). */
export function builtEncoder(target: 'linux-x64' | 'win-x64'): string {
  const out = execProgramSync({ file: process.execPath }, [path.join(ROOT, 'packages/agent/build/encoder.mjs'), target], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return out.trim().split('\n').at(-1)!;
}
