// the single executable's first import, as in the agent's main.ts
import '../../../packages/agent/src/runtime/remove-after.js';
import { readdirSync } from 'node:fs';
import { findEncoder } from '../../../packages/agent/src/encode/encoder-path.js';
import { X264Process } from '../../../packages/agent/src/encode/x264-process.js';

/**
 * The entry of a small single executable (runtime-sea.test.ts) that carries the encoder as the
 * asset 'encoder': finds it as the agent does (no FERNHILFE_ENCODER), encodes one frame, and prints
 * where it ran from and what /dev/shm holds while it runs.
 */
const exe = findEncoder({});
const p = new X264Process(exe, 64, 48, 'motion');
void p.encode(Buffer.alloc((64 * 48 * 3) / 2, 100)).then(async (f) => {
  process.stdout.write(JSON.stringify({ exe, keyframe: f.keyframe, codec: f.codec, shm: readdirSync('/dev/shm').filter((n) => n.includes('fernhilfe')) }) + '\n');
  await p.close();
});
