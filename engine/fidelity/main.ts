// `mpm-lab fidelity` (npm run fidelity): every experiment of the catalogue on
// the node engine and on real Apache httpd with the same config; a table of
// patterns, and a non-zero exit when any differ. Loopback only, bounded.
import fs from 'node:fs';
import path from 'node:path';
import { findHttpd } from '../httpd/find.js';
import os from 'node:os';
import { CATALOGUE, type Experiment } from './catalogue.js';
import { APP_CATALOGUE } from './app-catalogue.js';
import { startBackend, type Backend } from '../cli/engine-process.js';

export interface FidelityRow {
  name: string;
  what: string;
  node: string;
  httpd: string;
  agree: boolean;
}

async function once(x: Experiment, backend: Backend): Promise<string> {
  let e;
  const dir = x.app && x.app !== 'mod_php' ? fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-fidelity-')) : null;
  try {
    if (dir) fs.writeFileSync(path.join(dir, 'pool.conf'), x.app!);
    const args = x.app ? ['--app', dir ? `fpm:${path.join(dir, 'pool.conf')}` : 'mod_php'] : [];
    e = await startBackend(backend, x.mpm, x.sets, { args });
    return await x.run(e);
  } catch (err) {
    return `error: ${(err as Error).message.split('\n')[0]}`;
  } finally {
    await e?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function fidelity(argv: string[]): Promise<number> {
  const arg = (name: string) => (argv.indexOf(name) >= 0 ? argv[argv.indexOf(name) + 1] ?? null : null);
  const only = arg('--only');
  const json = arg('--json');
  const httpd = findHttpd();
  if ('error' in httpd) {
    console.log(`*** fidelity SKIPPED: ${httpd.error} ***`);
    return process.env.CI ? 1 : 0;
  }
  const started = Date.now();
  console.log(`Fidelity: MPM Lab's engine vs ${httpd.version} (${httpd.bin}), same config, patterns compared`);
  console.log(`${'result'.padEnd(7)} ${'experiment'.padEnd(26)} backend  pattern`);
  const rows: FidelityRow[] = [];
  for (const x of [...CATALOGUE, ...APP_CATALOGUE].filter((c) => !only || c.name.includes(only))) {
    const node = await once(x, 'node');
    const real = await once(x, 'httpd');
    const row = { name: x.name, what: x.what, node, httpd: real, agree: node === real && !node.startsWith('error') };
    rows.push(row);
    console.log(`${(row.agree ? 'agree' : 'DIFFER').padEnd(7)} ${x.name.padEnd(26)} node     ${node}`);
    console.log(`${''.padEnd(7)} ${''.padEnd(26)} httpd    ${real}`);
  }
  const differ = rows.filter((r) => !r.agree);
  console.log(`\n${rows.length - differ.length} of ${rows.length} experiments agree${differ.length ? `; differ: ${differ.map((r) => r.name).join(', ')}` : ''}`);
  if (json) {
    const report = { httpd: { version: httpd.version, bin: httpd.bin }, started: new Date(started).toISOString(), durationMs: Date.now() - started, agree: rows.length - differ.length, experiments: rows };
    fs.mkdirSync(path.dirname(json), { recursive: true });
    fs.writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
    console.log(`report: ${json}`);
  }
  return differ.length ? 1 : 0;
}
