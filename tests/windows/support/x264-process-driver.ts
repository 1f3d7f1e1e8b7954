import { readFileSync, writeFileSync } from 'node:fs';
import { findEncoder } from '../../../packages/agent/src/encode/encoder-path.js';
import { X264Process } from '../../../packages/agent/src/encode/x264-process.js';

/**
 * Runs on the Windows Node under wine (bundled by encoder-wine.test.ts): the agent's own
 * X264Process, with the encoder found as the agent finds it ($FERNHILFE_ENCODER), encodes the
 * frames of the frames file (header flag bit 0: ask for an IDR) and writes what it got back in the
 * encoder's record format, plus a report. argv: width, height, frames file, output file, report file.
 */
async function main(): Promise<void> {
  const [width, height, input, output, report] = process.argv.slice(2) as [string, string, string, string, string];
  const [w, h] = [Number(width), Number(height)];
  const frames = readFileSync(input);
  const size = 4 + (w * h * 3) / 2;
  const p = new X264Process(findEncoder(), w, h, 'motion');
  const records: Buffer[] = [];
  const codecs = new Set<string>();
  for (let at = 0; at + size <= frames.length; at += size) {
    const f = await p.encode(frames.subarray(at + 4, at + size), (frames.readUInt32LE(at) & 1) === 1);
    codecs.add(f.codec);
    const head = Buffer.alloc(8);
    head.writeUInt32LE(f.data.length);
    head.writeUInt32LE(f.keyframe ? 1 : 0, 4);
    records.push(head, Buffer.from(f.data));
  }
  await p.close();
  writeFileSync(output, Buffer.concat(records));
  writeFileSync(report, JSON.stringify({ codecs: [...codecs], platform: process.platform }));
}
void main();
