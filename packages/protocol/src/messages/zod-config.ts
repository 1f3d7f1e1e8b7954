import { z } from 'zod';

/**
 * zod 4 probes `new Function("")` when its first object schema is built, to compile fast parsers.
 * The web apps run under a CSP without 'unsafe-eval', where that probe is refused and reported as a
 * violation. `jitless` skips the probe (and the compiled parsers) everywhere, so the same schemas
 * behave the same in Node and in the browser. Imported first by every schema module.
 */
z.config({ jitless: true });
