// Where the project is, whether this code runs compiled (build/engine/…) or
// from source under the test runner (engine/…): the folder of our package.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

export function projectRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'mpm-lab') return (root = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the mpm-lab project folder');
    dir = up;
  }
}

/** The CLI launcher every engine instance is started with. */
export function binPath(): string {
  return path.join(projectRoot(), 'engine/bin/mpm-lab.js');
}
