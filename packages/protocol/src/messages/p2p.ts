import './zod-config.js';
import { z } from 'zod';

/** Control messages for the peer-to-peer upgrade: WebRTC offer/answer/candidates between the endpoints, inside the encrypted channel. */
export const p2pMessages = [] as const satisfies readonly z.ZodObject[];
