import { readFileSync, writeFileSync } from 'node:fs';
import { spawnProgram } from '@fernhilfe/programs';

/**
 * Runs on the Windows Node under wine (bundled by encoder-wine.test.ts): starts fernhilfe-encoder.exe
 * with pipes, as X264Process does, feeds it the frames file and writes what came back to files.
 * argv: exe, width, height, frames file, output file, report file.
 */
const [exe, width, height, input, output, report] = process.argv.slice(2) as [string, string, string, string, string, string];
const child = spawnProgram({ file: exe }, ['--width', width, '--height', height, '--preset', 'ultrafast', '--crf', '23', '--params', '8x8dct=1'], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
const out: Buffer[] = [];
let err = '';
child.stdout!.on('data', (b: Buffer) => out.push(b));
child.stderr!.on('data', (b: Buffer) => (err += b.toString('utf8')));
child.on('close', (code) => {
  writeFileSync(output, Buffer.concat(out));
  writeFileSync(report, JSON.stringify({ code, err, platform: process.platform }));
});
child.stdin!.end(readFileSync(input));
