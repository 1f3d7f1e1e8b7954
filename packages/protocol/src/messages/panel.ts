import './zod-config.js';
import { z } from 'zod';

/**
 * The native agent's session panel (docs/session-panel.md): the agent tells the technician whether
 * the customer sees the always-on-top panel with its End button (agent -> viewer). A browser-only
 * customer never sends it, so the console claims a panel only where there is one.
 */
export const panelMessages = [z.strictObject({ type: z.literal('session-panel'), shown: z.boolean() })] as const satisfies readonly z.ZodObject[];
