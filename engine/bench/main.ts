// `mpm-lab bench` (= `npm run bench`): timing claims live here, reported as
// ratios in the same run — never in tests. Loopback only, bounded in time:
// about 4 minutes by default, under a minute with --quick.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findHttpd } from '../httpd/find.js';
import { benchBrowser } from './browser.js';
import { benchEventStream } from './event-stream.js';
import { findAb } from './load.js';
import { benchMemory } from './memory.js';
import { chartSvg, memoryTable, ratioLines, spawnTable, streamTable, throughputTable, type BenchReport } from './report.js';
import { benchSpawn } from './spawn.js';
import { benchThroughput } from './throughput.js';
import type { TargetKind } from './targets.js';

const SECTIONS = ['throughput', 'spawn', 'memory', 'stream', 'browser'] as const;

export async function bench(argv: string[]): Promise<number> {
  const arg = (name: string) => (argv.indexOf(name) >= 0 ? argv[argv.indexOf(name) + 1] ?? null : null);
  const quick = argv.includes('--quick');
  const only = arg('--only')?.split(',') ?? [...SECTIONS];
  const bad = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (bad.length) {
    console.error(`mpm-lab bench: unknown section ${bad.join(', ')} (sections: ${SECTIONS.join(', ')})`);
    return 2;
  }
  const json = path.resolve(arg('--json') ?? 'bench-results/bench.json');
  const svg = path.resolve(arg('--svg') ?? json.replace(/\.json$/, '') + '.svg');
  const seconds = quick ? 1 : 2;
  const started = Date.now();
  const httpd = findHttpd();
  const report: BenchReport = {
    version: 1,
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, httpd: 'error' in httpd ? null : httpd.version },
    quick,
    seconds,
    throughput: [],
    spawn: null,
    memory: [],
    stream: [],
    browser: null,
    skipped: [],
  };
  const skip = (what: string) => {
    report.skipped.push(what);
    console.log(`*** SKIPPED ${what} ***`);
  };
  if ('error' in httpd) skip(`real httpd rows: ${httpd.error}`);
  console.log(`MPM Lab bench — ${report.machine.cpus} CPUs, Node ${process.version}${'error' in httpd ? '' : `, ${httpd.version}`}${quick ? ', --quick' : ''}\n`);

  if (only.includes('throughput')) {
    if (!findAb()) skip('throughput: `ab` not found (Debian: apt-get install apache2-utils)');
    else {
      const targets: TargetKind[] = ['engine', ...('error' in httpd ? [] : ['httpd' as const]), 'cluster'];
      const concurrency = quick ? [20] : [1, 20];
      const warmup = quick ? 1000 : 5000;
      console.log(`Throughput: ab GET /, ${seconds} s per run, ${quick ? '1 run' : 'median of 3 runs'} after a warm-up of ${warmup} requests (keep-alive: ${warmup * 10}); HTTP/1.0 = a new connection per request`);
      report.throughput = await benchThroughput({ mpms: ['prefork', 'worker', 'event'], targets, concurrency, seconds, reps: quick ? 1 : 3, warmup });
      console.log(throughputTable(report.throughput));
      for (const l of ratioLines(report.throughput)) console.log(l);
      console.log(`(node:cluster: ${report.throughput.find((c) => c.target === 'cluster')?.processes ?? '?'} processes, as many as prefork's StartServers)\n`);
    }
  }
  if (only.includes('spawn')) {
    report.spawn = await benchSpawn({ quick });
    console.log('Spawn: prefork engine, fork → first SERVER_READY (CLOCK_MONOTONIC on both sides)');
    console.log(spawnTable(report.spawn) + '\n');
  }
  if (only.includes('memory')) {
    report.memory = await benchMemory('error' in httpd ? ['node'] : ['node', 'httpd'], { threads: !quick });
    console.log(`Memory: idle, from /proc/<pid>/smaps_rollup (median child${quick ? '; per thread: not with --quick' : '; per thread = (25 threads − 1 thread) ÷ 24'})`);
    console.log(memoryTable(report.memory) + '\n');
  }
  if (only.includes('stream')) {
    report.stream = await benchEventStream({ quick });
    console.log('Observation: prefork engine in the lab, ab -k -c 10, req/s while N WebSocket subscribers follow every event');
    console.log(streamTable(report.stream) + '\n');
  }
  if (only.includes('browser')) {
    if (quick) skip('browser: event-to-page latency (not in --quick)');
    else {
      const b = await benchBrowser();
      if ('skipped' in b) skip(`browser: ${b.skipped}`);
      else {
        report.browser = b;
        console.log(`Event → page: a request on screen in the playground ${b.p50.toFixed(1)} ms (p50), ${b.p99.toFixed(1)} ms (p99) after its response reached the client, ${b.samples} requests\n`);
      }
    }
  }

  fs.mkdirSync(path.dirname(json), { recursive: true });
  fs.writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
  if (report.throughput.length) fs.writeFileSync(svg, chartSvg(report));
  console.log(`report: ${path.relative(process.cwd(), json)}${report.throughput.length ? `, chart: ${path.relative(process.cwd(), svg)}` : ''} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return 0;
}
