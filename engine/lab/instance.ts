// One engine instance under the lab: `mpm-lab run --events jsonl` as its own
// process tree, so a crash, hard restart or SIGKILL of the instance never takes
// the lab down, and `ps` shows the same tree a learner would see with httpd.
// The lab keeps what a late subscriber needs (scoreboard, workers, children,
// recent events) and batches events per tick for the fan-out.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checkConfig, describeEffective, loadConfig, type MpmName } from '../config/index.js';
import { MPM_NAMES } from '../config/directives.js';
import type { EngineEvent } from '../protocol/events.js';
import type { ConfigReport, InstanceSnapshot, InstanceSummary } from '../protocol/messages.js';
import { binPath } from '../platform/paths.js';
import { memoryOf, parentOf, type Memory } from '../platform/proc.js';

const RECENT = 300;

/** What the engine will run with, computed by the same code the engine uses. */
export function configReport(mpm: string, text: string, sets: readonly string[] = []): ConfigReport {
  if (!(MPM_NAMES as readonly string[]).includes(mpm)) {
    return { ok: false, effective: [], diagnostics: [], error: `unknown MPM '${mpm}'` };
  }
  const loaded = loadConfig({ mpm: mpm as MpmName, text, file: 'config', sets });
  const diag = (d: { level: string; module: string; ah: string; text: string; startup: boolean; line?: number; directive?: string }) => ({
    level: d.level,
    module: d.module,
    ah: d.ah,
    text: d.text,
    startup: d.startup,
    ...(d.line !== undefined ? { line: d.line } : {}),
    ...(d.directive !== undefined ? { directive: d.directive } : {}),
  });
  if (!loaded.ok) {
    return { ok: false, effective: [], diagnostics: loaded.diagnostics.map(diag), error: loaded.error, ...(loaded.location?.line ? { errorLine: loaded.location.line } : {}) };
  }
  const checked = checkConfig(mpm as MpmName, loaded.raw, { startup: true });
  return { ok: true, effective: describeEffective(checked.config), diagnostics: [...loaded.diagnostics, ...checked.diagnostics].map(diag) };
}

export interface StartOptions {
  id: string;
  mpm: string;
  backend: 'node' | 'httpd';
  config: string;
  sets: string[];
  maxProcesses: number;
  maxThreads?: number;
  /** where the instance's config file is written */
  dir: string;
  /** httpd backend: poll its scoreboard (one connection a second to httpd); off for experiments that count connections */
  statusPoll?: boolean;
  /** /app/: a pool (its config text) or mod_php */
  app?: { mode: 'fpm'; pool: string } | { mode: 'mod_php' };
  /** receives every batch of events from the first one (startup lines included) */
  onEvents?: (batch: EngineEvent[]) => void;
}

export class EngineInstance {
  readonly id: string;
  readonly mpm: string;
  readonly backend: string;
  port = 0;
  state = 'starting';
  generation = 0;
  config: string;
  report: ConfigReport;
  exited: Promise<{ code: number | null; signal: string | null }>;
  private proc!: ChildProcess;
  private readonly file: string;
  private scoreboard: EngineEvent | null = null;
  private readonly workers = new Map<string, EngineEvent>();
  private readonly children = new Map<number, { pid: number; slot: number; generation: number }>();
  private readonly recent: EngineEvent[] = [];
  /** the application pool's live processes and its last status (for a late subscriber and compare.run) */
  private readonly poolProcesses = new Map<number, { pid: number; pool: string; ts: number }>();
  private poolStatus: EngineEvent | null = null;
  private batch: EngineEvent[] = [];
  private flushScheduled = false;
  private stderrTail = '';
  /** the server's parent process: our `mpm-lab run` for the node backend, httpd's parent for httpd */
  private serverPid = 0;
  private listeners = new Set<(batch: EngineEvent[]) => void>();

  private constructor(private readonly opts: StartOptions, report: ConfigReport) {
    this.id = opts.id;
    this.mpm = opts.mpm;
    this.backend = opts.backend;
    this.config = opts.config;
    this.report = report;
    this.file = path.join(opts.dir, `${opts.id}.conf`);
    this.exited = new Promise(() => undefined);
  }

  get pid(): number {
    return this.proc.pid ?? 0;
  }

  /** Start an engine; resolves once it listens, rejects with what it said if it cannot. */
  static async start(opts: StartOptions): Promise<EngineInstance> {
    const report = configReport(opts.mpm, opts.config, opts.sets);
    if (!report.ok) throw new Error(report.error ?? 'the configuration was refused');
    const inst = new EngineInstance(opts, report);
    if (opts.onEvents) inst.onEvents(opts.onEvents);
    await inst.spawn();
    return inst;
  }

  private spawn(): Promise<void> {
    fs.mkdirSync(this.opts.dir, { recursive: true });
    fs.writeFileSync(this.file, this.config);
    const args = [binPath(), 'run', '--mpm', this.mpm, '--backend', this.backend, '--listen', '127.0.0.1:0', '--events', 'jsonl', '--config', this.file, '--max-processes', String(this.opts.maxProcesses), ...(this.opts.maxThreads ? ['--max-threads', String(this.opts.maxThreads)] : [])];
    for (const s of this.opts.sets) args.push('--set', s);
    const app = this.opts.app;
    if (app?.mode === 'mod_php') args.push('--app', 'mod_php');
    if (app?.mode === 'fpm') {
      const poolFile = path.join(this.opts.dir, `${this.id}.pool.conf`);
      fs.writeFileSync(poolFile, app.pool);
      args.push('--app', `fpm:${poolFile}`);
    }
    // The IPC channel is a lifeline only: when the lab dies, even by SIGKILL, the
    // engine sees it close and stops (and its children with it).
    const env = this.opts.statusPoll === false ? { ...process.env, MPM_LAB_HTTPD_STATUS_POLL: '0' } : process.env;
    this.proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    let out = '';
    return new Promise((resolve, reject) => {
      let ready = false;
      this.proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        let i;
        while ((i = out.indexOf('\n')) >= 0) {
          const line = out.slice(0, i);
          out = out.slice(i + 1);
          if (line.startsWith('{')) this.onEvent(JSON.parse(line) as EngineEvent);
          else if (!ready) {
            const m = /^listening on 127\.0\.0\.1:(\d+)$/.exec(line);
            if (m) {
              ready = true;
              this.port = Number(m[1]);
              this.state = 'running';
              resolve();
            }
          }
        }
      });
      this.proc.stderr!.on('data', (d: Buffer) => {
        this.stderrTail = (this.stderrTail + d.toString()).slice(-4000);
      });
      void this.exited.then(({ code }) => {
        this.state = 'exited';
        if (!ready) reject(new Error(`the engine exited (${code}) before listening: ${this.stderrTail.trim().split('\n').slice(-3).join(' | ')}`));
      });
    });
  }

  private onEvent(e: EngineEvent): void {
    switch (e.type) {
      case 'engine.state':
        this.state = e.state;
        this.generation = e.generation;
        this.serverPid = e.pid;
        break;
      case 'scoreboard':
        this.scoreboard = e;
        break;
      case 'worker.status':
        this.workers.set(`${e.slot}.${e.thread}`, e);
        break;
      case 'child.spawn':
        this.children.set(e.pid, { pid: e.pid, slot: e.slot, generation: e.generation });
        this.remember(e);
        break;
      case 'child.exit':
        this.children.delete(e.pid);
        this.remember(e);
        break;
      case 'request.end':
      case 'log':
        this.remember(e);
        break;
      case 'pool.spawn':
        this.poolProcesses.set(e.pid, { pid: e.pid, pool: e.pool, ts: e.ts });
        break;
      case 'pool.exit':
        this.poolProcesses.delete(e.pid);
        break;
      case 'pool.status':
        this.poolStatus = e;
        break;
    }
    this.batch.push(e);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private remember(e: EngineEvent): void {
    this.recent.push(e);
    if (this.recent.length > RECENT) this.recent.splice(0, this.recent.length - RECENT);
  }

  private flush(): void {
    this.flushScheduled = false;
    const b = this.batch;
    this.batch = [];
    for (const l of this.listeners) l(b);
  }

  onEvents(listener: (batch: EngineEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** httpd's signals: USR1 graceful restart, HUP restart, WINCH graceful stop, TERM stop. */
  signal(sig: 'SIGUSR1' | 'SIGHUP' | 'SIGWINCH' | 'SIGTERM'): void {
    if (this.state !== 'exited') this.proc.kill(sig);
  }

  /** Write a new config and restart gracefully, as `apachectl graceful` after an edit. */
  apply(config: string): ConfigReport {
    const report = configReport(this.mpm, config, this.opts.sets);
    if (!report.ok) return report;
    this.config = config;
    this.report = report;
    fs.writeFileSync(this.file, config);
    this.signal('SIGUSR1');
    return report;
  }

  /** Signal one of this instance's children — never any other process. */
  /** Each live child's memory, from /proc (RSS, PSS, USS in kB). */
  memory(): Array<{ pid: number } & Memory> {
    return [...this.children.keys()].flatMap((pid) => {
      const m = memoryOf(pid);
      return m ? [{ pid, ...m }] : [];
    });
  }

  /** Slow motion reaches the node engine's parent over its IPC channel; real httpd is never slowed. */
  setSlowmo(factor: number): boolean {
    if (this.backend !== 'node' || !this.proc.connected) return false;
    this.proc.send({ t: 'slowmo', factor });
    return true;
  }

  /** USS of the server's parent process (kB), 0 if unknown */
  parentMemory(): number {
    return memoryOf(this.serverPid || this.pid)?.ussKb ?? 0;
  }

  killChild(pid: number, sig: NodeJS.Signals): void {
    // the httpd backend's children belong to httpd, which is our `mpm-lab run`'s child
    const parent = parentOf(pid);
    const ours = parent === this.pid || (this.backend === 'httpd' && parentOf(parent) === this.pid);
    if (!this.children.has(pid) || !ours) throw new Error(`pid ${pid} is not a child of this engine (its children: ${[...this.children.keys()].join(', ') || 'none'})`);
    process.kill(pid, sig);
  }

  async stop(): Promise<void> {
    if (this.state === 'exited') return;
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(t);
    fs.rmSync(this.file, { force: true });
    fs.rmSync(path.join(this.opts.dir, `${this.id}.pool.conf`), { force: true });
  }

  summary(): InstanceSummary {
    return { id: this.id, mpm: this.mpm, backend: this.backend, port: this.port, pid: this.pid, state: this.state, generation: this.generation, config: this.config, report: this.report, ...(this.opts.app ? { app: this.opts.app.mode } : {}) };
  }

  snapshot(): InstanceSnapshot {
    return {
      ...this.summary(),
      scoreboard: this.scoreboard,
      workers: Object.fromEntries(this.workers),
      children: [...this.children.values()],
      recent: [...this.recent],
      ...(this.opts.app?.mode === 'fpm' ? { pool: { processes: [...this.poolProcesses.values()], status: this.poolStatus } } : {}),
    };
  }
}
