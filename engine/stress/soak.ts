// `npm run soak` (not in CI): a bounded soak. A real lab process, a prefork
// engine started through it, one WebSocket subscriber following every event,
// and `ab` load for N minutes (default 10; `--minutes N`), alternating HTTP/1.0
// and keep-alive. Every 30 s it samples the resident memory of the lab and of
// the engine's parent; at the end it compares the last samples with the first
// ones after warm-up and exits non-zero if either grew by more than 20%.
import fs from 'node:fs';
import WebSocket from 'ws';
import { ab } from '../bench/load.js';
import { startLabProcess } from '../lab/lab-process.js';
import { connectLive } from '../protocol/client.js';
import type { InstanceSummary } from '../protocol/messages.js';

const rssKb = (pid: number) => Number(/^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

async function main(): Promise<number> {
  const i = process.argv.indexOf('--minutes');
  const minutes = i >= 0 ? Number(process.argv[i + 1]) : 10;
  const lab = await startLabProcess([], { stderr: 'inherit' });
  try {
    const url = lab.url;
    const ws = new WebSocket(`ws://${url.host}/control?token=${url.searchParams.get('token')}`, { headers: { Origin: url.origin } });
    let events = 0;
    ws.on('message', (d) => {
      if (String(d).startsWith('{"type":"events"')) events++;
    });
    const c = await connectLive(ws as never);
    const s = await c.request<InstanceSummary>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 10\nMinSpareServers 5\nMaxSpareServers 20\nMaxRequestWorkers 30\n' });
    const samples: Array<{ at: number; lab: number; parent: number; requests: number }> = [];
    const end = Date.now() + minutes * 60_000;
    let requests = 0;
    let nextSample = Date.now();
    let keepalive = false;
    console.log(`soak: ${minutes} min, lab pid ${lab.proc.pid}, engine parent pid ${s.pid}`);
    while (Date.now() < end) {
      const r = await ab(s.port, { concurrency: 20, keepalive, seconds: 10 });
      requests += r.completed;
      keepalive = !keepalive;
      if (r.failed) console.log(`  ${r.failed} failed of ${r.completed}`);
      if (Date.now() >= nextSample) {
        samples.push({ at: Math.round((Date.now() - end + minutes * 60_000) / 1000), lab: rssKb(lab.proc.pid!), parent: rssKb(s.pid), requests });
        const x = samples.at(-1)!;
        console.log(`  ${String(x.at).padStart(4)} s  lab ${x.lab} kB  engine parent ${x.parent} kB  ${x.requests} requests, ${events} event batches`);
        nextSample += 30_000;
      }
    }
    // the first minute is warm-up (heaps grow to their working size)
    const settled = samples.slice(2);
    const first = settled.slice(0, 3);
    const last = settled.slice(-3);
    const growth = (k: 'lab' | 'parent') => avg(last.map((x) => x[k])) / avg(first.map((x) => x[k])) - 1;
    const g = { lab: growth('lab'), parent: growth('parent') };
    console.log(`growth after warm-up: lab ${(g.lab * 100).toFixed(1)}%, engine parent ${(g.parent * 100).toFixed(1)}% over ${requests} requests`);
    ws.close();
    return settled.length >= 4 && (g.lab > 0.2 || g.parent > 0.2) ? 1 : 0;
  } finally {
    // the lab stops its engine; the soak leaves nothing behind
    await lab.stop();
  }
}

process.exit(await main());
