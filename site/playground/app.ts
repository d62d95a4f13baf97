// The playground's controller: connects (live lab, or a recorded trace in
// replay mode), feeds the store, renders the panels once per frame, and turns
// buttons into lab requests. Monaco and xterm load only when their panels open.
import type { LabClient } from '../../engine/protocol/client.js';
import type { ConfigReport, DriverStepInput, DriverStepResult, InstanceSummary, ServerMessage } from '../../engine/protocol/messages.js';
import { configAfterSwitch, type Mpm } from './defaults.js';
import { connect, labAddress, replay } from './lab.js';
import { PlaygroundStore, type InstanceView } from './store.js';
import { ScoreboardView, fillRows } from './views/scoreboard.js';
import { TimelineView } from './views/timeline.js';
import { renderSlowmo, wireSlowmo } from './slowmo.js';
import type { LessonPanel } from './lesson/panel.js';
import type { ChildMemory } from './lesson/sizing.js';

interface EditorHandle {
  getValue(): string;
  setValue(v: string): void;
  setMpm(mpm: Mpm): void;
  setReport(r: ConfigReport | null): void;
  onApply(cb: () => void): () => void;
  focus(): void;
}

/** What e2e tests read: the store, and how long events took from the engine to the screen. */
export interface DebugHook {
  store: PlaygroundStore;
  /** engine → on screen, per request, ms */
  latencies: number[];
  /** engine → message received by the page, per request, ms (the transport's share) */
  arrivals: number[];
  instance: () => string | null;
  /** a lesson playground: the last run its predict question and claims were checked against */
  lastRun?: { backend: string; events: readonly unknown[]; results: readonly DriverStepResult[] };
}
declare global {
  interface Window {
    mpmLab?: DebugHook[];
  }
}

const START_HINT = 'No lab is running. Start it with `npm start` and open the URL it prints (it carries your session token).';

export function mount(root: HTMLElement): void {
  new Playground(root);
}

class Playground {
  private readonly store = new PlaygroundStore();
  private client: LabClient | null = null;
  private current: string | null = null;
  private config: string;
  private mpm: Mpm;
  private readonly script: DriverStepInput[] | null;
  private frame = 0;
  private busy = false;
  private editor: EditorHandle | null = null;
  private lastReport: ConfigReport | null = null;
  private readonly latencies: number[] = [];
  private readonly arrivals: number[] = [];
  private seenRequests = 0;
  private readonly scoreboard: ScoreboardView | null;
  private readonly timeline: TimelineView | null;
  private readonly errorLog: LogView;
  private readonly accessLog: LogView;
  private readonly hook: DebugHook;
  /** a lesson's playground: its panel (predict, claims, solution), loaded with the lesson's experiments */
  private lesson: LessonPanel | null = null;
  private readonly lessonReady: Promise<typeof import('./lesson/panel.js') | null>;

  constructor(private readonly root: HTMLElement) {
    const d = root.dataset;
    this.config = d.config ?? '';
    this.mpm = (d.mpm as Mpm) ?? 'prefork';
    this.script = d.script ? (JSON.parse(d.script) as DriverStepInput[]) : null;
    const grid = this.ref('sbGrid');
    this.scoreboard = grid ? new ScoreboardView(grid, this.ref('sbSummary'), this.ref('sbTable') as HTMLTableElement | null) : null;
    const canvas = this.ref('tlCanvas') as HTMLCanvasElement | null;
    this.timeline = canvas ? new TimelineView(canvas, this.ref('tlSummary')) : null;
    this.errorLog = new LogView(this.ref('errorLog'));
    this.accessLog = new LogView(this.ref('accessLog'));
    this.hook = { store: this.store, latencies: this.latencies, arrivals: this.arrivals, instance: () => this.current };
    (window.mpmLab ??= []).push(this.hook);
    const lessonId = d.experiment;
    this.lessonReady = lessonId
      ? import('./lesson/panel.js').then((m) => {
          const x = m.lessonExperiment(lessonId);
          if (x) this.lesson = new m.LessonPanel(root, x);
          return m;
        })
      : Promise.resolve(null);
    this.store.subscribe(() => this.schedule());
    const origin = this.ref('origin');
    if (origin) origin.textContent = location.origin;
    this.wire();
    void this.connect();
  }

  private ref(name: string): HTMLElement | null {
    return this.root.querySelector(`[data-ref="${name}"]`);
  }

  // ---- connection ------------------------------------------------------------

  private async connect(): Promise<void> {
    const addr = labAddress();
    if (addr) {
      this.store.setMode('connecting');
      try {
        this.client = await connect(addr, (c) => c.on((m) => this.onMessage(m)));
        this.store.setMode('live');
        // what this config would do, before anything starts
        void this.req<ConfigReport>({ type: 'config.check', mpm: this.mpm, config: this.config }).then((r) => this.showReport(r), () => undefined);
        return;
      } catch {
        // fall through to replay
      }
    }
    const lessonModule = await this.lessonReady.catch(() => null);
    const trace = this.root.dataset.trace ?? (this.lesson && lessonModule ? await lessonModule.lessonTraceUrl(this.lesson.x.id) : null);
    if (trace) {
      try {
        const r = await replay(trace);
        this.client = r;
        r.on((m) => this.onMessage(m));
        r.onDrive((d) => this.showResults(d.results));
        // the recorded run answers the lesson's question, as a live one would
        r.onEnd(() => void this.lessonRun(r.lines));
        this.store.setMode('replay', 'Replaying a recorded run — nothing here talks to an engine. ' + START_HINT);
        r.start();
        return;
      } catch {
        // no trace either
      }
    }
    this.store.setMode('disconnected', addr ? 'Could not reach the lab: is `npm start` still running? Open the URL it prints again.' : START_HINT);
  }

  private onMessage(m: ServerMessage): void {
    if (m.type === 'events' && this.store.state.mode === 'live') {
      const now = Date.now();
      for (const e of m.events) if (e.type === 'request.end') this.arrivals.push(now - (this.store.wallTime(e.ts) ?? now));
      if (this.arrivals.length > 10_000) this.arrivals.splice(0, this.arrivals.length - 10_000);
    }
    this.store.apply(m);
    const before = this.current;
    if (m.type === 'snapshot' && this.current && !this.store.state.instances.has(this.current)) this.current = null;
    if (m.type === 'snapshot' && !this.current && m.instances.length) this.current = m.instances[0].id;
    if (m.type === 'instance.exit' && m.instance === this.current) this.current = null;
    if (this.current !== before) this.engineChanged();
  }

  /** the raw terminal says which engine its next connection goes to */
  private engineChanged(): void {
    this.terminal?.note(this.current ? `engine ${this.current} is running: the next Enter connects to it` : 'the engine stopped');
  }

  // ---- rendering ---------------------------------------------------------------

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  private view(): InstanceView | null {
    if (this.current) return this.store.state.instances.get(this.current) ?? null;
    const first = this.store.state.instances.values().next();
    return first.done ? null : first.value;
  }

  private drawn = { view: null as InstanceView | null, version: -1, mode: '' };

  private render(): void {
    this.frame = 0;
    const s = this.store.state;
    const v = this.view();
    this.root.dataset.mode = s.mode;
    const text = this.ref('connText');
    const label =
      s.mode === 'live'
        ? `Connected to the lab${v ? ` — engine ${v.id} (${v.mpm}) ${v.state} on 127.0.0.1:${v.port}` : ' — no engine running: press Start'}${s.recording ? ' — recording' : ''}`
        : s.mode === 'replay'
          ? `Replay: ${s.hint}`
          : s.mode === 'connecting'
            ? 'Connecting to the lab…'
            : `Disconnected. ${s.hint}`;
    if (text && text.textContent !== label) text.textContent = label;
    this.controls(v);
    // the panels redraw only when the engine's picture changed
    const d = this.drawn;
    if (v === d.view && (v?.version ?? -1) === d.version && s.mode === d.mode) return;
    d.view = v;
    d.version = v?.version ?? -1;
    d.mode = s.mode;
    this.scoreboard?.render(v);
    if (this.timeline && isShown(this.ref('tlCanvas'))) this.timeline.render(v);
    this.errorLog.render(v?.errorLog ?? []);
    this.accessLog.render(v?.accessLog ?? [], '%P %{tid}P %k %X "%r" %>s');
    this.measure(v);
  }

  /** event-to-screen: engine timestamp of each newly shown request → now, in ms */
  private measure(v: InstanceView | null): void {
    if (!v) return;
    const now = Date.now();
    const rows = v.requests;
    const fresh = rows.length && rows[rows.length - 1].n > this.seenRequests ? rows.filter((r) => r.n > this.seenRequests) : [];
    for (const r of fresh) {
      const wall = this.store.wallTime(r.ts);
      if (wall !== null && this.store.state.mode === 'live') this.latencies.push(now - wall);
    }
    if (rows.length) this.seenRequests = rows[rows.length - 1].n;
    if (this.latencies.length > 10_000) this.latencies.splice(0, this.latencies.length - 10_000);
  }

  private controls(v: InstanceView | null): void {
    const live = this.store.state.mode === 'live';
    const running = live && !!v && v.state !== 'exited';
    const set = (sel: string, on: boolean) => this.root.querySelectorAll<HTMLButtonElement | HTMLSelectElement>(sel).forEach((b) => (b.disabled = !on || this.busy));
    set('[data-act="start"]', live);
    set('[data-ref="mpm"],[data-ref="backend"]', live);
    const note = this.ref('httpdNote');
    if (note) note.hidden = v?.backend !== 'httpd';
    set('[data-act="stop"],[data-act="graceful"],[data-act="hard"]', running);
    set('[data-drive]', running);
    set('[data-act="script"]', live);
    set('[data-act="record"]', live);
    set('[data-ref="slowmo"]', live);
    renderSlowmo(this.root, this.store.state.slowmo);
    set('[data-act="measure"]', running);
    set('[data-ref="victim"],[data-ref="signal"],[data-act="kill"]', running && !!v?.processes.length);
    const form = this.ref('connectForm');
    if (form) form.hidden = live || this.store.state.mode === 'connecting';
    this.victims(v);
    set('[data-act="edit"]', true);
    set('[data-act="apply"]', live);
    const rec = this.root.querySelector('[data-act="record"]');
    if (rec) {
      rec.setAttribute('aria-pressed', String(this.store.state.recording));
      rec.textContent = this.store.state.recording ? 'Stop recording' : 'Record';
    }
  }

  // ---- actions -------------------------------------------------------------------

  private wire(): void {
    wireSlowmo(this.root, (factor) => this.req({ type: 'lab.slowmo', factor }), (t) => this.say(t));
    this.root.addEventListener('click', (e) => {
      const t = (e.target as HTMLElement).closest<HTMLElement>('[data-act],[data-drive],[data-tab]');
      if (!t || !this.root.contains(t)) return;
      if (t.dataset.tab) return this.tab(t.dataset.tab);
      if (t.dataset.drive) return void this.act(() => this.drive(this.steps(t.dataset.drive!)));
      const act = t.dataset.act!;
      const actions: Record<string, () => Promise<unknown>> = {
        start: () => this.start(),
        stop: () => this.req({ type: 'engine.stop', instance: this.current! }),
        graceful: () => this.req({ type: 'engine.restart', instance: this.current!, mode: 'graceful' }),
        hard: () => this.req({ type: 'engine.restart', instance: this.current!, mode: 'hard' }),
        record: () => this.record(),
        script: async () => {
          if (this.lesson) return this.runExperiment();
          if (!this.current) await this.start();
          await this.drive(this.script ?? []);
        },
        solution: async () => this.lesson?.showSolution(this.currentConfig()),
        measure: () => this.measureMemory(),
        edit: () => this.openEditor(),
        apply: () => this.apply(),
        kill: () => this.kill(),
      };
      void this.act(actions[act]);
    });
    this.ref('connectForm')?.addEventListener('submit', (e) => {
      e.preventDefault();
      const input = (e.target as HTMLFormElement).elements.namedItem('url') as HTMLInputElement;
      try {
        const u = new URL(input.value.trim());
        const token = u.searchParams.get('token');
        if (!token) throw new Error('that URL has no ?token=…; copy the whole line `mpm-lab start` printed');
        const here = new URL(location.href);
        here.searchParams.set('token', token);
        if (u.origin !== location.origin) here.searchParams.set('lab', u.origin);
        location.assign(here.toString());
      } catch (err) {
        input.setCustomValidity((err as Error).message.startsWith('that') ? (err as Error).message : 'Paste the whole URL, e.g. http://127.0.0.1:4321/?token=…');
        input.reportValidity();
        input.addEventListener('input', () => input.setCustomValidity(''), { once: true });
      }
    });
    for (const r of ['ramMb', 'childMb']) this.ref(r)?.addEventListener('input', () => void this.size());
    this.root.querySelector('[data-ref="mpm"]')?.addEventListener('change', (e) => {
      const from = this.mpm;
      this.mpm = (e.target as HTMLSelectElement).value as Mpm;
      this.config = configAfterSwitch(this.currentConfig(), from, this.mpm);
      this.editor?.setValue(this.config);
      this.editor?.setMpm(this.mpm);
      const pre = this.ref('cfgText');
      if (pre && !this.editor) pre.textContent = this.config;
      void this.req<ConfigReport>({ type: 'config.check', mpm: this.mpm, config: this.config }).then((r) => this.showReport(r), () => undefined);
    });
    this.root.querySelector('[role="tablist"]')?.addEventListener('keydown', (e) => {
      const ev = e as KeyboardEvent;
      if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') return;
      const tabs = [...this.root.querySelectorAll<HTMLElement>('[role="tab"]')];
      const i = tabs.indexOf(document.activeElement as HTMLElement);
      const next = tabs[(i + (ev.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      next.focus();
      this.tab(next.dataset.tab!);
    });
  }

  private async act(f: (() => Promise<unknown>) | undefined): Promise<void> {
    if (!f) return;
    this.busy = true;
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

  private say(message: string): void {
    const ul = this.ref('cfgDiags');
    const status = this.ref('reqSummary') ?? ul;
    if (status) status.textContent = message;
  }

  private req<T = unknown>(r: Parameters<LabClient['request']>[0]): Promise<T> {
    if (!this.client) throw new Error(START_HINT);
    return this.client.request<T>(r);
  }

  private backend(): 'node' | 'httpd' {
    return (this.ref('backend') as HTMLSelectElement | null)?.value === 'httpd' ? 'httpd' : 'node';
  }

  private currentConfig(): string {
    return this.editor?.getValue() ?? this.config;
  }

  private async start(): Promise<void> {
    if (this.current) await this.req({ type: 'engine.stop', instance: this.current }).catch(() => undefined);
    const r = await this.req<(InstanceSummary & { started: true }) | { started: false; report: ConfigReport }>({ type: 'engine.start', mpm: this.mpm, backend: this.backend(), config: this.currentConfig() });
    if (!r.started) {
      this.showReport(r.report);
      throw new Error(`The engine did not start: ${r.report.error ?? 'the configuration was refused'}`);
    }
    this.current = r.id;
    this.engineChanged();
    this.showReport(r.report);
  }

  private rssMb: number | null = null;

  /** the sizing panel: each running child's memory, from the lab */
  private async measureMemory(): Promise<void> {
    if (!this.current) throw new Error('Start an engine first.');
    const { averageMb } = await import('./lesson/sizing.js');
    const { children } = await this.req<{ children: ChildMemory[] }>({ type: 'instance.memory', instance: this.current });
    const table = this.ref('memTable') as HTMLTableElement | null;
    const mb = (kb: number) => (kb / 1024).toFixed(1);
    if (table) fillRows(table.tBodies[0], children.map((c) => [String(c.pid), mb(c.rssKb), mb(c.pssKb), mb(c.ussKb)]));
    const uss = averageMb(children, 'ussKb');
    this.rssMb = averageMb(children, 'rssKb');
    const input = this.ref('childMb') as HTMLInputElement | null;
    if (input && uss !== null) input.value = uss.toFixed(1);
    await this.size();
  }

  private async size(): Promise<void> {
    const out = this.ref('memResult');
    if (!out) return;
    const { sizeFor } = await import('./lesson/sizing.js');
    const ram = Number((this.ref('ramMb') as HTMLInputElement | null)?.value);
    const per = Number((this.ref('childMb') as HTMLInputElement | null)?.value);
    const s = sizeFor(ram, per, this.rssMb);
    out.textContent = !s
      ? 'Measure, or type a per-child figure.'
      : `${ram} MiB ÷ ${per} MiB a child ≈ ${s.children} children: MaxRequestWorkers ${s.children} (prefork; threaded MPMs: that many processes × ThreadsPerChild).` +
        (s.byRss !== null ? ` Dividing by RSS instead would allow only ${s.byRss}: RSS counts the shared pages once per child.` : '');
  }

  /** A lesson's experiment: a fresh engine with its config, its steps, then its claims and question checked against the run. */
  private async runExperiment(): Promise<void> {
    const lesson = this.lesson!;
    if (!this.client) throw new Error(START_HINT);
    if (this.current) await this.req({ type: 'engine.stop', instance: this.current }).catch(() => undefined);
    this.current = null;
    const { execute } = await import('../../lessons/lib/execute.js');
    const x = { ...lesson.x, mpm: this.mpm, config: this.currentConfig() };
    const text = this.ref('scriptText');
    const said = text?.textContent ?? '';
    try {
      const { run } = await execute(this.client, x, this.backend(), {
        started: (id) => {
          this.current = id;
          this.engineChanged();
        },
        step: (i) => {
          if (text) text.textContent = i < x.steps.length ? `Running step ${i + 1} of ${x.steps.length}…` : 'Collecting the last events…';
        },
      });
      this.showResults(run.results);
      this.hook.lastRun = { backend: run.backend, events: run.events, results: run.results };
      lesson.onRun(run, true);
    } finally {
      if (text) text.textContent = said;
    }
  }

  private async lessonRun(lines: import('../../engine/protocol/trace.js').TraceLine[]): Promise<void> {
    if (!this.lesson) return;
    const { Run } = await import('../../lessons/lib/experiment.js');
    const run = Run.fromTrace(lines);
    this.hook.lastRun = { backend: run.backend, events: run.events, results: run.results };
    this.lesson.onRun(run, false);
  }

  private steps(kind: string): DriverStepInput[] {
    const num = (ref: string, d: number) => {
      const el = this.ref(ref) as HTMLInputElement | null;
      const v = el ? Number(el.value) : d;
      return Number.isFinite(v) && v >= 1 ? Math.floor(v) : d;
    };
    const n = num('n', 6);
    const think = Math.max(0, Number((this.ref('think') as HTMLInputElement | null)?.value ?? 300) || 0);
    const c = num('c', 5);
    const path = ((this.ref('path') as HTMLInputElement | null)?.value || '/').trim();
    switch (kind) {
      case 'http10':
        return [{ mode: 'sequential', n, version: '1.0', path }];
      case 'keepalive':
        return [{ mode: 'keepalive', n, thinkMs: think, version: '1.1', path }];
      case 'pipelined':
        return [{ mode: 'pipelined', n, path }];
      case 'burst':
        return [{ mode: 'burst', connections: c, requests: n, path }];
      default:
        return [{ mode: 'hold', connections: c, ms: Math.max(think, 1000) }];
    }
  }

  private async drive(steps: DriverStepInput[]): Promise<void> {
    if (!this.current) throw new Error('Start an engine first.');
    const results = await this.req<DriverStepResult[]>({ type: 'drive', instance: this.current, steps: steps as never });
    this.showResults(results);
  }

  private showResults(results: readonly DriverStepResult[]): void {
    const table = this.ref('reqTable') as HTMLTableElement | null;
    const rows: string[][] = [];
    let i = 0;
    for (const step of results) {
      for (const r of step.requests) {
        i++;
        rows.push([String(i), r.status === null ? (r.error ?? '—') : String(r.status), str(r.pid), str(r.tid), r.slot ?? '—', str(r.keepalive), r.connId ?? '—', r.ms.toFixed(1)]);
      }
    }
    if (table) fillRows(table.tBodies[0], rows.slice(-500));
    const pids = new Set(results.flatMap((s) => s.requests.map((r) => r.pid)).filter((p) => p !== null));
    const summary = this.ref('reqSummary');
    if (summary) summary.textContent = `${i} requests, served by ${pids.size} ${pids.size === 1 ? 'child' : 'children'}${pids.size ? ` (pid ${[...pids].join(', ')})` : ''}.`;
  }

  /** the kill-a-child list: the engine's live children */
  private victims(v: InstanceView | null): void {
    const sel = this.ref('victim') as HTMLSelectElement | null;
    if (!sel) return;
    // live children of the current generation (old ones are on their way out)
    const live = (v?.processes ?? []).filter((g) => g.generation === v!.generation && g.workers.some((w) => w.status !== 'G' && w.status !== '.'));
    const pids = live.map((g) => `${g.pid}`);
    const have = [...sel.options].map((o) => o.value).filter(Boolean);
    if (pids.join() === have.join()) return;
    const keep = sel.value;
    sel.replaceChildren(...live.map((g) => new Option(`pid ${g.pid} (slot ${g.slot})`, `${g.pid}`)));
    if (pids.includes(keep)) sel.value = keep;
  }

  private async kill(): Promise<void> {
    const pid = Number((this.ref('victim') as HTMLSelectElement).value);
    const signal = (this.ref('signal') as HTMLSelectElement).value as 'SIGTERM';
    if (!this.current || !pid) throw new Error('Choose a child first.');
    await this.req({ type: 'child.kill', instance: this.current, pid, signal });
  }

  private async record(): Promise<void> {
    if (!this.store.state.recording) {
      await this.req({ type: 'record.start' });
      this.store.state.recording = true;
      return;
    }
    const r = await this.req<{ name: string }>({ type: 'record.stop' });
    this.store.state.recording = false;
    const { text } = await this.req<{ text: string }>({ type: 'traces.get', name: r.name });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
    a.download = r.name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  // ---- config ----------------------------------------------------------------------

  private async openEditor(): Promise<void> {
    const host = this.ref('cfgHost');
    if (!host || this.editor) return this.editor?.focus();
    const { mountEditor } = await import('./editor/index.js');
    host.textContent = '';
    host.classList.add('cfg-host--editor');
    this.editor = await mountEditor(host, { value: this.config, mpm: this.mpm, directivesUrl: this.root.dataset.directives ?? '/directives.json', label: 'Engine configuration (Apache syntax)' });
    this.editor.onApply(() => void this.act(() => this.apply()));
    if (this.lastReport) this.editor.setReport(this.lastReport);
    this.editor.focus();
  }

  private async apply(): Promise<void> {
    const text = this.currentConfig();
    this.config = text;
    const report = this.current
      ? await this.req<ConfigReport>({ type: 'engine.apply', instance: this.current, config: text })
      : await this.req<ConfigReport>({ type: 'config.check', mpm: this.mpm, config: text });
    this.showReport(report);
  }

  private showReport(r: ConfigReport): void {
    this.lastReport = r;
    this.editor?.setReport(r);
    const ul = this.ref('cfgDiags');
    if (ul) {
      ul.textContent = '';
      const items = [...(r.error ? [{ text: r.error, line: r.errorLine, cls: 'error' }] : []), ...r.diagnostics.map((d) => ({ text: `${d.ah ? d.ah + ': ' : ''}${d.text}`, line: d.line, cls: d.level }))];
      for (const it of items) {
        const li = document.createElement('li');
        li.className = `diag diag--${it.cls}`;
        li.textContent = `${it.line ? `line ${it.line}: ` : ''}${it.text}`;
        ul.append(li);
      }
    }
    const eff = this.ref('cfgEffective') as HTMLTableElement | null;
    if (eff) fillRows(eff.tBodies[0], r.effective.map(([k, v]) => [k, v]));
    const pre = this.ref('cfgText');
    if (pre && !this.editor) pre.textContent = this.config;
  }

  // ---- console tabs ------------------------------------------------------------------

  private tab(name: string): void {
    for (const t of this.root.querySelectorAll<HTMLElement>('[role="tab"]')) {
      const on = t.dataset.tab === name;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
    }
    for (const p of this.root.querySelectorAll<HTMLElement>('[role="tabpanel"]')) p.hidden = p.dataset.panel !== name;
    if (name === 'terminal') void this.openTerminal();
    this.drawn.version = -1; // a log tab that was hidden catches up now
    this.schedule();
  }

  private terminalOpen = false;
  private terminal: { note(text: string): void; focus(): void } | null = null;
  private async openTerminal(): Promise<void> {
    const host = this.ref('termHost');
    if (!host || this.terminalOpen || !this.client) return;
    this.terminalOpen = true;
    const { mountTerminal } = await import('./terminal/index.js');
    this.terminal = await mountTerminal(host, { client: this.client, instance: () => this.current, label: 'Raw connection to the engine' });
  }
}

function str(v: number | null): string {
  return v === null ? '—' : String(v);
}

function isShown(el: HTMLElement | null): boolean {
  return !!el && !el.closest('[hidden]');
}

/** A log panel that appends what is new (and rewrites only when old lines rolled off). */
class LogView {
  private first: string | undefined;
  private count = 0;

  constructor(private readonly el: HTMLElement | null) {}

  render(lines: readonly string[], header?: string): void {
    const el = this.el;
    if (!el || !isShown(el)) return;
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
    if (lines[0] === this.first && lines.length >= this.count && this.count > 0) {
      if (lines.length === this.count) return;
      el.append('\n' + lines.slice(this.count).join('\n'));
    } else {
      el.textContent = (header && lines.length ? header + '\n' : '') + lines.join('\n');
    }
    this.first = lines[0];
    this.count = lines.length;
    if (atBottom) el.scrollTop = el.scrollHeight;
  }
}
