import type { SecureSession } from '@fernhilfe/client';
import { spawnProgram } from '@fernhilfe/programs';
import { LogicalChannel, encodeVideoFrame } from '@fernhilfe/protocol';

/**
 * A stand-in for the agent's screen feature in input tests: ffmpeg grabs the X screen (x11grab) and
 * encodes H.264 (baseline, an access unit delimiter before every frame), and each access unit goes to
 * the technician as a video frame after a video-config. A few frames a second is plenty to click on.
 */
export interface TestVideo {
  stop(): Promise<void>;
}

const START = Buffer.from([0, 0, 0, 1, 9]); // start code + AUD NAL

export function sendScreenVideo(session: SecureSession, display: string, size: { width: number; height: number }, fps = 5): TestVideo {
  const ff = spawnProgram(
    'ffmpeg',
    ['-loglevel', 'error', '-f', 'x11grab', '-framerate', String(fps), '-video_size', `${size.width}x${size.height}`, '-i', display,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p',
      '-g', String(fps), '-x264-params', 'aud=1', '-flush_packets', '1', '-f', 'h264', '-'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let frameId = 0;
  let pending = Buffer.alloc(0);
  void session.sendControl({ type: 'video-config', codec: 'avc1.420028', width: size.width, height: size.height });
  const sendUnit = (unit: Buffer) => {
    if (!session.isOpen) return;
    const keyframe = hasIdr(unit);
    void session.sendData(LogicalChannel.video, encodeVideoFrame({ keyframe, frameId: frameId++, captureTime: Date.now(), data: new Uint8Array(unit) })).catch(() => undefined);
  };
  ff.stdout!.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    // every complete access unit runs from one AUD to the next
    for (;;) {
      const next = pending.indexOf(START, 1);
      if (next < 0) break;
      sendUnit(pending.subarray(0, next));
      pending = pending.subarray(next);
    }
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (ff.exitCode !== null) return resolve();
        ff.once('exit', () => resolve());
        ff.kill('SIGTERM');
      }),
  };
}

function hasIdr(unit: Buffer): boolean {
  for (let i = 0; i + 4 < unit.length; i++) {
    if (unit[i] === 0 && unit[i + 1] === 0 && unit[i + 2] === 1 && (unit[i + 3]! & 0x1f) === 5) return true;
  }
  return false;
}
