import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execProgram } from '@fernhilfe/programs';
import { auditDb } from '@fernhilfe/server';
import type { Rgb } from '@fernhilfe/testkit';
import type { TestServer } from '../../support/server.js';
import { runCli } from '../../support/processes.js';

/**
 * What the recording e2e test looks at on the server's side and in the decrypted file
 * (docs/recording.md): the rows, the files under DATA_DIR/recordings, the audit entries, and the
 * WebM as ffprobe and ffmpeg read it.
 */

/** The WebM/EBML magic number: must never appear in what the server stores. */
export const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);

export const recordingsDir = (srv: TestServer): string => path.join(srv.dataDir, 'recordings');

/** Every file (and chunk part) under DATA_DIR/recordings, relative names. */
export function storedFiles(srv: TestServer): string[] {
  const dir = recordingsDir(srv);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

export async function recordingRows(srv: TestServer) {
  return srv.database.db.selectFrom('recordings').selectAll().orderBy('started_at').execute();
}

export async function auditEntries(srv: TestServer, events: string[]): Promise<Array<{ event: string; data: Record<string, unknown> }>> {
  const rows = await auditDb(srv.database.db).selectFrom('audit_log').select(['event', 'data', 'seq']).where('event', 'in', events).orderBy('seq').execute();
  return rows.map((r) => ({ event: r.event, data: JSON.parse(r.data) as Record<string, unknown> }));
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** `fernhilfe recording decrypt FILE --key KEY -o OUT`, the operator's command. */
export async function decryptWithCli(file: string, keyFile: string, out: string): Promise<Buffer> {
  const ran = await runCli(['recording', 'decrypt', file, '--key', keyFile, '-o', out]);
  if (ran.code !== 0) throw new Error(`fernhilfe recording decrypt failed (${ran.code}): ${ran.stderr}`);
  return readFileSync(out);
}

export interface Probe {
  codec: string;
  width: number;
  height: number;
  /** seconds; from the container, or (MediaRecorder writes none) from the last packet */
  duration: number;
  frames: number;
}

/** ffprobe's view of a WebM: codec, size, duration and the frames it decodes. */
export async function probe(file: string): Promise<Probe> {
  const { stdout } = await execProgram('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,nb_read_frames:format=duration', '-of', 'json', file]);
  const info = JSON.parse(stdout) as { streams: Array<{ codec_name: string; width: number; height: number; nb_read_frames: string }>; format: { duration?: string } };
  const s = info.streams[0];
  if (!s) throw new Error(`ffprobe found no video stream in ${file}: ${stdout}`);
  let duration = Number(info.format.duration);
  if (!Number.isFinite(duration)) {
    // Chromium's MediaRecorder writes no Duration element (it streams): the last frame's time is the length
    const packets = await execProgram('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'json', file]);
    const times = (JSON.parse(packets.stdout) as { packets: Array<{ pts_time?: string }> }).packets.map((p) => Number(p.pts_time)).filter(Number.isFinite);
    duration = Math.max(0, ...times);
  }
  return { codec: s.codec_name, width: s.width, height: s.height, duration, frames: Number(s.nb_read_frames) };
}

/** The last frame ffmpeg decodes, scaled to width x height, as RGB rows. */
export async function lastFrame(file: string, out: string, width: number, height: number): Promise<(x: number, y: number) => Rgb> {
  await execProgram('ffmpeg', ['-v', 'error', '-y', '-i', file, '-fps_mode', 'passthrough', '-vf', `scale=${width}:${height}`, '-pix_fmt', 'rgb24', '-f', 'rawvideo', out]);
  const all = readFileSync(out);
  const size = width * height * 3;
  if (all.length < size) throw new Error(`ffmpeg decoded no frame of ${file}`);
  const frame = all.subarray(all.length - (all.length % size) - size);
  return (x, y) => {
    const at = (Math.round(y) * width + Math.round(x)) * 3;
    return [frame[at]!, frame[at + 1]!, frame[at + 2]!];
  };
}
