// The application lane under an MPM's timeline (/compare): a row per
// application process (a PHP-FPM pool's processes; under mod_php the MPM
// children themselves), a bar per application request on the same time axis as
// the MPM timeline above it, in that process's colour — the MPM's bar for the
// same request has that colour too, which is the link. The table under it says
// the same in words: which MPM worker (pid:tid) handed which application process
// how many requests.
import type { AppView } from '../playground/app-view.js';
import { appColor } from '../playground/app-view.js';
import type { InstanceView } from '../playground/store.js';
import { fillRows } from '../playground/views/scoreboard.js';

const ROW_H = 18;
/** the MPM timeline's label column, so both lanes share one x axis */
const LABEL_W = 96;
const SVG = 'http://www.w3.org/2000/svg';

export function appNote(v: InstanceView | null): string {
  const a = v?.app;
  if (!v || !a?.mode) return 'No application on this side: /app/ is not served here.';
  const alive = a.processes.filter((p) => p.exitedAt === null);
  if (a.mode === 'mod_php') {
    return `mod_php: the application runs inside the MPM children — this lane is the MPM children themselves (${alive.length} that ran /app/ so far, each a full copy of the application).`;
  }
  const s = a.status;
  return `PHP-FPM pool${s ? ` [${s.pool}], pm = ${s.pm}` : ''}: ${alive.length} application processes (pids ${alive.map((p) => p.pid).join(', ') || 'none'})${s ? `; status: ${s.active} active, ${s.idle} idle, listen queue ${s.listenQueue}, max children reached ${s.maxChildrenReached}` : ''}.`;
}

export class AppLaneView {
  private shown = -1;
  private axisKey = '';

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly note: HTMLElement | null,
    private readonly links: HTMLTableSectionElement | null,
  ) {}

  render(v: InstanceView | null, axis: { now: number; windowMs: number } | null): void {
    const key = axis ? `${Math.round(axis.now)}:${axis.windowMs}` : '';
    const version = v ? v.version : -2;
    if (version === this.shown && key === this.axisKey && this.svg.clientWidth === Number(this.svg.getAttribute('width'))) return;
    this.shown = version;
    this.axisKey = key;
    const text = appNote(v);
    if (this.note && this.note.textContent !== text) this.note.textContent = text;
    this.drawLinks(v?.app ?? null);
    this.draw(v, axis);
  }

  private drawLinks(a: AppView | null): void {
    if (!this.links) return;
    const rows = (a?.links ?? [])
      .slice()
      .sort((x, y) => x.appPid - y.appPid || x.mpmPid - y.mpmPid || x.tid - y.tid)
      .map((l) => [`${l.mpmPid}:${l.tid} (slot ${l.slot}.${l.thread})`, a!.mode === 'mod_php' ? `${l.appPid} (the same process)` : String(l.appPid), String(l.requests)]);
    if (rows.length === 0) rows.push(['—', '—', 'no /app/ request yet']);
    fillRows(this.links, rows);
    // the colour swatch of the application process: the same as its lane and the MPM's bars
    [...this.links.rows].forEach((tr, i) => {
      const l = a?.links.slice().sort((x, y) => x.appPid - y.appPid || x.mpmPid - y.mpmPid || x.tid - y.tid)[i];
      tr.cells[1].style.borderLeft = l ? `0.6rem solid ${appColor(a!, l.appPid)}` : '';
      if (l) tr.dataset.appPid = String(l.appPid);
      else delete tr.dataset.appPid;
    });
  }

  private draw(v: InstanceView | null, axis: { now: number; windowMs: number } | null): void {
    const svg = this.svg;
    const a = v?.app;
    const width = svg.clientWidth || svg.parentElement?.clientWidth || 600;
    const now = axis?.now ?? v?.now ?? 0;
    const windowMs = axis?.windowMs ?? 15_000;
    const t0 = now - windowMs;
    const procs = a ? a.processes.filter((p) => p.exitedAt === null || p.exitedAt >= t0) : [];
    const height = Math.max(ROW_H + 6, procs.length * ROW_H + 6);
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const x = (t: number) => LABEL_W + ((t - t0) / windowMs) * (width - LABEL_W - 4);
    const nodes: SVGElement[] = [];
    const el = (name: string, attrs: Record<string, string | number>, text?: string) => {
      const n = document.createElementNS(SVG, name);
      for (const [k, val] of Object.entries(attrs)) n.setAttribute(k, String(val));
      if (text !== undefined) n.textContent = text;
      return n;
    };
    if (!a || procs.length === 0) {
      nodes.push(el('text', { x: 4, y: ROW_H - 4, class: 'app-dim' }, a?.mode ? 'No application process yet.' : 'No application on this side.'));
    }
    const rowOf = new Map<number, number>();
    procs.forEach((p, i) => {
      const y = 3 + i * ROW_H;
      rowOf.set(p.pid, y);
      const g = el('g', { 'data-app-pid': p.pid, class: p.exitedAt === null ? 'app-row' : 'app-row app-gone' });
      g.append(el('rect', { x: 2, y: y + 3, width: 10, height: ROW_H - 6, fill: appColor(a!, p.pid) }));
      g.append(el('text', { x: 16, y: y + ROW_H / 2 + 4 }, `${a!.mode === 'mod_php' ? 'child' : 'app'} ${p.pid}`));
      g.append(el('line', { x1: LABEL_W, x2: width, y1: y + ROW_H - 0.5, y2: y + ROW_H - 0.5, class: 'app-rule' }));
      nodes.push(g);
    });
    for (const b of a?.bars ?? []) {
      if (b.end < t0) continue;
      const y = rowOf.get(b.appPid);
      if (y === undefined) continue;
      const bx = Math.max(LABEL_W, x(b.start));
      const bw = Math.max(2, x(Math.min(b.end, now)) - bx);
      const r = el('rect', { x: bx, y: y + 3, width: bw, height: ROW_H - 6, fill: appColor(a!, b.appPid), class: 'app-bar', 'data-app-pid': b.appPid, ...(b.mpm ? { 'data-mpm': `${b.mpm.pid}:${b.mpm.tid}` } : {}) });
      r.append(el('title', {}, `${b.uri} in application process ${b.appPid}, ${(b.end - b.start).toFixed(0)} ms${b.mpm ? ` — relayed by MPM worker ${b.mpm.pid}:${b.mpm.tid}` : ''}`));
      nodes.push(r);
    }
    svg.replaceChildren(...nodes);
    const served = a ? a.processes.reduce((n, p) => n + p.served, 0) : 0;
    svg.setAttribute('aria-label', a?.mode ? `Application processes on the same time axis: ${procs.length} (${procs.map((p) => p.pid).join(', ')}), ${served} application requests; the table below lists which MPM worker handed which process its requests` : 'No application on this side');
  }
}
