import { InvariantError } from '@fernhilfe/protocol';
import { keySyms } from './client.js';

/** The value of an X keysym by its keysymdef.h name ("BackSpace", "ISO_Level3_Shift"), from the `x11` package's table. */
export function keysym(name: string): number {
  const k = keySyms[`XK_${name}`];
  if (!k) throw new InvariantError(`the x11 package knows no keysym XK_${name}`);
  return k.code;
}
