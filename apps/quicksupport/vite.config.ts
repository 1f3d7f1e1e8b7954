import { defineConfig } from 'vite';

// Strict CSP: no inline scripts, so no module-preload polyfill (it would be inlined).
export default defineConfig({
  base: '/',
  resolve: { conditions: ['source'] },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true, modulePreload: { polyfill: false } },
  oxc: { jsx: { runtime: 'automatic' } },
});
