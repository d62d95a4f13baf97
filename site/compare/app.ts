// The comparison's controller: two engines started from the two side panels,
// one script run against both at once (compare.run), both scoreboards and
// timelines drawn on one time axis, and the summary table. Without a lab it
// replays a recorded comparison through the same code.
import type { LabClient } from '../../engine/protocol/client.js';
import { COMPARE_PRESETS, type CompareSideSpec, type CompareSummary } from '../../engine/protocol/compare.js';
import type { AppSpec, CompareTrackInput, ConfigReport, InstanceSummary, ServerMessage } from '../../engine/protocol/messages.js';
import { appColor } from '../playground/app-view.js';
import { AppLaneView } from './app-lane.js';
import { connect, labAddress, replay } from '../playground/lab.js';
import { PlaygroundStore, type InstanceView } from '../playground/store.js';
import { ScoreboardView, fillRows } from '../playground/views/scoreboard.js';
import { TimelineView } from '../playground/views/timeline.js';
import { renderSlowmo, wireSlowmo } from '../playground/slowmo.js';

const START_HINT = 'No lab is running. Start it with `npm start` and open the URL it prints (it carries your session token), then come back here.';

/** What e2e tests read. */
export interface CompareHook {
  store: PlaygroundStore;
  ids: () => Array<string | null>;
  summaries: () => CompareSummary[] | null;
}
declare global {
  interface Window {
    mpmCompare?: CompareHook[];
  }
}

export function mount(root: HTMLElement): void {
  new Compare(root);
}

interface Side {
  panel: HTMLElement;
  view: HTMLElement;
  scoreboard: ScoreboardView;
  timeline: TimelineView;
  appLane: AppLaneView;
}

class Compare {
  private readonly store = new PlaygroundStore();
  private client: LabClient | null = null;
  private readonly ids: Array<string | null> = [null, null];
  private readonly sides: Side[];
  private busy = false;
  private summaries: CompareSummary[] | null = null;
  private frame = 0;
  private message = '';
  /** the timelines' width in time: the last run, with a little room (15 s before any) */
  private windowMs = 15_000;
  /** after a run the axis stays on it (its end, plus a second), so both sides can be read at leisure */
  private pinnedAt: number | null = null;

  constructor(private readonly root: HTMLElement) {
    this.sides = [0, 1].map((i) => {
      const panel = root.querySelector<HTMLElement>(`[data-side="${i}"]`)!;
      const view = root.querySelector<HTMLElement>(`[data-view="${i}"]`)!;
      const q = (el: HTMLElement, ref: string) => el.querySelector<HTMLElement>(`[data-ref="${ref}"]`);
      const timeline = new TimelineView(q(view, 'tlCanvas') as HTMLCanvasElement, q(view, 'tlSummary'));
      // an /app/ request's bar takes the colour of the application process that ran it: the link to the lane below
      timeline.colorOf = (connId, bar) => {
        const v = this.views()[i];
        const appPid = v && bar.reqId !== undefined ? v.app.byRequest.get(`${connId}#${bar.reqId}`) : undefined;
        return v && appPid !== undefined ? appColor(v.app, appPid) : null;
      };
      return {
        panel,
        view,
        scoreboard: new ScoreboardView(q(view, 'sbGrid')!, q(view, 'sbSummary'), null),
        timeline,
        appLane: new AppLaneView(view.querySelector<SVGSVGElement>('[data-ref="appLane"]')!, q(view, 'appNote'), view.querySelector<HTMLTableSectionElement>('[data-ref="appLinks"]')),
      };
    });
    (window.mpmCompare ??= []).push({ store: this.store, ids: () => [...this.ids], summaries: () => this.summaries });
    this.showPreset(root.dataset.preset ?? COMPARE_PRESETS[0].id);
    this.store.subscribe(() => this.schedule());
    this.wire();
    void this.connect();
  }

  private ref<T extends HTMLElement = HTMLElement>(name: string, within: HTMLElement = this.root): T | null {
    return within.querySelector<T>(`[data-ref="${name}"]`);
  }

  // ---- connection ------------------------------------------------------------

  private async connect(): Promise<void> {
    const addr = labAddress();
    if (addr) {
      this.store.setMode('connecting');
      try {
        this.client = await connect(addr, (c) => c.on((m) => this.onMessage(m)));
        this.store.setMode('live');
        return;
      } catch {
        // fall through to replay
      }
    }
    const trace = this.root.dataset.trace;
    if (trace) {
      try {
        const r = await replay(trace);
        this.client = r;
        r.on((m) => this.onMessage(m));
        r.onCompare((c) => {
          c.sides.forEach((s, i) => (this.ids[i] = s.instance));
          this.windowMs = Math.max(5_000, c.ts - c.started + 2_000);
          this.pinnedAt = c.ts + 1_000;
          this.showSummaries(c.sides.map((s) => s.summary as unknown as CompareSummary));
        });
        this.store.setMode('replay', 'Replaying a recorded comparison — nothing here talks to an engine. ' + START_HINT);
        r.start();
        return;
      } catch {
        // no trace either
      }
    }
    this.store.setMode('disconnected', addr ? 'Could not reach the lab: is `npm start` still running? Open the URL it prints again.' : START_HINT);
  }

  private onMessage(m: ServerMessage): void {
    this.store.apply(m);
    if (this.store.state.mode === 'replay') {
      // a recorded comparison: its two engines, in the order they appear
      const seen = m.type === 'snapshot' ? m.instances.map((i) => i.id) : m.type === 'instance.start' ? [m.instance.id] : [];
      for (const id of seen) if (!this.ids.includes(id)) this.ids[this.ids.indexOf(null)] = id;
    }
    if (m.type === 'instance.exit') {
      const i = this.ids.indexOf(m.instance);
      if (i >= 0 && this.store.state.mode === 'live') this.ids[i] = null;
    }
    this.schedule();
  }

  private req<T>(r: Parameters<LabClient['request']>[0]): Promise<T> {
    if (!this.client) return Promise.reject(new Error('not connected'));
    return this.client.request<T>(r);
  }

  // ---- actions -----------------------------------------------------------------

  private wire(): void {
    wireSlowmo(this.root, (factor) => this.req({ type: 'lab.slowmo', factor }), (t) => this.say(t));
    this.root.addEventListener('click', (e) => {
      const t = (e.target as HTMLElement).closest<HTMLElement>('[data-act]');
      if (!t || !this.root.contains(t)) return;
      const act = t.dataset.act;
      if (act === 'start') void this.act(() => this.start());
      if (act === 'stop') void this.act(() => this.stop());
      if (act === 'run') void this.act(() => this.run());
    });
    this.ref<HTMLSelectElement>('preset')?.addEventListener('change', (e) => {
      const id = (e.target as HTMLSelectElement).value;
      if (id !== 'custom') this.showPreset(id, true);
    });
    for (const side of this.sides) {
      this.ref<HTMLSelectElement>('app', side.panel)?.addEventListener('change', () => this.showPoolBox(side.panel));
    }
    this.ref<HTMLTextAreaElement>('tracks')?.addEventListener('input', () => {
      const sel = this.ref<HTMLSelectElement>('preset');
      if (sel) sel.value = 'custom';
    });
  }

  private showPreset(id: string, chosen = false): void {
    const p = COMPARE_PRESETS.find((x) => x.id === id) ?? COMPARE_PRESETS[0];
    const ta = this.ref<HTMLTextAreaElement>('tracks');
    if (ta) ta.value = JSON.stringify(p.tracks, null, 2);
    // a script made for other engines (the PHP one) sets both sides up for it
    if (chosen && p.sides) {
      p.sides.forEach((spec, i) => this.setSide(i, spec));
      this.say('Both sides are set up for this script: press “Start both” (again), then “Run on both”.');
    }
  }

  private setSide(i: number, spec: CompareSideSpec): void {
    const panel = this.sides[i].panel;
    const set = (ref: string, value: string) => {
      const el = this.ref<HTMLSelectElement | HTMLTextAreaElement>(ref, panel);
      if (el) el.value = value;
    };
    set('mpm', spec.mpm);
    set('backend', spec.backend);
    set('config', spec.config);
    set('app', spec.app?.mode ?? '');
    if (spec.app?.mode === 'fpm') set('pool', spec.app.pool);
    this.showPoolBox(panel);
  }

  private showPoolBox(panel: HTMLElement): void {
    const box = this.ref('poolBox', panel);
    if (box) box.hidden = this.ref<HTMLSelectElement>('app', panel)?.value !== 'fpm';
    const any = this.sides.some((s) => this.ref<HTMLSelectElement>('app', s.panel)?.value);
    for (const s of this.sides) {
      const sec = this.ref('appSection', s.view);
      if (sec && any) sec.hidden = false;
    }
  }

  private async act(f: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.say('');
    this.schedule();
    try {
      await f();
    } catch (e) {
      this.say((e as Error).message);
    } finally {
      this.busy = false;
      this.schedule();
    }
  }

  private say(text: string): void {
    this.message = text;
    const el = this.ref('runText');
    if (el && el.textContent !== text) el.textContent = text;
  }

  private sideInput(i: number): { mpm: string; backend: string; config: string; app?: AppSpec } {
    const p = this.sides[i].panel;
    const mode = this.ref<HTMLSelectElement>('app', p)?.value ?? '';
    const app: AppSpec | null = mode === 'mod_php' ? { mode: 'mod_php' } : mode === 'fpm' ? { mode: 'fpm', pool: this.ref<HTMLTextAreaElement>('pool', p)!.value } : null;
    return {
      mpm: this.ref<HTMLSelectElement>('mpm', p)!.value,
      backend: this.ref<HTMLSelectElement>('backend', p)!.value,
      config: this.ref<HTMLTextAreaElement>('config', p)!.value,
      ...(app ? { app } : {}),
    };
  }

  private async start(): Promise<void> {
    await this.stop();
    this.pinnedAt = null;
    this.summaries = null;
    this.showSummaries(null);
    const started = await Promise.all(
      [0, 1].map((i) =>
        this.req<(InstanceSummary & { started: true }) | { started: false; report: ConfigReport }>({ type: 'engine.start', ...(this.sideInput(i) as never) }).then(
          (r) => ({ i, r }),
          (e: Error) => ({ i, r: { started: false as const, report: { ok: false, effective: [], diagnostics: [], error: e.message } } }),
        ),
      ),
    );
    const refused: string[] = [];
    for (const { i, r } of started) {
      if (r.started) this.ids[i] = r.id;
      else refused.push(`side ${i ? 'B' : 'A'}: ${r.report.error ?? 'refused'}${r.report.errorLine ? ` (line ${r.report.errorLine})` : ''}`);
    }
    if (refused.length) throw new Error(refused.join('; '));
    this.say('Both engines are running. Choose a script and press “Run on both”.');
  }

  private async stop(): Promise<void> {
    const running = this.ids.filter((id): id is string => id !== null && this.store.state.instances.has(id));
    await Promise.all(running.map((id) => this.req({ type: 'engine.stop', instance: id }).catch(() => undefined)));
    this.ids.fill(null);
  }

  private async run(): Promise<void> {
    const ids = this.ids;
    if (!ids[0] || !ids[1]) throw new Error('Start both engines first.');
    let tracks: CompareTrackInput[];
    try {
      tracks = JSON.parse(this.ref<HTMLTextAreaElement>('tracks')!.value) as CompareTrackInput[];
    } catch (e) {
      throw new Error(`The script is not valid JSON: ${(e as Error).message}`);
    }
    this.say('Running the script against both engines at once…');
    this.pinnedAt = null;
    const r = await this.req<{ sides: Array<{ summary: CompareSummary }>; started: number; ended: number }>({ type: 'compare.run', instances: [ids[0], ids[1]], tracks });
    this.windowMs = Math.max(5_000, r.ended - r.started + 2_000);
    this.pinnedAt = r.ended + 1_000;
    this.showSummaries(r.sides.map((s) => s.summary));
    this.say(`Done in ${((r.ended - r.started) / 1000).toFixed(1)} s. The summary is below; the timelines show the same seconds on both sides.`);
  }

  // ---- rendering -------------------------------------------------------------

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  private views(): Array<InstanceView | null> {
    return this.ids.map((id) => (id ? (this.store.state.instances.get(id) ?? null) : null));
  }

  private render(): void {
    this.frame = 0;
    const s = this.store.state;
    this.root.dataset.mode = s.mode;
    const views = this.views();
    const text = this.ref('connText');
    const label =
      s.mode === 'live'
        ? `Connected to the lab${views.every((v) => v) ? ' — both engines running' : ' — press “Start both”'}`
        : s.mode === 'replay'
          ? `Replay: ${s.hint}`
          : s.mode === 'connecting'
            ? 'Connecting to the lab…'
            : `Disconnected. ${s.hint}`;
    if (text && text.textContent !== label) text.textContent = label;
    const live = s.mode === 'live';
    const both = views.every((v) => v && v.state !== 'exited');
    const enable = (sel: string, on: boolean) => this.root.querySelectorAll<HTMLButtonElement | HTMLSelectElement>(sel).forEach((b) => (b.disabled = !on || this.busy));
    enable('[data-act="start"],[data-ref="mpm"],[data-ref="backend"],[data-ref="app"]', live);
    enable('[data-act="stop"]', live && views.some((v) => v));
    enable('[data-act="run"]', live && both);
    enable('[data-ref="slowmo"]', live);
    renderSlowmo(this.root, s.slowmo);
    // one time axis: the later of the two engines' clocks (the same CLOCK_MONOTONIC)
    const nows = views.flatMap((v) => (v ? [v.now] : []));
    const now = this.pinnedAt ?? (nows.length ? Math.max(...nows) : null);
    views.forEach((v, i) => {
      const side = this.sides[i];
      const name = i ? 'B' : 'A';
      const title = v ? `${name}: ${v.mpm}${v.backend === 'httpd' ? ' (real httpd)' : ''} — engine ${v.id}, pid ${v.pid}` : `Side ${name}`;
      const h = this.ref('viewTitle', side.view);
      if (h && h.textContent !== title) h.textContent = title;
      const state = this.ref('state', side.panel);
      const st = v ? `Engine ${v.id} ${v.state} on 127.0.0.1:${v.port}, generation ${v.generation}.` : 'Not started.';
      if (state && state.textContent !== st) state.textContent = st;
      side.scoreboard.render(v);
      const axis = now === null ? null : { now, windowMs: this.windowMs };
      side.timeline.render(v, axis);
      const sec = this.ref('appSection', side.view);
      if (sec && v?.app.mode && sec.hidden) sec.hidden = false;
      if (sec && !sec.hidden) side.appLane.render(v, axis);
    });
    const ha = this.ref('headA');
    const hb = this.ref('headB');
    if (ha) ha.textContent = views[0] ? `A: ${views[0].mpm}` : 'A';
    if (hb) hb.textContent = views[1] ? `B: ${views[1].mpm}` : 'B';
    if (this.message) this.say(this.message);
  }

  private showSummaries(sums: CompareSummary[] | null): void {
    this.summaries = sums;
    const body = this.ref<HTMLTableElement>('summary')?.tBodies[0];
    if (!body) return;
    if (!sums) {
      const td = document.createElement('td');
      td.colSpan = 3;
      td.className = 'pg-muted';
      td.textContent = 'Run the script to fill this table.';
      body.replaceChildren(document.createElement('tr'));
      body.rows[0].append(td);
      return;
    }
    if (body.rows[0]?.cells[0]?.colSpan > 1) body.replaceChildren();
    const ms = (x: number | null) => (x === null ? '—' : `${x.toFixed(1)} ms`);
    const rows: Array<[string, (s: CompareSummary) => string, ((s: CompareSummary) => number) | null]> = [
      ['engine', (s) => `${s.mpm}${s.backend === 'httpd' ? ' (real httpd)' : ''}, engine ${s.instance}`, null],
      ['requests served', (s) => String(s.served), null],
      ['failed', (s) => String(s.failed), (s) => s.failed],
      ['latency p50', (s) => ms(s.p50Ms), (s) => s.p50Ms ?? Infinity],
      ['latency p99', (s) => ms(s.p99Ms), (s) => s.p99Ms ?? Infinity],
      ['peak busy workers', (s) => String(s.peakBusy), null],
      ['peak processes', (s) => String(s.peakProcesses), null],
      ['peak threads', (s) => String(s.peakThreads), null],
      ['waiting in the listen backlog', (s) => (s.backlog ? `${(s.backlog.totalMs / 1000).toFixed(2)} s in all; ${s.backlog.connections} connections over 10 ms, the longest ${s.backlog.maxMs.toFixed(0)} ms` : 'not measured'), (s) => s.backlog?.totalMs ?? Infinity],
      ['peak memory (USS, all processes)', (s) => (s.peakUssKb === null ? '—' : `${(s.peakUssKb / 1024).toFixed(1)} MB`), (s) => s.peakUssKb ?? Infinity],
    ];
    if (sums.some((s) => s.app)) {
      const app = (f: (a: NonNullable<CompareSummary['app']>) => string) => (s: CompareSummary) => (s.app ? f(s.app) : 'no application');
      rows.push(
        ['application', app((a) => (a.mode === 'mod_php' ? 'mod_php, inside the MPM children' : 'PHP-FPM pool')), null],
        ['/app/ requests answered by the application', app((a) => String(a.requests)), null],
        ['application processes that ran them', app((a) => String(a.processesUsed)), null],
        ['application processes alive at the peak', app((a) => `${a.peakProcesses}${a.mode === 'mod_php' ? ' (every MPM child carries it)' : ''}`), null],
        ['pool listen queue at its longest (status, once a second)', app((a) => (a.peakListenQueue === null ? (a.mode === 'mod_php' ? 'no pool' : 'no status seen') : String(a.peakListenQueue))), null],
        ['max children reached during the run', app((a) => (a.maxChildrenReached === null ? 'no pool' : String(a.maxChildrenReached))), null],
      );
    }
    fillRows(body, rows.map(([label, f]) => [label, ...sums.map(f)]));
    // the better side of a lower-is-better measure, in bold (the number is always printed)
    rows.forEach(([, , key], r) => {
      const tr = body.rows[r];
      for (let c = 1; c < tr.cells.length; c++) tr.cells[c].classList.remove('cmp-better');
      if (!key || sums.length !== 2) return;
      const [a, b] = sums.map(key);
      if (a !== b && Number.isFinite(Math.min(a, b))) tr.cells[a < b ? 1 : 2].classList.add('cmp-better');
    });
  }
}
