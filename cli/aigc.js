#!/usr/bin/env node
// Development launcher: runs the CLI from the TypeScript sources through tsx (a devDependency).
// The installed `aigc` binary is the compiled bundle dist/cli/aigc.js (`npm run build`).
import { register } from 'tsx/esm/api';

register();
await import('./bin.ts');
