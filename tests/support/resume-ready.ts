import { vi } from 'vitest';
import { controlMessages, type CutProxy, type Side } from './cut-proxy.js';

/**
 * Waits until the server has confirmed each side's resume key (`resume-ready` went through the cut
 * proxy to that side), so a cut from now on is resumed instead of ending the session.
 */
export async function untilResumeReady(proxy: CutProxy, sides: readonly Side[] = ['customer', 'technician'], timeout = 5000): Promise<void> {
  await vi.waitFor(
    () => {
      const waiting = sides.filter((side) => !proxy.connections(side).some((c) => controlMessages(c.serverFrames()).some((m) => m.type === 'resume-ready')));
      if (waiting.length > 0) throw new Error(`the server did not confirm the resume key of: ${waiting.join(', ')}`);
    },
    { timeout, interval: 20 },
  );
}
