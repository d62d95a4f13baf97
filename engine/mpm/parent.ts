// The control process of prefork, worker and event (prefork_run, worker_run,
// event_run and their server_main_loop), and of the platform MPMs' models
// (winnt's master_main, netware's main loop, mpmt_os2's master_main). It never accepts or serves a
// connection: it owns the listening sockets and the scoreboard, forks and reaps
// children, runs idle maintenance once per quiet second, and passes the accept
// turn to the child the kernel would wake. Decisions are pure (*/maintenance.ts,
// child-status.ts, reclaim.ts); this file carries them out.
import { fork, type ChildProcess } from 'node:child_process';
import { getSystemErrorMap } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import { checkConfig, loadConfig, type Diagnostic, type EffectiveConfig, type ListenAddr } from '../config/index.js';
import { formatListen, parseListen } from '../config/listen.js';
import { formatErrorLogLine, nowUs, shouldLog, type LogEntry, type LogLevel } from '../log/error-log.js';
import { bindListener, closeListener, asSendHandle, ListenError, type ListenHandle } from '../platform/listen-handle.js';
import { monoMs } from '../platform/clock.js';
import type { ChildExitReason } from '../protocol/events.js';
import { statusCounts } from '../status/render.js';
import { SERVER_VERSION, serverBuilt } from '../version.js';
import { backlogDepth } from './common/backlog.js';
import { APEXIT_CHILDFATAL, APEXIT_CHILDSICK, processChildStatus } from './common/child-status.js';
import { dummyConnection } from './common/dummy-connection.js';
import { reclaimChildProcesses } from './common/reclaim.js';
import { ScoreboardStore } from './common/scoreboard-store.js';
import type { EventSink } from './common/sink.js';
import { PROMPT_FIN_MS, type ChildInit, type ChildMessage, type ParentMessage } from './ipc.js';
import { SERVER_CLOSING, SERVER_DEAD, SERVER_GRACEFUL, SERVER_READY, STATUS_LETTER, scoreboardString, type ServerStatus } from './scoreboard.js';
import { initialRetained, performIdleServerMaintenance } from './prefork/maintenance.js';
import { performIdleServerMaintenance as workerMaintenance } from './worker/maintenance.js';
import { performIdleServerMaintenance as eventMaintenance } from './event/maintenance.js';
import { initialThreadedRetained, type ThreadedSlot } from './threaded/slots.js';
import { initialNetwareRetained, performIdleServerMaintenance as netwareMaintenance } from './netware/maintenance.js';
import { OS2_HARD_SERVER_LIMIT, OS2_HARD_THREAD_LIMIT } from '../config/check-platform.js';
import { SERVER_IDLE_KILL } from './scoreboard.js';
import { KINDS, type MpmKind, type MpmName } from './kinds.js';
import { MOD_PHP_THREADED_REFUSAL, type AppBinding } from '../app/binding.js';
import { startPoolProcess, stopPoolProcess } from '../app/pool-process.js';
import { fpmLogEvent } from '../app/fpm-log.js';

/**
 * Node flags for children. --single-threaded: no V8 helper threads (concurrent
 * GC, background compiles) in each child; with 20+ children on a 2-core machine
 * those threads only contend, and a child does ~20% less CPU per request with
 * them off (docs/performance.md). More via MPM_LAB_CHILD_NODE_ARGS, for
 * profiling ("--cpu-prof --cpu-prof-dir=/tmp/p": NODE_OPTIONS refuses --cpu-prof).
 */
const CHILD_NODE_ARGS = ['--single-threaded', ...(process.env.MPM_LAB_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean)];


export interface ParentOptions {
  mpm: MpmName;
  configFile?: string;
  sets: string[];
  /** --listen: replaces the config's Listen lines ("127.0.0.1:0": a free port for each of them) */
  listen?: string;
  /** MPM Lab's hard cap on child processes */
  maxProcesses: number;
  /** MPM Lab's hard cap on worker threads, all children together (worker/event) */
  maxThreads: number;
  sink: EventSink;
  stderr(line: string): void;
  stdout(line: string): void;
  /** as typed, for AH00094 "Command line: '…'" */
  commandLine: string;
  /** /app/: a PHP-FPM-style pool started with the server (its pool config file), or mod_php inside each child */
  app?: { mode: 'fpm'; poolConfig: string } | { mode: 'mod_php' };
}

interface Listener {
  addr: ListenAddr;
  handle: ListenHandle;
}

interface ChildRec {
  pid: number;
  slot: number;
  generation: number;
  proc: ChildProcess;
  /** has accepted at least once: from now on "idle" means it finished a connection */
  accepted: boolean;
  /** when it last became idle, on the child's monotonic clock */
  idleSince: number;
  /** when it started its lingering close (C), until it reports idle */
  closingAt: number | null;
  /** the child told us it is leaving, or we told it to */
  leaving: ChildExitReason | null;
  /** worker/event: 1 once it started its graceful stop, 2 once maintenance counted that (event) */
  quiescing: 0 | 1 | 2;
  /** event: listening enabled, but it would not accept now (no idle worker, or at its limit) */
  polling: boolean;
  exited: boolean;
}

interface Exit {
  rec: ChildRec;
  code: number | null;
  signal: NodeJS.Signals | null;
}

const DEFAULT_LISTEN: ListenAddr = { host: '127.0.0.1', port: 8080 };

export class MpmParent {
  private readonly kind: MpmKind;
  private cfg!: EffectiveConfig;
  private explicitLimit = false;
  private firstServerLimit: number | undefined;
  private generation = 0; // my_generation
  private configGeneration = 0;
  private retained = initialRetained();
  private threadedRetained = initialThreadedRetained();
  private netwareRetained = initialNetwareRetained();
  /** winnt: the restart was already announced (AH00428), not by the restart event */
  private platformRestartSaid = false;
  /** signal deaths reaped back to back, without a quiet second between them (worker/event) */
  private successiveKills = 0;
  private sb!: ScoreboardStore;
  private listeners: Listener[] = [];
  private children = new Map<number, ChildRec>();
  private idleQueue: ChildRec[] = [];
  private holder: ChildRec | null = null;
  private podPending = 0;
  private exits: Exit[] = [];
  private remainingChildrenToStart = 0;
  private forkFailed = false;
  /** the application pool's master (`mpm-lab fpm`), its own process tree, and how children reach /app/ */
  private pool: ChildProcess | null = null;
  private appBinding: AppBinding | null = null;
  /** the lab's slow-motion factor (common/slowmo.ts): every child gets it, new ones at birth */
  private slowmo = 1;
  private restartPending = false;
  private shutdownPending = false;
  private isUngraceful = false;
  private wasGraceful = false;
  private wake: (() => void) | null = null;
  private listeningAnnounced = false;
  private turnTimer: NodeJS.Timeout | null = null;
  private arrivalTimer: NodeJS.Timeout | null = null;
  private accepting = true;
  private readonly built: string;

  constructor(private readonly opts: ParentOptions) {
    this.kind = KINDS[opts.mpm];
    this.built = serverBuilt(safeMtime(this.kind.childMain));
  }

  // ---- signals (the handlers only set flags, like httpd's) -------------------

  /** SIGUSR1 */
  gracefulRestart(): void {
    this.restartPending = true;
    this.isUngraceful = false;
    this.interrupt();
  }
  /** SIGHUP */
  hardRestart(): void {
    this.restartPending = true;
    // winnt and netware know only one restart, which lets requests finish
    this.isUngraceful = this.kind.platform !== 'winnt' && this.kind.platform !== 'netware';
    this.interrupt();
  }
  /** SIGWINCH */
  gracefulStop(): void {
    this.shutdownPending = true;
    // the platform MPMs have no graceful stop: their stop already lets requests finish (winnt) or is immediate
    this.isUngraceful = this.kind.platform !== null;
    this.interrupt();
  }
  /** SIGTERM / SIGINT */
  stop(): void {
    this.shutdownPending = true;
    this.isUngraceful = true;
    this.interrupt();
  }

  private interrupt(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  // ---- main ------------------------------------------------------------------

  /** Run until stopped; resolves with the process exit code. */
  async run(): Promise<number> {
    this.emitState('starting');
    if (!this.readConfig(true)) return 1;
    const app = this.opts.app;
    if (app?.mode === 'mod_php' && this.kind.threaded) {
      // PHP's apache2handler refuses a threaded MPM in its post-config hook (ap_log_error at APLOG_CRIT), then httpd gives up
      this.log('crit', 'php', '', MOD_PHP_THREADED_REFUSAL[0]);
      this.opts.stderr(MOD_PHP_THREADED_REFUSAL[1]);
      return 1;
    }
    if (!this.setupListeners()) return 1;
    if (app?.mode === 'fpm') {
      const sink = this.opts.sink;
      // php-fpm's own log lines ("[date] WARNING: [pool www] …") go to our stderr and, as log events, into the stream
      let poolPid = 0;
      const poolLog = (line: string) => {
        this.opts.stderr(line);
        const e = sink.enabled ? fpmLogEvent(line, poolPid) : null;
        if (e) sink.emit(e);
      };
      const pool = await startPoolProcess(app.poolConfig, poolLog, sink.enabled ? (e) => sink.emit(e) : undefined);
      if ('error' in pool) {
        this.opts.stderr(`mpm-lab: the application pool did not start: ${pool.error}`);
        this.closeListeners();
        return 1;
      }
      this.pool = pool.proc;
      poolPid = pool.proc.pid ?? 0;
      this.appBinding = { mode: 'fpm', port: pool.port };
    } else if (app?.mode === 'mod_php') this.appBinding = { mode: 'mod_php' };
    this.sb = new ScoreboardStore(this.cfg.serverLimit, this.cfg.threadLimit);
    let first = true;
    for (;;) {
      const outcome = await this.mpmRun(first);
      first = false;
      if (outcome !== 'restart') {
        this.closeListeners();
        await stopPoolProcess(this.pool);
        this.emitState('stopped');
        return outcome === 'fatal' ? 1 : 0;
      }
      this.emitState('restarting');
      // A restart re-reads the configuration; a broken one stops the server.
      if (!this.readConfig(false) || !this.setupListeners()) {
        await this.killAll('SIGTERM', true);
        this.closeListeners();
        this.emitState('stopped');
        return 1;
      }
    }
  }

  private readConfig(startup: boolean): boolean {
    const loaded = loadConfig({ mpm: this.kind.mpm, file: this.opts.configFile, sets: this.opts.sets });
    if (!loaded.ok) {
      for (const d of loaded.diagnostics) this.diagnostic(d);
      this.opts.stderr(loaded.error);
      return false;
    }
    const checked = checkConfig(this.kind.mpm, loaded.raw, { startup, firstServerLimit: this.firstServerLimit });
    this.cfg = checked.config;
    this.firstServerLimit ??= this.cfg.serverLimit;
    this.explicitLimit = loaded.raw.MaxRequestWorkers !== undefined || loaded.raw.ServerLimit !== undefined;
    // LogLevel must be known before the diagnostics are filtered
    for (const d of [...loaded.diagnostics, ...checked.diagnostics]) this.diagnostic(d);
    if (this.opts.listen !== undefined) {
      // port 0 (a free port, chosen by the kernel) exists only on the command line
      const zero = /:0$/.test(this.opts.listen);
      const parsed = parseListen([zero ? this.opts.listen.replace(/:0$/, ':1') : this.opts.listen]);
      if (!parsed.ok) {
        this.opts.stderr(`mpm-lab: --listen ${this.opts.listen}: ${parsed.message}`);
        return false;
      }
      // HOST:0 keeps how many Listen lines the config has (each on a free port): one or
      // several listeners is what decides the accept mutex (AH00165)
      const n = zero ? Math.max(1, this.cfg.listen.length) : 1;
      this.cfg.listen = Array.from({ length: n }, () => ({ host: parsed.addr.host, port: zero ? 0 : parsed.addr.port }));
    } else if (this.cfg.listen.length === 0) {
      this.cfg.listen = [DEFAULT_LISTEN];
    }
    if (this.kind.threaded && this.kind.platform !== 'mpmt_os2' && this.cfg.threadsPerChild > this.opts.maxThreads) {
      // a Node thread costs ~8 MiB: one child may not take more than the whole thread cap
      const name = this.kind.platform === 'netware' ? 'MaxThreads' : 'ThreadsPerChild';
      this.log('warn', this.kind.module, '', `MPM Lab: ${name} ${this.cfg.threadsPerChild} is above the lab's thread cap, decreasing to ${this.opts.maxThreads} (raise it with --max-threads)`);
      this.cfg.threadsPerChild = this.opts.maxThreads;
      if (this.kind.platform === 'netware') this.cfg.startThreads = Math.min(this.cfg.startThreads ?? 0, this.opts.maxThreads);
    }
    if (this.explicitLimit && this.cfg.processLimit > this.processCap()) {
      const what = this.kind.threaded
        ? `at most ${this.processCap()} children of ${this.cfg.threadsPerChild} threads will run (raise it with --max-processes / --max-threads)`
        : `at most ${this.processCap()} children will run (raise it with --max-processes)`;
      this.log('warn', this.kind.module, '', `MPM Lab: MaxRequestWorkers ${this.cfg.maxRequestWorkers} is above the lab's ${this.kind.threaded ? 'process and thread caps' : 'process cap'}: ${what}`);
    }
    this.configGeneration++;
    return true;
  }

  /** The lab's cap on child processes: --max-processes, and for worker/event --max-threads worth of children. */
  private processCap(): number {
    if (!this.kind.threaded) return this.opts.maxProcesses;
    if (this.kind.platform === 'winnt' || this.kind.platform === 'netware') return 1;
    if (this.kind.platform === 'mpmt_os2') return Math.min(this.opts.maxProcesses, OS2_HARD_SERVER_LIMIT);
    return Math.max(1, Math.min(this.opts.maxProcesses, Math.floor(this.opts.maxThreads / this.cfg.threadsPerChild)));
  }

  /** ap_setup_listeners: keep sockets whose address did not change (nothing queued is lost). */
  private setupListeners(): boolean {
    const keep: Listener[] = [];
    for (const want of this.cfg.listen) {
      const have = this.listeners.find((l) => !keep.includes(l) && l.addr.host === want.host && (want.port === 0 || l.addr.port === want.port));
      if (have) {
        keep.push(have);
        continue;
      }
      try {
        const { handle, bound } = bindListener(want.host, want.port);
        keep.push({ addr: { host: bound.address, port: bound.port }, handle });
      } catch (e) {
        if (!(e instanceof ListenError)) throw e;
        this.log('emerg', 'core', 'AH00072', `make_sock: could not bind to address ${formatListen(want)}`, { status: e.aprStatus, startup: true });
        // as httpd prints it: this one line has no message id
        this.log('alert', this.kind.module, '', 'no listening sockets available, shutting down', { startup: true });
        this.log('emerg', 'core', 'AH00015', 'Unable to open logs', { startup: true });
        for (const l of keep) if (!this.listeners.includes(l)) closeListener(l.handle);
        return false;
      }
    }
    for (const l of this.listeners) if (!keep.includes(l)) closeListener(l.handle);
    this.listeners = keep;
    this.cfg.listen = keep.map((l) => l.addr);
    return true;
  }

  private closeListeners(): void {
    this.accepting = false;
    if (this.turnTimer) clearTimeout(this.turnTimer);
    this.turnTimer = null;
    if (this.arrivalTimer) clearTimeout(this.arrivalTimer);
    this.arrivalTimer = null;
    for (const l of this.listeners) closeListener(l.handle);
    this.listeners = [];
  }

  private async mpmRun(first: boolean): Promise<'restart' | 'done' | 'fatal'> {
    if (!first) {
      if (this.wasGraceful) {
        // httpd also wakes idle children blocked in accept() with dummy connections;
        // ours are not blocked, so the graceful notice alone ends them (and real
        // httpd's access log shows no such requests after a graceful restart either).
        // prefork marks every live child G and asks it to close its listeners
        // (AP_SIG_GRACEFUL); worker/event write a graceful '!' into the pipe of
        // death for each child, whose threads then show their own states.
        for (const rec of this.liveChildren()) {
          if (!this.kind.threaded) this.setStatus(rec, SERVER_GRACEFUL);
          rec.leaving ??= 'graceful';
          send(rec, { t: 'graceful' });
        }
        // the holder is of the old generation: the turn goes to the new children
        this.holder = null;
        if (this.kind.platform === 'netware') {
          // "Wait for all of the threads to terminate before initiating the restart"
          while (this.liveChildren().length && !this.shutdownPending) {
            await this.sleep(1000);
            this.relieve();
          }
        }
      } else {
        for (const rec of this.liveChildren()) {
          rec.leaving ??= 'restart';
          signal(rec, 'SIGHUP');
        }
        await this.reclaim(false);
      }
      this.generation++; // advance to the next generation
    }
    if (!this.wasGraceful) {
      if (!first) this.sb.reset();
      this.retained.idleSpawnRate = 1;
      this.threadedRetained.idleSpawnRate = 1;
    }
    this.sb.runningGeneration = this.generation;
    this.podPending = 0;
    this.accepting = true;

    this.remainingChildrenToStart = Math.min(this.cfg.startServers, this.cfg.processLimit);
    this.successiveKills = 0;
    if (this.kind.platform) {
      // winnt: the new child starts at once in slot 0, beside the old one that is finishing;
      // netware: the old process is gone; mpmt_os2: children fill free slots up to StartServers
      if (this.kind.platform === 'winnt') this.makeChild(0);
      else if (this.kind.platform === 'netware') this.startupChildren(1);
      else this.os2Fill();
      this.remainingChildrenToStart = 0;
    } else if (!this.wasGraceful) {
      this.startupChildren(this.remainingChildrenToStart);
      this.remainingChildrenToStart = 0;
    } else {
      // give the system some time to recover before kicking into exponential mode
      this.retained.holdOffOnExponentialSpawning = 10;
      this.threadedRetained.holdOffOnExponentialSpawning = 10;
    }

    const ah = this.kind.ah;
    this.log('notice', this.kind.module, ah.configured, `${SERVER_VERSION} configured -- resuming normal operations`);
    this.log('info', this.kind.module, ah.built, `Server built: ${this.built}`);
    this.log('notice', 'core', 'AH00094', `Command line: '${this.opts.commandLine}'`);
    if (this.kind.platform) {
      this.log('notice', this.kind.module, '', `MPM Lab: this is a model of ${this.kind.module}, emulated with processes and worker_threads on this OS (engine/README.md lists where it departs from the original)`);
    }
    if (ah.mutex) this.log('debug', this.kind.module, ah.mutex, `Accept mutex: ${this.listeners.length > 1 ? 'pthread' : 'none'} (default: pthread)`, { src: this.kind.src.mutex ?? undefined });
    if (this.listeningAnnounced) this.emitState('running');
    this.emitScoreboard();
    this.grantTurn();

    while (!this.restartPending && !this.shutdownPending) {
      const exit = await this.waitOrTimeout();
      if (exit) {
        if (this.reapChild(exit) === 'fatal') return this.fatalStop();
        // mpmt_os2's loop refills right after a reap; the others don't perform idle maintenance when a child dies
        if (this.kind.platform === 'mpmt_os2' && !this.restartPending && !this.shutdownPending) this.os2Fill();
        continue;
      }
      this.successiveKills = 0;
      if (this.remainingChildrenToStart > 0) {
        // a quiet second with no exits: assume the old generation is done
        this.startupChildren(this.remainingChildrenToStart);
        this.remainingChildrenToStart = 0;
        continue;
      }
      if (this.performIdleServerMaintenance() === 'give-up') return this.fatalStop();
      if (this.forkFailed) {
        // fork failed: don't run away with the CPU trying again and again
        this.forkFailed = false;
        await this.sleep(10_000);
      }
    }

    if (this.shutdownPending && this.kind.platform === 'winnt') return this.winntShutdown();
    if (this.shutdownPending && this.isUngraceful) {
      this.emitState('stopping');
      if (this.kind.platform === 'netware') this.log('notice', this.kind.module, this.kind.ah.stop, this.kind.text.stop);
      await this.killAll('SIGTERM', true);
      if (this.kind.platform !== 'netware') this.log('notice', this.kind.module, this.kind.ah.stop, this.kind.text.stop);
      return 'done';
    }
    if (this.shutdownPending) return this.gracefulShutdown();

    const said = this.isUngraceful ? this.kind.text.hardRestart : this.kind.text.gracefulRestart;
    if (said && !this.platformRestartSaid) this.log('notice', this.kind.module, this.isUngraceful ? this.kind.ah.hardRestart : this.kind.ah.gracefulRestart, said);
    this.wasGraceful = !this.isUngraceful;
    this.restartPending = false;
    this.platformRestartSaid = false;
    return 'restart';
  }

  /**
   * winnt's master_main on the shutdown event: tell the child to exit (it
   * finishes its connections), give it 30 s, then terminate it.
   */
  private async winntShutdown(): Promise<'done'> {
    this.emitState('stopping');
    this.log('notice', this.kind.module, this.kind.ah.stop, this.kind.text.stop);
    this.closeListeners();
    this.holder = null;
    const child = this.liveChildren().find((r) => r.generation === this.generation) ?? this.liveChildren()[0];
    for (const rec of this.liveChildren()) {
      rec.leaving ??= 'stop';
      send(rec, { t: 'graceful' });
    }
    const cutoff = performance.now() + 30_000;
    while (this.liveChildren().length && performance.now() < cutoff) {
      await this.sleep(100);
      this.relieve();
    }
    if (child) {
      if (child.exited) this.log('notice', this.kind.module, 'AH00430', `Parent: Child process ${child.pid} exited successfully.`);
      else this.log('notice', this.kind.module, 'AH00431', `Parent: Forcing termination of child process ${child.pid}`);
    }
    for (const rec of this.liveChildren()) signal(rec, 'SIGKILL');
    await this.reclaim(false);
    return 'done';
  }

  /** mpmt_os2's master_main loop: keep StartServers children that are not stopping, in any free slot. */
  private os2Fill(): void {
    const active = this.liveChildren().filter((r) => !r.leaving && !r.quiescing).length;
    let want = this.cfg.startServers - active;
    const limit = Math.min(this.cfg.serverLimit, this.processCap());
    for (let i = 0; want > 0 && i < limit; i++) {
      if (this.sb.parent[i].pid !== 0) continue;
      this.makeChild(i);
      want--;
    }
  }

  /** SIGWINCH: stop listening, let busy children finish, wait (GracefulShutdownTimeout). */
  private async gracefulShutdown(): Promise<'done'> {
    this.emitState('stopping');
    this.closeListeners();
    this.holder = null;
    for (const rec of this.liveChildren()) {
      rec.leaving ??= 'graceful';
      send(rec, { t: 'graceful' });
    }
    this.relieve();
    this.log('notice', this.kind.module, this.kind.ah.gracefulStop, 'caught SIGWINCH, shutting down gracefully');
    const cutoff = this.cfg.gracefulShutdownTimeoutMs > 0 ? performance.now() + this.cfg.gracefulShutdownTimeoutMs : Infinity;
    this.shutdownPending = false;
    do {
      await this.sleep(1000);
      this.relieve();
    } while (!this.shutdownPending && this.liveChildren().length > 0 && performance.now() < cutoff);
    // whatever is left (timeout, or a new signal): make sure it is dead
    for (const rec of this.liveChildren()) signal(rec, 'SIGTERM');
    await this.reclaim(false);
    return 'done';
  }

  private async fatalStop(): Promise<'fatal'> {
    this.emitState('stopping');
    await this.killAll('SIGTERM', true);
    return 'fatal';
  }

  private async killAll(sig: NodeJS.Signals, terminate: boolean): Promise<void> {
    this.accepting = false;
    for (const rec of this.liveChildren()) {
      rec.leaving ??= 'stop';
      signal(rec, sig);
    }
    await this.reclaim(terminate);
  }

  private reclaim(terminate: boolean): Promise<void> {
    return reclaimChildProcesses(
      () => {
        this.relieve();
        return this.liveChildren().map((rec) => ({ pid: rec.pid, alive: () => !rec.exited, kill: (s: NodeJS.Signals) => signal(rec, s) }));
      },
      terminate,
      (l) => this.log(l.level, 'core', l.ah, l.text),
    ).then(() => this.relieve());
  }

  /** ap_relieve_child_processes: reap what has exited, without waiting. */
  private relieve(): void {
    while (this.exits.length) this.reapChild(this.exits.shift()!);
  }

  /**
   * ap_wait_or_timeout: an exited child if there is one; otherwise sleep one
   * second (a signal cuts the sleep short) and report none. A child that dies
   * during the sleep is reaped on the next call, after that pass's maintenance.
   */
  private async waitOrTimeout(): Promise<Exit | null> {
    const e = this.exits.shift();
    if (e) return e;
    await this.sleep(1000);
    return null;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  // ---- children ----------------------------------------------------------------

  private liveChildren(): ChildRec[] {
    return [...this.children.values()].filter((r) => !r.exited);
  }

  private startupChildren(n: number): void {
    // worker: the first ap_daemons_limit slots; event: any of ServerLimit (stopping children may hold some)
    const limit = Math.min(this.kind.mpm === 'event' ? this.cfg.serverLimit : this.cfg.processLimit, this.processCap());
    for (let i = 0; n > 0 && i < limit; i++) {
      if (this.kind.threaded ? this.sb.parent[i].pid !== 0 : this.sb.worker(i, 0).status !== SERVER_DEAD) continue;
      this.makeChild(i);
      n--;
    }
  }

  /** The lab's slow motion: a factor (1 = real time) for every child, now and later. */
  setSlowmo(factor: number): void {
    this.slowmo = factor;
    for (const rec of this.children.values()) {
      if (!rec.exited && rec.proc.connected) rec.proc.send({ t: 'slowmo', factor } satisfies ParentMessage);
    }
  }

  private makeChild(slot: number): void {
    // httpd's make_child sleeps 10 s right after a failed fork; until our main loop
    // has slept those 10 s, further forks of the same pass are not tried either
    if (this.forkFailed) return;
    if (slot + 1 > this.retained.maxDaemonsLimit) this.retained.maxDaemonsLimit = slot + 1;
    if (slot + 1 > this.threadedRetained.maxDaemonsLimit) this.threadedRetained.maxDaemonsLimit = slot + 1;
    const tpc = this.kind.threaded ? this.cfg.threadsPerChild : 1;
    // worker may fork into the slot of a child that is still finishing ("squatting"):
    // the new child starts threads only where the old one has none left
    const threads =
      this.kind.platform === 'winnt'
        ? Array.from({ length: tpc }, (_, j) => j) // both children write slot 0, as on Windows: the new one takes every entry
        : this.kind.platform === 'netware'
          ? Array.from({ length: Math.min(this.cfg.startThreads ?? 0, tpc) }, (_, j) => j)
          : this.kind.platform === 'mpmt_os2'
            ? [] // its own maintenance thread starts them
            : this.freeThreads(slot);
    const init: ChildInit = { mpm: this.kind.mpm, slot, generation: this.generation, config: this.cfg, listen: this.cfg.listen.map(formatListen), threads, events: this.opts.sink.enabled, slowmo: this.slowmo, app: this.appBinding };
    if (this.kind.platform === 'mpmt_os2') {
      // HARD_THREAD_LIMIT per child, within the lab's thread cap shared by StartServers children
      init.threadCap = Math.max(1, Math.min(OS2_HARD_THREAD_LIMIT, Math.floor(this.opts.maxThreads / Math.max(1, this.cfg.startServers))));
    }
    let proc: ChildProcess;
    try {
      proc = fork(this.kind.childMain, [JSON.stringify(init)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: CHILD_NODE_ARGS, serialization: 'json' });
    } catch {
      proc = { pid: undefined } as ChildProcess;
    }
    if (!proc.pid) {
      // the kernel's reason (EAGAIN, ENOMEM…) comes as 'error' on the next tick
      const say = (errno: number) => this.log('error', this.kind.module, this.kind.ah.fork, 'fork: Unable to fork new process', { status: `(${errno})${strerror(errno)}` });
      if (proc.once) proc.once('error', (err: NodeJS.ErrnoException) => say(-(err.errno ?? -os.constants.errno.EAGAIN)));
      else say(os.constants.errno.EAGAIN);
      this.forkFailed = true;
      return;
    }
    proc.on('error', () => undefined); // 'exit' follows; a failed send is handled where it is made
    const rec: ChildRec = { pid: proc.pid, slot, generation: this.generation, proc, accepted: false, idleSince: 0, closingAt: null, leaving: null, quiescing: 0, polling: false, exited: false };
    const squatted = this.sb.parent[slot].pid;
    if (squatted && this.kind.mpm === 'worker') {
      this.log('debug', this.kind.module, 'AH00263', `pid ${rec.pid} taking over scoreboard slot from ${squatted}${this.sb.parent[slot].quiescing ? ' (quiescing)' : ''}`, { src: 'worker.c(414)' });
    }
    this.children.set(rec.pid, rec);
    this.sb.noteChildStarting(slot, rec.pid, this.generation, threads.length === tpc ? tpc : threads);
    if (this.kind.platform === 'netware') this.netwareRetained.maxWorkersLimit = Math.max(this.netwareRetained.maxWorkersLimit, threads.length);
    const ts = monoMs();
    if (this.opts.sink.enabled) {
      this.opts.sink.emit({ type: 'child.spawn', ts, pid: rec.pid, slot, generation: this.generation });
      for (const thread of threads) this.opts.sink.emit({ type: 'worker.status', ts, slot, thread, pid: rec.pid, status: 'S' });
    }
    proc.on('message', (batch: ChildMessage[]) => this.onChildMessages(rec, batch));
    proc.on('exit', (code, sig) => this.onChildExit(rec, code, sig));
  }

  /** Thread entries of a slot that a new child may use: dead ones, or G (all of them in a slot with no process). */
  private freeThreads(slot: number): number[] {
    const tpc = this.kind.threaded ? this.cfg.threadsPerChild : 1;
    const all = Array.from({ length: tpc }, (_, j) => j);
    if (!this.sb.parent[slot].pid) return all;
    return all.filter((j) => {
      const st = this.sb.worker(slot, j).status;
      return st === SERVER_DEAD || st === SERVER_GRACEFUL;
    });
  }

  /** The process is gone: it can no longer take the accept turn. The rest waits for the reap. */
  private onChildExit(rec: ChildRec, code: number | null, sig: NodeJS.Signals | null): void {
    rec.exited = true;
    rec.closingAt = null;
    const i = this.idleQueue.indexOf(rec);
    if (i >= 0) this.idleQueue.splice(i, 1);
    if (this.holder === rec) this.holder = null;
    this.grantTurn();
    this.exits.push({ rec, code, signal: sig });
  }

  /** The reaping half of the main loop: log, free the slot, maybe replace 1-for-1. */
  private reapChild(e: Exit): 'ok' | 'fatal' {
    const { rec } = e;
    this.children.delete(rec.pid);
    // ap_find_child_by_pid: a worker child whose slot a newer child took over is no longer in the scoreboard
    const inSlot = this.sb.parent[rec.slot].pid === rec.pid;
    const verdict = processChildStatus(rec.pid, e.code, e.signal);
    // ap_process_child_status is Unix's: the platform MPMs say it their own way (below)
    if (verdict.log && !this.kind.platform) this.log(verdict.log.level, verdict.log.module, verdict.log.ah, verdict.log.text);
    if (verdict.status === APEXIT_CHILDFATAL) {
      if (rec.generation === this.generation) return 'fatal';
      this.log('warn', this.kind.module, this.kind.ah.ignoringFatal, `Ignoring fatal error in child of previous generation (pid ${rec.pid}).`);
      this.threadedRetained.sickChildDetected = true;
    } else if (verdict.status === APEXIT_CHILDSICK) {
      this.threadedRetained.sickChildDetected = true;
    }
    const gone = this.sb.noteChildKilled(rec.slot, rec.pid);
    if (this.opts.sink.enabled) {
      const ts = monoMs();
      for (const thread of gone) this.opts.sink.emit({ type: 'worker.status', ts, slot: rec.slot, thread, pid: rec.pid, status: '.' });
      const reason: ChildExitReason =
        verdict.status === APEXIT_CHILDFATAL ? 'fatal' : verdict.status === APEXIT_CHILDSICK ? 'sick' : verdict.log ? 'crash' : (rec.leaving ?? 'exit');
      this.opts.sink.emit({ type: 'child.exit', ts, pid: rec.pid, slot: rec.slot, generation: rec.generation, code: e.code, signal: e.signal, reason });
    }
    if (!inSlot) return 'ok';
    if (this.kind.platform && !rec.leaving && !this.shutdownPending) return this.platformChildDied(rec, e, verdict.status === APEXIT_CHILDFATAL);
    if (verdict.status === APEXIT_CHILDSICK) {
      // a resource shortage: cut the fork rate to the minimum
      this.retained.idleSpawnRate = 1;
      this.threadedRetained.idleSpawnRate = 1;
    } else if (this.remainingChildrenToStart > 0 && (this.kind.mpm === 'event' || rec.slot < this.cfg.processLimit) && !this.shutdownPending) {
      // still replacing the old generation 1-for-1
      this.makeChild(rec.slot);
      this.remainingChildrenToStart--;
    }
    // children we are stopping ourselves (shutdown, restart) die by our signals: no crash loop to report
    if (this.kind.ah.killedSuccessively && e.signal && !this.shutdownPending && !this.restartPending) {
      // A child killed by a signal (a crash) is replaced at the next tick, not
      // after maintenance; from the third in a row on, no longer (fork floods).
      if (++this.successiveKills >= 3) {
        if (this.successiveKills % 10 === 3) this.log('warn', this.kind.module, this.kind.ah.killedSuccessively!, 'children are killed successively!');
      } else {
        this.remainingChildrenToStart++;
      }
    }
    return 'ok';
  }

  /**
   * A platform MPM's child died on its own. winnt restarts the server
   * (AH00428, a new generation) unless the child said it cannot work (AH00427);
   * netware's server is that one process, so it is over; mpmt_os2 just refills.
   */
  private platformChildDied(rec: ChildRec, e: Exit, fatal: boolean): 'ok' | 'fatal' {
    // Windows reports an exit code (an access violation is 3221225477); Linux gives a signal: its number is shown
    const status = e.code ?? (e.signal ? os.constants.signals[e.signal] ?? 0 : 0);
    if (this.kind.platform === 'winnt') {
      if (fatal) {
        this.log('crit', this.kind.module, 'AH00427', `Parent: child process ${rec.pid} exited with status ${status} -- Aborting.`);
        return 'fatal';
      }
      this.log('notice', this.kind.module, 'AH00428', `Parent: child process ${rec.pid} exited with status ${status} -- Restarting.`);
      this.restartPending = true;
      this.isUngraceful = false;
      this.platformRestartSaid = true;
      return 'ok';
    }
    if (this.kind.platform === 'netware') {
      this.log('alert', this.kind.module, '', `MPM Lab: the server process (pid ${rec.pid}) died${e.signal ? ` by ${e.signal}` : ` with status ${status}`}; NetWare's server is that one process, so it is gone`);
      return 'fatal';
    }
    return 'ok';
  }

  private performIdleServerMaintenance(): 'ok' | 'give-up' {
    if (this.kind.platform) {
      if (this.kind.platform === 'netware') this.netwareIdleMaintenance();
      else if (this.kind.platform === 'mpmt_os2') this.os2Fill();
      // winnt: one child with a fixed pool, no maintenance
      this.emitScoreboard();
      return 'ok';
    }
    if (this.kind.threaded) return this.threadedMaintenance();
    const statuses: ServerStatus[] = [];
    for (let i = 0; i < this.cfg.serverLimit; i++) statuses.push(this.sb.worker(i, 0).status);
    const r = performIdleServerMaintenance(
      {
        statuses,
        daemonsLimit: this.cfg.processLimit,
        minSpareServers: this.cfg.minSpareServers ?? 1,
        maxSpareServers: this.cfg.maxSpareServers ?? 2,
        processCap: this.opts.maxProcesses,
      },
      this.retained,
    );
    this.retained = r.retained;
    for (const l of r.logs) this.log(l.level, this.kind.module, l.ah, l.text);
    if (r.killOne) {
      // the pipe of death gets a byte; a dummy connection wakes the longest-idle child to read it
      this.podPending++;
      this.dummyConnection();
    }
    for (const slot of r.spawnSlots) this.makeChild(slot);
    this.emitScoreboard();
    return 'ok';
  }

  private threadedMaintenance(): 'ok' | 'give-up' {
    const tpc = this.cfg.threadsPerChild;
    const slots: ThreadedSlot[] = this.sb.parent.map((p, i) => {
      const rec = p.pid ? this.children.get(p.pid) : undefined;
      return {
        pid: p.pid,
        generation: p.generation,
        quiescing: rec?.quiescing ?? (p.quiescing ? 1 : 0),
        notAccepting: p.notAccepting,
        statuses: this.sb.servers[i].slice(0, tpc).map((w) => w.status),
      };
    });
    const decide = this.kind.mpm === 'event' ? eventMaintenance : workerMaintenance;
    const r = decide(
      {
        slots,
        daemonsLimit: this.cfg.processLimit,
        serverLimit: this.cfg.serverLimit,
        threadsPerChild: tpc,
        minSpareThreads: this.cfg.minSpareThreads ?? 1,
        maxSpareThreads: this.cfg.maxSpareThreads ?? tpc + 1,
        maxWorkers: this.cfg.maxRequestWorkers,
        generation: this.generation,
        processCap: this.processCap(),
      },
      this.threadedRetained,
    );
    this.threadedRetained = r.retained;
    for (const slot of r.quiescingCounted) {
      const rec = this.children.get(this.sb.parent[slot].pid);
      if (rec) rec.quiescing = 2;
    }
    for (const l of r.logs) this.log(l.level, this.kind.module, l.ah, l.text, l.src ? { src: l.src } : {});
    if (r.giveUp) {
      this.shutdownPending = true;
      return 'give-up';
    }
    if (r.killOne) this.stopOneChild();
    for (const slot of r.spawnSlots) this.makeChild(slot);
    this.emitScoreboard();
    return 'ok';
  }

  /** netware: grow or shrink the one process's thread pool (mpm_netware.c perform_idle_server_maintenance). */
  private netwareIdleMaintenance(): void {
    const pid = this.sb.parent[0].pid;
    const rec = pid ? this.children.get(pid) : undefined;
    if (!rec || rec.exited || rec.leaving) return;
    const statuses = this.sb.servers[0].slice(0, this.cfg.threadsPerChild).map((w) => w.status);
    const r = netwareMaintenance({ statuses, minSpareThreads: this.cfg.minSpareThreads ?? 1, maxSpareThreads: this.cfg.maxSpareThreads ?? 2 }, this.netwareRetained);
    this.netwareRetained = r.retained;
    for (const l of r.logs) this.log(l.level, this.kind.module, l.ah, l.text);
    if (r.idleKill >= 0) {
      this.sb.setStatus(0, r.idleKill, SERVER_IDLE_KILL);
      if (this.opts.sink.enabled) this.opts.sink.emit({ type: 'worker.status', ts: monoMs(), slot: 0, thread: r.idleKill, pid, status: 'I' });
      send(rec, { t: 'idle-kill', thread: r.idleKill });
    }
    if (r.spawn.length) this.claimThreads(rec, r.spawn, true);
  }

  /** Mark thread entries as starting for this child (and tell it to start them, when the parent decides). */
  private claimThreads(rec: ChildRec, indexes: number[], tell: boolean): void {
    this.sb.claimThreads(rec.slot, rec.pid, rec.generation, indexes);
    if (this.opts.sink.enabled) {
      const ts = monoMs();
      for (const thread of indexes) this.opts.sink.emit({ type: 'worker.status', ts, slot: rec.slot, thread, pid: rec.pid, status: 'S' });
    }
    if (tell) send(rec, { t: 'threads', free: indexes });
  }

  /**
   * A graceful '!' in worker's/event's pipe of death: the main thread of one
   * child reads it — the one that has waited longest in read(), the oldest
   * running child — and that child stops gracefully.
   */
  private stopOneChild(): void {
    // the Map keeps fork order, so the first match is the oldest (pids wrap around)
    const oldest = [...this.children.values()].find((rec) => !rec.exited && !rec.leaving && !rec.quiescing && rec.generation === this.generation);
    if (!oldest) return;
    oldest.leaving = 'idle-kill';
    send(oldest, { t: 'die' });
  }

  private dummyConnection(): void {
    const l = this.listeners[0];
    if (!l) return;
    dummyConnection(l.addr.host, l.addr.port, SERVER_VERSION, (err) =>
      this.log('warn', 'core', 'AH00056', `connect to listener on ${formatListen(l.addr)}`, { status: `(${(err as NodeJS.ErrnoException).errno ?? 0})${err.message}` }),
    );
  }

  // ---- the accept turn -----------------------------------------------------------

  /**
   * Linux wakes blocked acceptors in the order they entered accept(): that is
   * when each child became idle (its own clock), not when its report reached us.
   */
  private enqueueIdle(rec: ChildRec, since: number): void {
    rec.idleSince = since;
    let i = this.idleQueue.length;
    while (i > 0 && this.idleQueue[i - 1].idleSince > since) i--;
    this.idleQueue.splice(i, 0, rec);
  }

  /**
   * worker: each child's listener blocks in accept() once it has reserved an
   * idle thread, and Linux wakes the longest-waiting one (FIFO). event: every
   * listener polls, all wake, and the most recent poller tends to win the
   * race (LIFO-biased, spec §6.3): the newest request for the turn goes first.
   */
  private enqueueThreaded(rec: ChildRec, since: number): void {
    this.dropFromQueue(rec);
    rec.idleSince = since;
    if (this.kind.mpm === 'event') {
      let i = 0;
      while (i < this.idleQueue.length && this.idleQueue[i].idleSince > since) i++;
      this.idleQueue.splice(i, 0, rec);
    } else {
      this.enqueueIdle(rec, since);
    }
  }

  private dropFromQueue(rec: ChildRec): void {
    const i = this.idleQueue.indexOf(rec);
    if (i >= 0) this.idleQueue.splice(i, 1);
  }

  /**
   * Give the turn to the child that has waited longest (Linux wakes blocked
   * acceptors FIFO). A child that started its lingering close before the head of
   * the queue became idle would, in httpd, already be back in accept() ahead of
   * it (see PROMPT_FIN_MS): hold the turn for it until it reports, or the window ends.
   */
  private grantTurn(): void {
    if (this.holder || !this.accepting || this.listeners.length === 0) return;
    while (this.idleQueue.length && !this.canTakeTurn(this.idleQueue[0])) this.idleQueue.shift();
    const head = this.idleQueue[0];
    const now = monoMs();
    let closer: ChildRec | null = null;
    for (const rec of this.children.values()) {
      if (rec.closingAt === null || !this.canTakeTurn(rec) || now - rec.closingAt > PROMPT_FIN_MS) continue;
      if (rec.closingAt < (head?.idleSince ?? Infinity) && (!closer || rec.closingAt < closer.closingAt!)) closer = rec;
    }
    if (closer) {
      if (!this.turnTimer) {
        this.turnTimer = setTimeout(() => {
          this.turnTimer = null;
          this.grantTurn();
        }, Math.max(1, closer.closingAt! + PROMPT_FIN_MS - now));
      }
      return;
    }
    if (!head) return;
    this.idleQueue.shift();
    if (this.turnTimer) {
      clearTimeout(this.turnTimer);
      this.turnTimer = null;
    }
    this.holder = head;
    const count = this.listeners.length;
    this.listeners.forEach((l, index) => {
      const m: ParentMessage = { t: 'turn', index, count };
      head.proc.send(m, asSendHandle(l.handle), (err) => {
        if (err && this.holder === head) {
          this.holder = null;
          this.grantTurn();
        }
      });
    });
  }

  /** event children whose listener polls the socket but would not accept now */
  private pollers(): ChildRec[] {
    if (this.kind.mpm !== 'event') return [];
    return [...this.children.values()].filter((r) => r.polling && this.canTakeTurn(r));
  }

  /**
   * event: while nobody can accept, a connection waiting in the backlog still
   * wakes every polling listener, and each checks its limits (and may stop
   * listening). We can only see it there, so look every 50 ms — only then.
   */
  private watchArrivals(): void {
    if (this.kind.mpm !== 'event' || this.arrivalTimer) return;
    const tick = () => {
      this.arrivalTimer = null;
      if (this.holder || !this.accepting) return;
      const pollers = this.pollers();
      if (!pollers.length) return;
      if (this.listeners.some((l) => (backlogDepth(l.addr.host, l.addr.port) ?? 0) > 0)) for (const p of pollers) send(p, { t: 'arrival' });
      this.arrivalTimer = setTimeout(tick, 50);
    };
    this.arrivalTimer = setTimeout(tick, 50);
  }

  private canTakeTurn(rec: ChildRec): boolean {
    return !rec.exited && !rec.leaving && !rec.quiescing && rec.generation === this.generation && rec.proc.connected;
  }

  // ---- what children tell us ----------------------------------------------------

  private onChildMessages(rec: ChildRec, batch: ChildMessage[]): void {
    for (const m of batch) this.onChildMessage(rec, m);
  }

  private onChildMessage(rec: ChildRec, m: ChildMessage): void {
    const sink = this.opts.sink;
    // a reaped child's late words must not touch a slot someone else may own now
    const ownsSlot = this.sb.parent[rec.slot].pid === rec.pid;
    const ownsThread = (thread: number) => thread >= 0 && this.sb.worker(rec.slot, thread).pid === rec.pid;
    switch (m.t) {
      case 'want-turn':
        rec.polling = false;
        if (!this.canTakeTurn(rec)) return;
        this.enqueueThreaded(rec, m.ts);
        return this.grantTurn();
      case 'release':
        this.dropFromQueue(rec);
        rec.polling = this.kind.mpm === 'event' && this.canTakeTurn(rec);
        if (this.holder === rec) {
          this.holder = null;
          this.grantTurn();
        }
        return this.watchArrivals();
      case 'quiescing':
        if (rec.quiescing === 0) rec.quiescing = 1;
        if (this.kind.platform === 'winnt' && !rec.leaving && rec.generation === this.generation && !this.shutdownPending) {
          // not asked to: it reached MaxConnectionsPerChild (AH00358) and signals the parent to restart
          rec.leaving = 'max-connections';
          this.gracefulRestart();
        }
        rec.leaving ??= 'graceful';
        if (ownsSlot) this.sb.parent[rec.slot].quiescing = true;
        this.dropFromQueue(rec);
        if (this.holder === rec) this.holder = null;
        return this.grantTurn();
      case 'accepting':
        if (ownsSlot) this.sb.parent[rec.slot].notAccepting = !m.on;
        if (!m.on) {
          rec.polling = false;
          this.dropFromQueue(rec);
        }
        return;
      case 'counters':
        if (ownsSlot) Object.assign(this.sb.parent[rec.slot], { connections: m.connections, writeCompletion: m.writeCompletion, keepAlive: m.keepAlive, lingeringClose: m.lingeringClose });
        return;
      case 'threads.add': {
        // mpmt_os2's child started threads of its own: only entries no other child holds
        const mine = m.indexes.filter((j) => j < this.cfg.threadsPerChild && (this.sb.worker(rec.slot, j).status === SERVER_DEAD || this.sb.worker(rec.slot, j).pid === rec.pid));
        if (mine.length && this.sb.parent[rec.slot].pid === rec.pid) this.claimThreads(rec, mine, false);
        return;
      }
      case 'threads?': {
        const free = ownsSlot ? this.freeThreads(rec.slot).filter((j) => this.sb.worker(rec.slot, j).pid !== rec.pid) : [];
        if (free.length) this.sb.claimThreads(rec.slot, rec.pid, rec.generation, free);
        send(rec, { t: 'threads', free });
        return;
      }
      case 'accepted':
        rec.accepted = true;
        // event: the connection woke every listener polling the socket
        for (const p of this.pollers()) if (p !== rec) send(p, { t: 'arrival' });
        if (this.holder === rec) {
          this.holder = null;
          this.grantTurn();
        }
        return;
      case 'idle':
        rec.closingAt = null;
        if (rec.exited || rec.leaving) return this.grantTurn();
        if (rec.accepted && this.podPending > 0) {
          // after a connection the child checks the pipe of death: it gets to go
          this.podPending--;
          rec.leaving = 'idle-kill';
          send(rec, { t: 'die' });
          return;
        }
        if (!ownsSlot) return;
        this.setStatus(rec, SERVER_READY);
        if (rec.generation === this.generation) {
          this.enqueueIdle(rec, m.since ?? m.ts);
          this.grantTurn();
        }
        return;
      case 'status':
        if (!ownsThread(m.thread)) return;
        // prefork only: a child in lingering close is about to be back in accept()
        if (m.status === SERVER_CLOSING && !this.kind.threaded) rec.closingAt = m.ts;
        this.sb.setStatus(rec.slot, m.thread, m.status, { connId: m.connId, client: m.client, request: m.request, protocol: m.protocol });
        if (sink.enabled) {
          sink.emit({ type: 'worker.status', ts: m.ts, slot: rec.slot, thread: m.thread, pid: rec.pid, status: STATUS_LETTER[m.status], ...(m.connId ? { connId: m.connId } : {}) });
        }
        return;
      case 'conn.open':
        if (ownsThread(m.thread)) {
          this.sb.noteConnection(rec.slot, m.thread);
          this.sb.setStatus(rec.slot, m.thread, this.sb.worker(rec.slot, m.thread).status, { tid: m.tid, client: m.client });
        }
        if (sink.enabled) sink.emit({ type: 'conn.open', ts: m.ts, pid: rec.pid, tid: m.tid, slot: rec.slot, thread: m.thread, connId: m.connId, client: m.client });
        return;
      case 'request.start':
        if (sink.enabled) {
          sink.emit({ type: 'request.start', ts: m.ts, pid: rec.pid, tid: m.tid, slot: rec.slot, thread: m.thread, connId: m.connId, reqId: m.reqId, method: m.method, path: m.path, version: m.version });
        }
        return;
      case 'request.end': {
        if (ownsThread(m.thread)) this.sb.noteRequest(rec.slot, m.thread, { bytes: m.bytes, durationMs: m.durationMs, startTime: m.startTime });
        if (sink.enabled) {
          const { t: _t, startTime: _s, ...rest } = m;
          sink.emit({ type: 'request.end', ...rest, pid: rec.pid, slot: rec.slot });
        }
        return;
      }
      case 'conn.close':
        if (sink.enabled) {
          sink.emit({ type: 'conn.close', ts: m.ts, pid: rec.pid, tid: m.tid, slot: rec.slot, thread: m.thread, connId: m.connId, requests: m.requests, reason: m.reason });
        }
        return;
      case 'exiting':
        rec.leaving = m.reason;
        rec.closingAt = null;
        return this.grantTurn();
      case 'listening':
        this.announceListening();
        return;
      case 'log':
        this.emitLog({ ...m.entry, pid: rec.pid });
        return;
      case 'scoreboard?':
        send(rec, { t: 'scoreboard', id: m.id, snapshot: this.snapshot() });
        return;
    }
  }

  private announceListening(): void {
    if (this.listeningAnnounced) return;
    this.listeningAnnounced = true;
    for (const l of this.listeners) this.opts.stdout(`listening on ${formatListen(l.addr)}\n`);
    this.emitState('running');
  }

  private setStatus(rec: ChildRec, status: ServerStatus): void {
    this.sb.setStatus(rec.slot, 0, status);
    if (this.opts.sink.enabled) this.opts.sink.emit({ type: 'worker.status', ts: monoMs(), slot: rec.slot, thread: 0, pid: rec.pid, status: STATUS_LETTER[status] });
  }

  // ---- observation ------------------------------------------------------------------

  snapshot() {
    return this.sb.snapshot({
      mpm: this.kind.name,
      isAsync: this.kind.isAsync,
      serverVersion: SERVER_VERSION,
      serverBuilt: this.built,
      serverName: this.cfg.serverName ?? '127.0.0.1',
      maxDaemons: this.cfg.processLimit,
      threadsPerChild: this.kind.threaded ? this.cfg.threadsPerChild : 1,
      configGeneration: this.configGeneration,
      extendedStatus: this.cfg.extendedStatus,
    });
  }

  private emitScoreboard(): void {
    const sink = this.opts.sink;
    if (!sink.enabled) return;
    const snap = this.snapshot();
    const ts = monoMs();
    const counts = statusCounts(snap);
    sink.emit({
      type: 'scoreboard',
      ts,
      generation: this.generation,
      scoreboard: scoreboardString(snap),
      processes: snap.parent.flatMap((p, slot) =>
        p.pid ? [{ slot, pid: p.pid, generation: p.generation, quiescing: p.quiescing, workers: snap.servers[slot].slice(0, snap.threadsPerChild).map((w) => STATUS_LETTER[w.status]).join('') }] : [],
      ),
      busy: counts.busy,
      idle: counts.idle,
      graceful: counts.graceful,
    });
    for (const l of this.listeners) {
      const depth = backlogDepth(l.addr.host, l.addr.port);
      if (depth !== null) sink.emit({ type: 'backlog', ts, listen: formatListen(l.addr), depth });
    }
  }

  private emitState(state: 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped'): void {
    if (!this.opts.sink.enabled) return;
    this.opts.sink.emit({
      type: 'engine.state',
      ts: monoMs(),
      state,
      mpm: this.kind.mpm,
      backend: 'node',
      generation: this.generation,
      pid: process.pid,
      listen: this.listeners.map((l) => formatListen(l.addr)),
    });
  }

  // ---- error_log ---------------------------------------------------------------------

  private log(level: LogLevel, module: string, ah: string, text: string, extra: { status?: string; startup?: boolean; src?: string } = {}): void {
    // threaded MPMs' error log shows a tid on every line, the parent's included
    this.emitLog({ level, module, ah, text, pid: process.pid, ...(this.kind.threaded ? { tid: process.pid } : {}), time: nowUs(), ...extra });
  }

  private emitLog(entry: LogEntry): void {
    const configured = this.cfg?.logLevel ?? 'warn';
    if (!shouldLog(entry.level, configured)) return;
    const line = formatErrorLogLine(entry);
    this.opts.stderr(line + '\n');
    if (this.opts.sink.enabled) {
      this.opts.sink.emit({ type: 'log', ts: monoMs(), level: entry.level, module: entry.module, ah: entry.ah, text: entry.text, pid: entry.pid, line });
    }
  }

  private diagnostic(d: Diagnostic): void {
    this.log(d.level, d.module, d.ah, d.text, { startup: d.startup });
  }
}

function signal(rec: ChildRec, sig: NodeJS.Signals): void {
  try {
    process.kill(rec.pid, sig);
  } catch {
    // already gone: the exit event is on its way
  }
}

function send(rec: ChildRec, m: ParentMessage): void {
  if (rec.proc.connected) rec.proc.send(m, undefined, {}, () => undefined);
}

function safeMtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return Date.now();
  }
}

/** strerror(3)'s wording, as httpd prints it before an error_log message */
function strerror(errno: number): string {
  const glibc: Record<number, string> = { [os.constants.errno.EAGAIN]: 'Resource temporarily unavailable', [os.constants.errno.ENOMEM]: 'Cannot allocate memory' };
  const uv = getSystemErrorMap().get(-errno)?.[1] ?? 'Unknown error';
  return glibc[errno] ?? uv.charAt(0).toUpperCase() + uv.slice(1);
}
