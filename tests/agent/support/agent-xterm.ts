import { spawnProgram } from '@fernhilfe/programs';
import { readFileSync } from 'node:fs';

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
  const child = spawnProgram('xterm', ['-geometry', `50x6+${at.x}+${at.y}`, '-fa', '', '-e', 'sh', '-c', `stty -echo; exec cat > '${file}'`], {
    env: { ...process.env, DISPLAY: display },
    stdio: 'ignore',
  });
  await new Promise((r) => setTimeout(r, 1_000)); // mapped and running cat
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
