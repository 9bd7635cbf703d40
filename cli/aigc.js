#!/usr/bin/env node
// Thin launcher: loads the TypeScript CLI through tsx (no build step is needed after npm install).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
