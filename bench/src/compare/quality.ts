import { execProgram } from '@fernhilfe/programs';
import { writeFileSync } from 'node:fs';
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
    const [, dataUrl] = await Promise.all([
      execProgram('import', ['-display', display, '-window', 'root', source]),
      page.evaluate(`document.querySelector('[data-testid="viewer-canvas"]').toDataURL('image/png')`) as Promise<string>,
    ]);
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
