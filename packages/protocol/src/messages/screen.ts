import './zod-config.js';
import { z } from 'zod';

/** Control messages for the native agent's screen: monitors, cursor shape and position (agent -> viewer) and monitor choice (viewer -> agent). */
export const screenMessages = [] as const satisfies readonly z.ZodObject[];
