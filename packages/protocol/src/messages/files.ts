import './zod-config.js';
import { z } from 'zod';

/** Control messages for file transfer: offers, consent, progress, completion, cancel (chunks travel on LogicalChannel.files). */
export const fileMessages = [] as const satisfies readonly z.ZodObject[];
