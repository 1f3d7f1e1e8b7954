import './zod-config.js';
import { z } from 'zod';
import { customerIdSchema, endReasonSchema } from './common.js';

/** Technician endpoint -> server (CONTROL frames). */
export const technicianMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('connect'), id: customerIdSchema }),
  /** Gives up a pairing in progress (e.g. the customer's key confirmation was wrong). */
  z.strictObject({ type: z.literal('abort') }),
  z.strictObject({ type: z.literal('end'), reason: endReasonSchema.optional() }),
]);
export type TechnicianMessage = z.infer<typeof technicianMessageSchema>;
