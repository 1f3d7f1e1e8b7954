import { writeFileSync, renameSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

/** Writes BGRX rows (the panel's buffer, an X screen grab) as an RGB PNG, via a temporary name. */
export function writePngBgrx(file: string, width: number, height: number, bgrx: Buffer, stride = width * 4): void {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      const i = y * stride + x * 4;
      raw[o + 1 + x * 3] = bgrx[i + 2]!;
      raw[o + 2 + x * 3] = bgrx[i + 1]!;
      raw[o + 3 + x * 3] = bgrx[i]!;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
  writeFileSync(`${file}.tmp`, png);
  renameSync(`${file}.tmp`, file);
}
