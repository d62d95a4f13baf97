// The bench report: text tables for the terminal, the same figures as JSON,
// and a bar chart (SVG) of req/s per MPM × mode × concurrency × target.
import type { MemoryRow } from './memory.js';
import type { SpawnResult } from './spawn.js';
import type { StreamRow } from './event-stream.js';
import { ratio, type ThroughputCell } from './throughput.js';

export interface BenchReport {
  version: 1;
  date: string;
  machine: { cpus: number; node: string; httpd: string | null };
  quick: boolean;
  seconds: number;
  throughput: ThroughputCell[];
  spawn: SpawnResult | null;
  memory: MemoryRow[];
  stream: StreamRow[];
  browser: { p50: number; p99: number; samples: number } | null;
  skipped: string[];
}

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '—');
const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : '—');

export function throughputTable(cells: ThroughputCell[]): string {
  const engine = cells.filter((c) => c.target === 'engine');
  const lines = [
    'MPM      mode        c   engine req/s  p50 ms  p99 ms | httpd req/s  p50 ms  p99 ms | cluster req/s | engine/httpd  engine/cluster',
  ];
  for (const e of engine) {
    const h = cells.find((c) => c.target === 'httpd' && c.mpm === e.mpm && c.mode === e.mode && c.concurrency === e.concurrency);
    const k = e.mpm === 'prefork' ? cells.find((c) => c.target === 'cluster' && c.mode === e.mode && c.concurrency === e.concurrency) : undefined;
    lines.push(
      [
        e.mpm.padEnd(8),
        e.mode.padEnd(10),
        String(e.concurrency).padStart(3),
        f0(e.reqPerSec).padStart(13),
        ms(e.p50).padStart(7),
        ms(e.p99).padStart(7),
        '|',
        (h ? f0(h.reqPerSec) : '—').padStart(11),
        (h ? ms(h.p50) : '—').padStart(7),
        (h ? ms(h.p99) : '—').padStart(7),
        '|',
        (k ? f0(k.reqPerSec) : '').padStart(13),
        '|',
        f2(ratio(cells, e, 'httpd')).padStart(12),
        (k ? f2(ratio(cells, e, 'cluster')) : '').padStart(15),
      ].join(' '),
    );
  }
  const failed = cells.filter((c) => c.failed > 0);
  if (failed.length) lines.push(`failed requests: ${failed.map((c) => `${c.target} ${c.mpm} ${c.mode} c=${c.concurrency}: ${c.failed}`).join('; ')}`);
  return lines.join('\n');
}

/** One line per MPM: the ratios, for a reader (and a script) that wants only those. */
export function ratioLines(cells: ThroughputCell[]): string[] {
  const out: string[] = [];
  for (const mpm of [...new Set(cells.map((c) => c.mpm))]) {
    const parts = cells
      .filter((c) => c.target === 'engine' && c.mpm === mpm)
      .map((e) => {
        const h = ratio(cells, e, 'httpd');
        const k = mpm === 'prefork' ? ratio(cells, e, 'cluster') : NaN;
        return `${e.mode} c=${e.concurrency} ${f2(h)}${Number.isFinite(k) ? ` (cluster ${f2(k)})` : ''}`;
      });
    out.push(`ratio engine/httpd ${mpm}: ${parts.join(', ')}`);
  }
  return out;
}

export function spawnTable(s: SpawnResult): string {
  return [
    `spawn → ready, a child alone (or two): p50 ${ms(s.aloneP50)} ms, max ${ms(s.aloneMax)} ms`,
    `spawn → ready, in passes of 16 or more: p50 ${ms(s.burstP50)} ms, p99 ${ms(s.burstP99)} ms`,
    `spare ramp (children forked per maintenance pass): ${s.bursts.join(',')}`,
    `sustained: ${f0(s.sustainedPerSec)} children/s over the ${s.maxSpawnRate}-child passes (httpd's MAX_SPAWN_RATE: ${s.maxSpawnRate}/s; ratio ${f2(s.sustainedPerSec / s.maxSpawnRate)})`,
    s.capacityPerSec === null ? 'capacity: not measured with --quick' : `capacity: StartServers ${s.capacityChildren} ready at ${f0(s.capacityPerSec)} children/s`,
  ].join('\n');
}

export function memoryTable(rows: MemoryRow[]): string {
  const lines = ['backend  prefork child USS   PSS     RSS  | worker thread USS   PSS   (kB)'];
  for (const r of rows) {
    lines.push(
      `${r.backend.padEnd(8)} ${f0(r.childUssKb).padStart(17)} ${f0(r.childPssKb).padStart(7)} ${f0(r.childRssKb).padStart(7)}  | ${f0(r.threadUssKb).padStart(17)} ${f0(r.threadPssKb).padStart(5)}`,
    );
  }
  return lines.join('\n');
}

export function streamTable(rows: StreamRow[]): string {
  const lines = ['subscribers  requests    req/s  ratio  events/subscriber  dropped'];
  for (const r of rows) {
    lines.push(
      `${String(r.subscribers).padStart(11)}  ${String(r.requests).padStart(8)}  ${f0(r.reqPerSec).padStart(7)}  ${f2(r.ratio).padStart(5)}  ${String(r.eventsPerSubscriber).padStart(17)}  ${String(r.dropped).padStart(7)}`,
    );
  }
  return lines.join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Grouped bars: one group per MPM × mode × c, one bar per target, req/s on a shared axis. */
export function chartSvg(r: BenchReport): string {
  const cells = r.throughput;
  const groups = [...new Map(cells.map((c) => [`${c.mpm} ${c.mode} c=${c.concurrency}`, c])).keys()];
  const colours: Record<string, string> = { engine: '#2563eb', httpd: '#dc2626', cluster: '#16a34a' };
  const max = Math.max(1, ...cells.map((c) => c.reqPerSec));
  const W = 90;
  const H = 260;
  const top = 40;
  const left = 60;
  const width = left + groups.length * W + 20;
  const bars: string[] = [];
  groups.forEach((g, i) => {
    const inGroup = cells.filter((c) => `${c.mpm} ${c.mode} c=${c.concurrency}` === g);
    const bw = (W - 20) / Math.max(1, inGroup.length);
    inGroup.forEach((c, j) => {
      const h = (c.reqPerSec / max) * H;
      const x = left + i * W + 10 + j * bw;
      bars.push(`<rect x="${x.toFixed(1)}" y="${(top + H - h).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${colours[c.target]}"><title>${esc(`${c.target} ${g}: ${f0(c.reqPerSec)} req/s, p99 ${ms(c.p99)} ms`)}</title></rect>`);
    });
    const [mpm, mode, c] = g.split(' ');
    bars.push(`<text x="${left + i * W + W / 2}" y="${top + H + 16}" text-anchor="middle">${esc(mpm)}</text>`);
    bars.push(`<text x="${left + i * W + W / 2}" y="${top + H + 30}" text-anchor="middle">${esc(`${mode} ${c}`)}</text>`);
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => {
    const y = top + H - t * H;
    return `<line x1="${left}" x2="${width - 20}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${left - 6}" y="${y + 4}" text-anchor="end">${f0(t * max)}</text>`;
  });
  const legend = Object.entries(colours).map(
    ([k, col], i) => `<rect x="${left + i * 110}" y="10" width="12" height="12" fill="${col}"/><text x="${left + i * 110 + 16}" y="20">${k === 'engine' ? 'MPM Lab engine' : k === 'httpd' ? 'real httpd' : 'node:cluster'}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${top + H + 44}" font-family="sans-serif" font-size="11">
<title>MPM Lab bench ${esc(r.date)}: requests/s (ab), median of ${r.quick ? 1 : 3} runs</title>
${ticks.join('\n')}
${legend.join('\n')}
${bars.join('\n')}
</svg>
`;
}
