#!/usr/bin/env node
// Launcher: runs the compiled CLI (children are forked from compiled JS too, so
// spawn latency stays low). `npm run build` produces build/.
// Before anything else loads: a Node process that gets SIGUSR1 with no handler
// opens the inspector on 127.0.0.1:9229. The CLI installs the real handler later.
process.on('SIGUSR1', () => {});

import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const main = fileURLToPath(new URL('../../build/engine/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('mpm-lab: the engine is not built yet; run `npm run build` first\n');
  process.exit(2);
}
const { main: run } = await import(pathToFileURL(main).href);
process.exit(await run(process.argv.slice(2)));
