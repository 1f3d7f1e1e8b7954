import './zod-config.js';
import { z } from 'zod';

/** Control messages for remote control: asking for, granting and revoking control; clipboard consent and text. */
export const remoteControlMessages = [] as const satisfies readonly z.ZodObject[];
