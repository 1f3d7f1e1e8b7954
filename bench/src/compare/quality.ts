import { execProgram } from '@fernhilfe/programs';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { BenchError } from '../errors.js';
import { makeTempDir, removeDir } from '@fernhilfe/testkit';


/**
 * Picture quality of what a viewer shows against what the X screen shows, as PSNR in dB (higher is
 * better; identical pictures give "inf", reported as 99): the X screen is grabbed with ImageMagick's
 * `import -window root`, the viewer's canvas (data-testid="viewer-canvas") read back as PNG at its own
 * resolution, and ImageMagick's `compare -metric PSNR` compares the two (both at the source size).
 */
export async function psnrAgainstScreen(page: Page, display: string): Promise<number> {
  const dir = makeTempDir('quality');
  try {
    const source = path.join(dir, 'source.png');
    const viewer = path.join(dir, 'viewer.png');
    await execProgram('import', ['-display', display, '-window', 'root', source]);
    // a sender at reduced resolution sends a smaller picture that the console scales up: compare what the
    // technician sees, the canvas scaled to the screen's size in the browser as the console shows it
    const png = readFileSync(source);
    const size = { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
    const dataUrl = (await page.evaluate(`(() => {
      const canvas = document.querySelector('[data-testid="viewer-canvas"]');
      if (canvas.width === ${size.width} && canvas.height === ${size.height}) return canvas.toDataURL('image/png');
      const scaled = document.createElement('canvas');
      scaled.width = ${size.width};
      scaled.height = ${size.height};
      const ctx = scaled.getContext('2d');
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(canvas, 0, 0, ${size.width}, ${size.height});
      return scaled.toDataURL('image/png');
    })()`)) as string;
    writeFileSync(viewer, Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
    // compare exits 1 when the pictures differ; the metric is on stderr either way
    const { stderr } = await execProgram('compare', ['-metric', 'PSNR', viewer, source, 'null:']).catch((err: { stderr?: string; code?: number }) => {
      if (err.code === 1 && err.stderr) return { stderr: err.stderr };
      throw err;
    });
    const text = stderr.trim();
    if (text === 'inf' || text === '0') return 99;
    const value = Number.parseFloat(text);
    if (!Number.isFinite(value)) throw new BenchError('result', `compare printed "${text}" instead of a PSNR`);
    return value;
  } finally {
    removeDir(dir);
  }
}

/** Writes the viewer canvas as PNG (for the report's pictures). */
export async function saveCanvas(page: Page, file: string): Promise<void> {
  const dataUrl = (await page.evaluate(`document.querySelector('[data-testid="viewer-canvas"]').toDataURL('image/png')`)) as string;
  writeFileSync(file, Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
}
