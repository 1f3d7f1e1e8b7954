// @ts-check

/** Native addons that cannot live inside a single-file program; the agent must load them guarded. */
export const OPTIONAL_NATIVE = ['@roamhq/wrtc'];

/** Native speed-ups that libraries already `require()` inside try/catch (ws; dbus-next's fd passing); absent in the program. */
export const OPTIONAL_SPEEDUPS = ['bufferutil', 'utf-8-validate', 'usocket'];

/** @param {string[]} names */
const pattern = (names) => new RegExp(`^(${names.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})(/.*)?$`);

/**
 * esbuild plugin: each optional native module becomes a stub that throws when loaded, so the
 * agent's guarded `await import('@roamhq/wrtc')` fails and it falls back to the relay. A static
 * import of one of them fails the build, because it would crash the program at start.
 * @returns {import('esbuild').Plugin}
 */
export function optionalNativePlugin() {
  const stub = { namespace: 'fernhilfe-absent-native' };
  return {
    name: 'fernhilfe-optional-native',
    setup(build) {
      build.onResolve({ filter: pattern(OPTIONAL_NATIVE) }, (args) =>
        args.kind === 'dynamic-import'
          ? { path: args.path, ...stub }
          : { errors: [{ text: `${args.path} is a native addon: load it with a guarded \`await import()\` (it is absent from the single-file program), not with ${args.kind}` }] },
      );
      build.onResolve({ filter: pattern(OPTIONAL_SPEEDUPS) }, (args) => ({ path: args.path, ...stub }));
      build.onLoad({ filter: /.*/, namespace: stub.namespace }, (args) => ({
        contents: `const e = new Error(${JSON.stringify(`${args.path} is not part of the single-file QuickSupport program (native addon)`)}); e.code = 'ERR_FERNHILFE_NOT_BUNDLED'; throw e;`,
        loader: 'js',
      }));
    },
  };
}
