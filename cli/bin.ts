#!/usr/bin/env node
/**
 * The `aigc` executable from the sources (cli/aigc.js runs it through tsx). The build runs the same
 * start (cli/entry.ts) from a code-cached bundle instead: dist/cli/aigc.js is cli/main-loader.ts.
 */
import { start } from './entry.ts';

await start(process.argv.slice(2));
