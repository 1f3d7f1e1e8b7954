import { closeSync, constants, ftruncateSync, openSync, readSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { request, words } from './bytes.js';
import type { XConnection } from './connection.js';

/**
 * MIT-SHM (the MIT Shared Memory Extension, version 1.2 for AttachFd). Minor opcodes:
 *   0 QueryVersion -> reply: u8 shared-pixmaps | u16 major @8 | u16 minor @10 | ...
 *   2 Detach: u32 shmseg
 *   4 GetImage: u32 drawable | i16 x | i16 y | u16 w | u16 h | u32 plane-mask | u8 format | 3 pad | u32 shmseg | u32 offset
 *     -> reply: u8 depth @1 | u32 visual @8 | u32 size @12
 *   6 AttachFd: u32 shmseg | u8 read-only | 3 pad, with the segment's file descriptor passed alongside (SCM_RIGHTS)
 */
const MINOR = { queryVersion: 0, detach: 2, getImage: 4, attachFd: 6 } as const;
const Z_PIXMAP = 2;

/**
 * A shared memory segment the X server writes images into. Node cannot mmap, so the segment is a
 * file in /dev/shm (tmpfs: memory, not disk) that is unlinked right after it is opened: nothing is
 * left behind even if the process dies. The server maps its copy of the descriptor; we read the
 * pixels with pread, one copy of memory (~1-2 ms for 1920x1080).
 */
export class ShmSegment {
  private constructor(
    private readonly x: XConnection,
    private readonly major: number,
    readonly id: number,
    private readonly fd: number,
    readonly size: number,
  ) {}

  /** Undefined when shared memory cannot be used (extension missing or too old, remote display, no fd passing). */
  static async create(x: XConnection, size: number): Promise<ShmSegment | undefined> {
    if (!x.canPassFds) return undefined;
    const ext = await x.extension('MIT-SHM');
    if (!ext) return undefined;
    const v = await x.call(request(ext.majorOpcode, MINOR.queryVersion));
    const [major, minor] = [v.readUInt16LE(8), v.readUInt16LE(10)];
    if (major < 1 || (major === 1 && minor < 2)) return undefined;
    const path = `/dev/shm/fernhilfe-${process.pid}-${randomBytes(8).toString('hex')}`;
    const fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o600);
    let give: number | undefined;
    try {
      give = openSync(path, constants.O_RDWR);
      unlinkSync(path);
      ftruncateSync(fd, size);
      const id = x.newId();
      const attach = Buffer.alloc(8);
      attach.writeUInt32LE(id, 0);
      attach[4] = 0; // read-write: the server writes the image into it
      const handOver = give;
      give = undefined; // sendWithFd closes it after the write
      await x.check(request(ext.majorOpcode, MINOR.attachFd, attach), handOver);
      return new ShmSegment(x, ext.majorOpcode, id, fd, size);
    } catch {
      if (give !== undefined) closeSync(give);
      try {
        unlinkSync(path);
      } catch {
        // already unlinked
      }
      closeSync(fd);
      return undefined;
    }
  }

  /** ShmGetImage of `area` of `drawable` into the segment, then a copy into `out` (w*h*4 bytes). */
  async getImage(drawable: number, area: { x: number; y: number; width: number; height: number }, out: Buffer): Promise<void> {
    const bytes = area.width * area.height * 4;
    if (bytes > this.size || bytes > out.length) throw new RangeError('image larger than the segment');
    const body = Buffer.alloc(28);
    body.writeUInt32LE(drawable, 0);
    body.writeInt16LE(area.x, 4);
    body.writeInt16LE(area.y, 6);
    body.writeUInt16LE(area.width, 8);
    body.writeUInt16LE(area.height, 10);
    body.writeUInt32LE(0xffffffff, 12);
    body[16] = Z_PIXMAP;
    body.writeUInt32LE(this.id, 20);
    body.writeUInt32LE(0, 24);
    await this.x.call(request(this.major, MINOR.getImage, body));
    let at = 0;
    while (at < bytes) {
      const n = readSync(this.fd, out, at, bytes - at, at);
      if (n === 0) throw new Error('the shared memory segment is shorter than the image');
      at += n;
    }
  }

  close(): void {
    try {
      if (this.x.isOpen) this.x.send(request(this.major, MINOR.detach, words(this.id)));
    } finally {
      closeSync(this.fd);
    }
  }
}
