import { execProgram, spawnProgram } from '@fernhilfe/programs';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { vi } from 'vitest';

/**
 * An X test window that shows what arrives as typed text: an xterm running `cat` into a file the
 * test owns. What a person types into the window (via XTEST or a real keyboard) ends up in the file
 * after Enter.
 */
export interface TypingWindow {
  /** screen rectangle of the window */
  rect: { x: number; y: number; width: number; height: number };
  typed(): string;
  stop(): void;
}

export async function startTypingWindow(display: string, file: string, at = { x: 1300, y: 760 }): Promise<TypingWindow> {
  const env = { ...process.env, DISPLAY: display };
  const title = `fernhilfe-typing-${randomBytes(4).toString('hex')}`;
  const child = spawnProgram('xterm', ['-title', title, '-geometry', `50x6+${at.x}+${at.y}`, '-fa', '', '-e', 'sh', '-c', `stty -echo; exec cat > '${file}'`], { env, stdio: 'ignore' });
  try {
    // mapped (no window manager: it shows where it was asked to) ...
    await execProgram('xdotool', ['search', '--sync', '--onlyvisible', '--name', title], { env, timeout: 15_000 });
    // ... and running cat: the shell creates the file right before it runs cat
    await vi.waitFor(() => {
      if (child.exitCode !== null) throw new Error(`xterm exited (${child.exitCode})`);
      if (!existsSync(file)) throw new Error(`the xterm did not start cat > ${file}`);
    }, { timeout: 10_000, interval: 25 });
  } catch (err) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw err;
  }
  if (child.exitCode !== null) throw new Error(`xterm exited (${child.exitCode})`);
  return {
    rect: { x: at.x, y: at.y, width: 300, height: 80 },
    typed: () => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return '';
      }
    },
    stop: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
