#!/usr/bin/env node
// Entry point of the `fernhilfe` command. The TypeScript is compiled by `npm run build` (npm start does it).
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('fernhilfe is not built yet: run `npm run build` in the checkout first.');
  process.exit(1);
}
await import(main.href);
