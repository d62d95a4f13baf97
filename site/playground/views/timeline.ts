// The request timeline: a lane per child (and thread), a bar per request
// labelled with request #, %k and connection; kept-alive waiting drawn hatched;
// spawn and exit markers. Canvas, drawing only what is in view, so thousands of
// requests stay smooth. The summary line under it is the text alternative (the
// request table holds the details).
import type { Bar, InstanceView, Lane } from '../store.js';

const LANE_H = 20;
const LABEL_W = 96;
const WINDOW_MS = 15_000;

export function timelineSummary(v: InstanceView | null, windowMs = WINDOW_MS): string {
  if (!v || v.lanes.length === 0) return 'No requests yet.';
  const since = v.now - windowMs;
  const recent = v.requests.filter((r) => r.ts >= since);
  const byPid = new Map<number, number>();
  for (const r of recent) byPid.set(r.pid, (byPid.get(r.pid) ?? 0) + 1);
  const who = [...byPid].map(([pid, n]) => `pid ${pid}: ${n}`).join(', ');
  const alive = v.lanes.filter((l) => l.exitedAt === null).length;
  return `Last ${Math.round(windowMs / 1000)} s: ${recent.length} requests${who ? ` (${who})` : ''}; ${alive} live lanes.`;
}

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

export class TimelineView {
  private hover: { x: number; y: number } | null = null;
  private hatch: CanvasPattern | null = null;
  private last: InstanceView | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly summaryEl: HTMLElement | null,
  ) {
    canvas.addEventListener('mousemove', (e) => {
      const r = canvas.getBoundingClientRect();
      this.hover = { x: e.clientX - r.left, y: e.clientY - r.top };
      this.draw(this.last);
    });
    canvas.addEventListener('mouseleave', () => {
      this.hover = null;
      this.canvas.title = '';
      this.draw(this.last);
    });
  }

  /** the time axis, set by a page that lines several timelines up (/compare): its right edge and width */
  private axis: { now: number; windowMs: number } | null = null;
  /** a colour per connection (the classroom: each student's own) or per request bar (/compare: the application process that ran it); null = the usual */
  colorOf: ((connId: string, bar: Bar) => string | null) | null = null;

  render(v: InstanceView | null, axis: { now: number; windowMs: number } | null = null): void {
    this.last = v;
    this.axis = axis;
    if (this.summaryEl) {
      const s = timelineSummary(v, this.axis?.windowMs);
      if (this.summaryEl.textContent !== s) this.summaryEl.textContent = s;
    }
    this.draw(v);
  }

  private draw(v: InstanceView | null): void {
    const c = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const lanes = v ? v.lanes.filter((l) => l.exitedAt === null || (this.axis?.now ?? v.now) - l.exitedAt < (this.axis?.windowMs ?? WINDOW_MS)) : [];
    const cssW = c.clientWidth || 600;
    const cssH = Math.max(60, lanes.length * LANE_H + 24);
    if (c.width !== Math.round(cssW * dpr) || c.height !== Math.round(cssH * dpr)) {
      c.width = Math.round(cssW * dpr);
      c.height = Math.round(cssH * dpr);
      c.style.height = `${cssH}px`;
    }
    const g = c.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    const fg = cssVar(c, '--sl-color-white', '#111');
    const dim = cssVar(c, '--sl-color-gray-3', '#888');
    const reqColor = cssVar(c, '--pg-bar', '#2563eb');
    g.clearRect(0, 0, cssW, cssH);
    g.font = '11px ui-monospace, monospace';
    g.textBaseline = 'middle';
    if (!v || lanes.length === 0) {
      g.fillStyle = dim;
      g.fillText('No requests yet.', 8, 20);
      return;
    }
    const t1 = this.axis?.now ?? v.now;
    const windowMs = this.axis?.windowMs ?? WINDOW_MS;
    const t0 = t1 - windowMs;
    const x = (t: number) => LABEL_W + ((t - t0) / windowMs) * (cssW - LABEL_W - 4);
    const laneY = new Map<string, number>();
    lanes.forEach((l, i) => laneY.set(l.key, 4 + i * LANE_H));
    // lane labels and markers
    for (const l of lanes) this.lane(g, l, laneY.get(l.key)!, x, t0, fg, dim);
    if (!this.hatch) this.hatch = this.makeHatch(g, reqColor);
    let hit: Bar | null = null;
    for (const b of v.bars) {
      const y = laneY.get(b.lane);
      if (y === undefined) continue;
      const end = b.end ?? t1;
      if (end < t0) continue;
      const bx = Math.max(LABEL_W, x(b.start));
      const bw = Math.max(2, x(end) - bx);
      const h = b.kind === 'request' ? LANE_H - 6 : LANE_H - 12;
      const by = y + (LANE_H - h) / 2;
      const own = this.colorOf?.(b.connId, b) ?? null;
      if (b.kind === 'keepalive') {
        g.fillStyle = this.hatch ?? dim;
        g.fillRect(bx, by, bw, h);
        g.strokeStyle = own ?? reqColor;
        g.strokeRect(bx + 0.5, by + 0.5, bw - 1, h - 1);
      } else {
        g.fillStyle = own ?? reqColor;
        g.fillRect(bx, by, bw, h);
        if (bw > 70 && b.n !== undefined) {
          g.fillStyle = '#fff';
          g.fillText(`#${b.n} k${b.keepalive ?? 0} ${b.connId}`, bx + 3, y + LANE_H / 2);
        }
      }
      if (this.hover && this.hover.x >= bx && this.hover.x <= bx + bw && this.hover.y >= by && this.hover.y <= by + h) hit = b;
    }
    this.canvas.title = hit
      ? hit.kind === 'request'
        ? `request #${hit.n ?? '…'} on ${hit.connId} (request ${hit.reqId} of the connection, %k ${hit.keepalive ?? '…'})${hit.end !== null ? `, ${(hit.end - hit.start).toFixed(1)} ms` : ', in progress'}`
        : `connection ${hit.connId} kept alive, waiting for the next request`
      : '';
  }

  private lane(g: CanvasRenderingContext2D, l: Lane, y: number, x: (t: number) => number, t0: number, fg: string, dim: string): void {
    g.fillStyle = l.exitedAt === null ? fg : dim;
    g.fillText(`${l.pid}${l.thread > 0 ? `:${l.thread}` : ''} (${slotName(l.slot, l.thread)})`, 4, y + LANE_H / 2);
    g.strokeStyle = dim;
    g.globalAlpha = 0.3;
    g.beginPath();
    g.moveTo(LABEL_W, y + LANE_H - 0.5);
    g.lineTo(g.canvas.width, y + LANE_H - 0.5);
    g.stroke();
    g.globalAlpha = 1;
    if (l.spawnedAt !== null && l.spawnedAt >= t0) {
      const sx = x(l.spawnedAt);
      g.fillStyle = fg;
      g.beginPath();
      g.moveTo(sx, y + 3);
      g.lineTo(sx + 6, y + LANE_H / 2);
      g.lineTo(sx, y + LANE_H - 3);
      g.fill();
    }
    if (l.exitedAt !== null && l.exitedAt >= t0) {
      const ex = x(l.exitedAt);
      g.strokeStyle = fg;
      g.beginPath();
      g.moveTo(ex - 4, y + 5);
      g.lineTo(ex + 4, y + LANE_H - 5);
      g.moveTo(ex + 4, y + 5);
      g.lineTo(ex - 4, y + LANE_H - 5);
      g.stroke();
    }
  }

  private makeHatch(g: CanvasRenderingContext2D, color: string): CanvasPattern | null {
    const p = document.createElement('canvas');
    p.width = p.height = 6;
    const pg = p.getContext('2d');
    if (!pg) return null;
    pg.strokeStyle = color;
    pg.beginPath();
    pg.moveTo(0, 6);
    pg.lineTo(6, 0);
    pg.stroke();
    return g.createPattern(p, 'repeat');
  }
}

/** "1.2"; real httpd does not always say which entry served a request (-1): "1.?" */
function slotName(slot: number, thread: number): string {
  return `${slot < 0 ? '?' : slot}.${thread < 0 ? '?' : thread}`;
}
