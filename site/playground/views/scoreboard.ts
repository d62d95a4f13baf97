// The scoreboard: one cell per slot with httpd's letter, a colour and a shape
// (colour-blind safe: the letter and shape carry the meaning, colour helps).
// One tab stop; arrow keys move between cells (roving tabindex); each cell
// names pid, generation, connection and last request. A table mirror and an
// aria-live summary give the same facts as text.
import { STATUS_KEY } from '../../../engine/protocol/scoreboard.js';
import type { InstanceView, WorkerCell } from '../store.js';

export const KEY: Record<string, string> = STATUS_KEY;

/** What a screen reader hears on a cell, and what the tooltip says ("slot 3", or "slot 1.2" with threads). */
export function cellLabel(slot: string | number, letter: string, w: WorkerCell | undefined): string {
  const parts = [`slot ${slot}: ${letter === '.' ? 'open' : letter} — ${KEY[letter] ?? letter}`];
  if (w) {
    parts.push(`pid ${w.pid}`, `generation ${w.generation}`);
    if (w.connId) parts.push(`connection ${w.connId}`);
    if (w.lastRequest) parts.push(`last request ${w.lastRequest}`);
  }
  return parts.join(', ');
}

/** "3 idle, 2 busy (W K), 1 gracefully finishing" — the aria-live summary. */
export function summary(v: InstanceView | null): string {
  if (!v) return 'No engine running.';
  const letters = [...v.slots].filter((c) => c !== '.' && c !== '_' && c !== 'S' && c !== 'G').join(' ');
  const starting = [...v.slots].filter((c) => c === 'S').length;
  const parts = [`${v.counts.idle} idle`, `${v.counts.busy} busy${letters ? ` (${letters})` : ''}`];
  if (starting) parts.push(`${starting} starting`);
  if (v.counts.graceful) parts.push(`${v.counts.graceful} gracefully finishing`);
  return `${v.mpm || 'engine'} ${v.id}, generation ${v.generation}: ${parts.join(', ')}, ${v.counts.dead} open slots.`;
}

export class ScoreboardView {
  private focusIndex = 0;
  private lastSlots = '';
  /** letters per process: cells are slot × thread, and each process starts a new group */
  private width = 1;

  /** role=grid needs a row: one that does not take part in layout */
  private readonly row: HTMLElement;

  constructor(
    private readonly grid: HTMLElement,
    private readonly summaryEl: HTMLElement | null,
    private readonly table: HTMLTableElement | null,
  ) {
    this.row = document.createElement('div');
    this.row.className = 'sb-row';
    grid.append(this.row);
    grid.addEventListener('keydown', (e) => this.onKey(e));
  }

  render(v: InstanceView | null): void {
    if (this.summaryEl) {
      const text = summary(v);
      if (this.summaryEl.textContent !== text) this.summaryEl.textContent = text;
    }
    const all = v?.slots ?? '';
    // Trailing open slots past the highest used one collapse into one chip (the
    // summary and the chip still count them): 256 dots would bury the few that matter.
    const used = Math.max(all.search(/\.*$/), 0);
    const width = Math.max(1, v?.width ?? 1);
    // whole processes only; at least two more open ones (or 16 cells) after the last used
    const shown = Math.min(all.length, Math.max(Math.ceil(used / width) * width + 2 * width, width === 1 ? used + 8 : 0, 16));
    const slots = all.slice(0, shown);
    this.more(all.length - shown);
    const workers = new Map<number, WorkerCell>();
    for (const g of v?.processes ?? []) for (const w of g.workers) workers.set(w.slot * width + w.thread, w);
    const regroup = width !== this.width;
    this.width = width;
    if (regroup || slots !== this.lastSlots || this.row.childElementCount !== slots.length) this.cells(slots, workers);
    else this.labels(slots, workers);
    this.lastSlots = slots;
    if (this.table) this.renderTable(v);
  }

  private moreChip: HTMLElement | null = null;

  private more(n: number): void {
    if (n <= 0) {
      this.moreChip?.remove();
      this.moreChip = null;
      return;
    }
    if (!this.moreChip) {
      this.moreChip = document.createElement('p');
      this.moreChip.className = 'sb-more pg-muted';
      this.grid.after(this.moreChip);
    }
    const text = `… and ${n} more open slots (.) up to MaxRequestWorkers`;
    if (this.moreChip.textContent !== text) this.moreChip.textContent = text;
  }

  private cells(slots: string, workers: Map<number, WorkerCell>): void {
    const g = this.row;
    while (g.childElementCount > slots.length) g.lastElementChild!.remove();
    while (g.childElementCount < slots.length) {
      const c = document.createElement('span');
      c.className = 'sb-cell';
      c.setAttribute('role', 'gridcell');
      c.tabIndex = -1;
      c.append(document.createElement('span'));
      g.append(c);
    }
    if (this.focusIndex >= slots.length) this.focusIndex = 0;
    // a grid only while there are cells (an empty grid row is invalid ARIA)
    if (slots.length) {
      this.grid.setAttribute('role', 'grid');
      this.grid.setAttribute('aria-label', 'Scoreboard: one cell per worker slot; arrow keys move between cells');
      this.row.setAttribute('role', 'row');
    } else {
      this.grid.removeAttribute('role');
      this.grid.removeAttribute('aria-label');
      this.row.removeAttribute('role');
    }
    this.labels(slots, workers);
  }

  private labels(slots: string, workers: Map<number, WorkerCell>): void {
    const cells = this.row.children;
    for (let i = 0; i < slots.length; i++) {
      const c = cells[i] as HTMLElement;
      const letter = slots[i];
      if (c.dataset.s !== letter) {
        c.dataset.s = letter;
        (c.firstElementChild as HTMLElement).textContent = letter;
      }
      const label = cellLabel(this.width === 1 ? i : `${Math.floor(i / this.width)}.${i % this.width}`, letter, workers.get(i));
      // threaded: each process's threads start a new row
      c.classList.toggle('sb-cell--process', this.width > 1 && i > 0 && i % this.width === 0);
      if (c.title !== label) {
        c.title = label;
        c.setAttribute('aria-label', label);
      }
      c.tabIndex = i === this.focusIndex ? 0 : -1;
    }
  }

  private onKey(e: KeyboardEvent): void {
    const n = this.row.childElementCount;
    if (!n) return;
    const perRow = Math.max(1, Math.round(this.grid.clientWidth / ((this.row.firstElementChild as HTMLElement).offsetWidth || 24)));
    const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: perRow, ArrowUp: -perRow, Home: -n, End: n };
    if (!(e.key in step)) return;
    e.preventDefault();
    this.focusIndex = Math.min(n - 1, Math.max(0, this.focusIndex + step[e.key]));
    for (let i = 0; i < n; i++) (this.row.children[i] as HTMLElement).tabIndex = i === this.focusIndex ? 0 : -1;
    (this.row.children[this.focusIndex] as HTMLElement).focus();
  }

  private renderTable(v: InstanceView | null): void {
    const body = this.table!.tBodies[0];
    const rows: string[][] = [];
    for (const g of v?.processes ?? []) {
      for (const w of g.workers) rows.push([`${w.slot}.${w.thread}`, `${w.status} ${KEY[w.status] ?? ''}`, String(w.pid), String(w.generation), w.connId ?? '', w.lastRequest ?? '']);
    }
    fillRows(body, rows);
  }
}

/** Replace a tbody's rows with text cells (reusing rows: cheap at 60 fps). */
export function fillRows(body: HTMLTableSectionElement, rows: string[][]): void {
  while (body.rows.length > rows.length) body.deleteRow(-1);
  rows.forEach((cells, i) => {
    const tr = body.rows[i] ?? body.insertRow();
    while (tr.cells.length > cells.length) tr.deleteCell(-1);
    cells.forEach((text, j) => {
      const td = tr.cells[j] ?? tr.insertCell();
      if (td.textContent !== text) td.textContent = text;
    });
  });
}
