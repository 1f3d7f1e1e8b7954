#!/usr/bin/env node
// @ts-check
// `node packages/programs/src/missing.js`: the Debian packages scripts/test.sh must install, one line,
// space-separated (empty when nothing is missing). Runs before `npm ci`: no dependencies.
import { missingPackages } from './find.js';

process.stdout.write(`${missingPackages().join(' ')}\n`);
