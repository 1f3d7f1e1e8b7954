import { vi } from 'vitest';
import type { AgentProcess } from './agent-process.js';

/** The agent's terminal face (--terminal), driven like a person at a terminal. */

/** ID and password as the terminal shows them. */
export async function terminalCredentials(a: AgentProcess, timeoutMs = 15_000): Promise<{ id: string; password: string }> {
  const id = (await a.waitFor(/ID:\s+(\d{3} \d{3} \d{3})/, timeoutMs))[1]!.replace(/\s/g, '');
  const password = (await a.waitFor(/Passwor[dt]:\s+(\S+)/, timeoutMs))[1]!;
  return { id, password };
}

/** Pages through the terms with Enter until the accept question, then answers `answer`. */
export async function readTerms(a: AgentProcess, answer: string, timeoutMs = 15_000): Promise<void> {
  for (let page = 0; page < 200 && !/\[y\] (yes|ja), \[n\]/.test(a.stdout()); page++) {
    await a.waitFor(/\[Enter\]|\[y\] (yes|ja), \[n\]/, timeoutMs);
    if (/\[y\] (yes|ja), \[n\]/.test(a.stdout())) break;
    const shown = a.stdout().length;
    a.type('');
    await waitUntil(() => a.stdout().length > shown, 5_000);
  }
  a.type(answer);
}

export async function waitUntil(fn: () => boolean, timeoutMs: number): Promise<void> {
  await vi.waitFor(() => {
    if (!fn()) throw new Error(`not within ${timeoutMs} ms: ${fn.toString()}`);
  }, { timeout: timeoutMs, interval: 20 });
}
