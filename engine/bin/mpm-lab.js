#!/usr/bin/env node
// Launcher: runs the compiled CLI (children are forked from compiled JS too, so
// spawn latency stays low). `npm run build` produces build/.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const main = fileURLToPath(new URL('../../build/engine/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('mpm-lab: the engine is not built yet; run `npm run build` first\n');
  process.exit(2);
}
const { main: run } = await import(pathToFileURL(main).href);
process.exit(await run(process.argv.slice(2)));
