import '../messages/zod-config.js';
import { z } from 'zod';

/** Every refusal of the HTTP API: `{ error: { code, message } }`, with the field or the wait where they apply. */
export const problemSchema = z.object({
  error: z.object({
    code: z.string().max(100),
    message: z.string().max(2000),
    field: z.string().max(200).optional(),
    retryAfterSeconds: z.number().nonnegative().optional(),
  }),
});
export type Problem = z.infer<typeof problemSchema>;
