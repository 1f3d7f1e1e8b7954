import './zod-config.js';
import { z } from 'zod';

/**
 * Largest clipboard text, in UTF-8 bytes. The text travels as JSON in one control frame (1 MiB at
 * most); the sender also checks the encoded message fits (escaping can grow it), see docs/agent-input.md.
 */
export const CLIPBOARD_MAX_BYTES = 512 * 1024;

const utf8 = new TextEncoder();
/** UTF-8 length of a string without allocating for the common all-ASCII case. */
export function utf8Length(text: string): number {
  // eslint-disable-next-line no-control-regex
  return /^[\u0000-\u007f]*$/.test(text) ? text.length : utf8.encode(text).length;
}

/** Why the customer's side said no to a control request. */
const controlRefusalSchema = z.enum([
  'customer', // the customer clicked "refuse"
  'unsupported', // this customer module cannot be controlled (the browser page shares the screen only)
]);
export type ControlRefusal = z.infer<typeof controlRefusalSchema>;

/**
 * Control messages for remote control: asking for, granting and revoking control; clipboard consent and
 * text. The input events themselves are binary frames on LogicalChannel.input (../codec/input.ts).
 *
 *   technician -> customer: control-request, control-release, clipboard-request, clipboard-release
 *   customer -> technician: control-granted, control-refused, control-revoked,
 *                           clipboard-allowed, clipboard-refused, clipboard-revoked
 *   both ways (only while the clipboard is allowed): clipboard-text
 */
export const remoteControlMessages = [
  /** The technician asks to control the customer's mouse and keyboard. */
  z.strictObject({ type: z.literal('control-request') }),
  /** The technician gives control back (their Release button, or closing the session view). */
  z.strictObject({ type: z.literal('control-release') }),
  /** The customer allowed control: input events are injected from now on. */
  z.strictObject({ type: z.literal('control-granted') }),
  /** The customer (or a module that cannot be controlled) said no to a request. */
  z.strictObject({ type: z.literal('control-refused'), reason: controlRefusalSchema }),
  /** The customer took control back; input is dropped from now on and every held key was released. */
  z.strictObject({ type: z.literal('control-revoked') }),
  /** The technician asks to share the clipboard (text, both ways). */
  z.strictObject({ type: z.literal('clipboard-request') }),
  /** The technician stops sharing the clipboard. */
  z.strictObject({ type: z.literal('clipboard-release') }),
  z.strictObject({ type: z.literal('clipboard-allowed') }),
  z.strictObject({ type: z.literal('clipboard-refused'), reason: controlRefusalSchema }),
  z.strictObject({ type: z.literal('clipboard-revoked') }),
  /** The clipboard's text changed on the sender's side. */
  z.strictObject({
    type: z.literal('clipboard-text'),
    text: z
      .string()
      .max(CLIPBOARD_MAX_BYTES)
      .refine((t) => utf8Length(t) <= CLIPBOARD_MAX_BYTES, 'clipboard text is too long'),
  }),
] as const satisfies readonly z.ZodObject[];
