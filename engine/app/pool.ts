// The application pool's master (a php-fpm master): real worker processes
// (./worker.ts), sized by PHP-FPM's process manager (./pm.ts) once a second
// and, for ondemand, on each arrival. Where php-fpm's children accept from the
// pool's socket themselves, Node cannot block in accept(): the master accepts
// each connection at once and hands it to an idle process, oldest idle first;
// connections no process can take wait in the master's queue, which is what
// the status page calls the listen queue (engine/README.md says so).
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MasterToWorker, WorkerToMaster } from './messages.js';
import { childrenAtStart, initialPmState, onSocketAccept, performIdleServerMaintenance, type PmState, type PoolChild } from './pm.js';
import type { PoolConfig, PoolLog } from './pool-config.js';
import type { PoolStatus } from './status.js';
import type { EventOf } from '../protocol/events.js';
import { monoMs } from '../platform/clock.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.js');
/** FPM_IDLE_SERVER_MAINTENANCE_HEARTBEAT */
const HEARTBEAT_MS = 1000;

interface Child {
  proc: ChildProcess;
  pid: number;
  started: number;
  /** epoch seconds at fork, for the status page */
  startEpoch: number;
  ready: boolean;
  idle: boolean;
  /** when it went idle (for oldest-idle-first hand-off) and when it last worked */
  idleSince: number;
  lastActivity: number;
  requests: number;
  quitting: boolean;
  current: { method: string; uri: string; since: number } | null;
  /** an idle process shows its last request, as php-fpm's status does */
  last: { method: string; uri: string } | null;
  lastDurationUs: number;
}

export type PoolEvent = EventOf<'pool.spawn'> | EventOf<'pool.exit'> | EventOf<'pool.request'> | EventOf<'pool.status'>;

export interface AppPoolOptions {
  /** php-fpm's log lines, "[07-Dec-2026 00:53:01] WARNING: [pool www] …" */
  log(level: PoolLog['level'], text: string): void;
  onEvent?(e: PoolEvent): void;
}

/** zlog's time: "%d-%b-%Y %H:%M:%S" */
export function zlogTime(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getDate())}-${d.toLocaleString('en-US', { month: 'short' })}-${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function effectiveBacklog(configured: number): number {
  let somaxconn = 4096;
  try {
    somaxconn = Number(fs.readFileSync('/proc/sys/net/core/somaxconn', 'latin1').trim()) || somaxconn;
  } catch {
    // not Linux: the common default
  }
  return configured < 0 || configured > somaxconn ? somaxconn : configured;
}

export class AppPool {
  port = 0;
  private server: net.Server | null = null;
  private readonly children = new Map<number, Child>();
  private readonly queue: net.Socket[] = [];
  private state: PmState = initialPmState();
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  private readonly startEpoch = Math.floor(Date.now() / 1000);
  private acceptedConn = 0;
  private maxListenQueue = 0;
  private maxActive = 0;
  /** an ondemand accept event is being handled in this turn of the loop */
  private acceptEvent = false;
  /** listen(2)'s backlog as the kernel keeps it: capped at net.core.somaxconn, which a negative value also means */
  private readonly backlog: number;

  constructor(
    readonly config: PoolConfig,
    private readonly opts: AppPoolOptions,
  ) {
    this.backlog = effectiveBacklog(config.listenBacklog);
  }

  async start(host = '127.0.0.1', port = 0): Promise<number> {
    const server = net.createServer({ pauseOnConnect: true }, (sock) => this.onConnection(sock));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, backlog: this.backlog }, () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    for (let i = 0; i < childrenAtStart(this.config); i++) this.makeChild();
    // php-fpm's first children are accepting within a millisecond of their fork, long before the
    // manager's first pass; ours take ~100 ms to load (longer on a busy machine): the passes start
    // once they are ready, so that a slow start never reads as "no idle process"
    const deadline = performance.now() + 5000;
    while ([...this.children.values()].some((c) => !c.ready) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    this.timer = setInterval(() => this.maintenance(), HEARTBEAT_MS);
    return this.port;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    for (const s of this.queue.splice(0)) s.destroy();
    const exits = [...this.children.values()].map((c) => new Promise((r) => (c.proc.exitCode !== null ? r(null) : c.proc.once('exit', r))));
    for (const c of this.children.values()) c.proc.kill('SIGTERM');
    await Promise.all(exits);
    // connections handed to processes are theirs: not waited for here
    this.server?.close();
  }

  /** The scoreboard the status page shows. */
  status(): PoolStatus {
    const kids = [...this.children.values()].filter((c) => c.ready);
    const active = kids.filter((c) => !c.idle).length;
    return {
      pool: this.config.name,
      pm: this.config.pm,
      startEpoch: this.startEpoch,
      acceptedConn: this.acceptedConn,
      listenQueue: this.queue.length,
      maxListenQueue: this.maxListenQueue,
      listenQueueLen: this.backlog,
      idle: kids.length - active,
      active,
      maxActive: this.maxActive,
      maxChildrenReached: this.state.maxChildrenReached,
      slowRequests: 0,
      processes: kids.map((c) => ({
        pid: c.pid,
        state: c.idle ? 'Idle' : 'Running',
        startEpoch: c.startEpoch,
        requests: c.requests,
        durationUs: c.current ? Math.round((performance.now() - c.current.since) * 1000) : c.lastDurationUs,
        method: (c.current ?? c.last)?.method ?? '-',
        uri: (c.current ?? c.last)?.uri ?? '-',
      })),
    };
  }

  pids(): number[] {
    return [...this.children.keys()];
  }

  private view(): PoolChild[] {
    // a process still starting counts as running, not idle (php-fpm's child is idle once it accepts)
    return [...this.children.values()].filter((c) => !c.quitting).map((c) => ({ pid: c.pid, started: c.started, idle: c.ready && c.idle, lastActivity: c.lastActivity }));
  }

  private logAll(logs: PoolLog[]): void {
    for (const l of logs) this.opts.log(l.level, l.text);
  }

  private onConnection(sock: net.Socket): void {
    this.acceptedConn++;
    sock.on('error', () => undefined);
    this.queue.push(sock);
    // php-fpm's master hears the socket edge-triggered: connections that arrive together are one
    // wake-up and one decision. Node accepts all pending connections in one turn of its loop: one turn, one decision.
    if (this.config.pm === 'ondemand' && !this.acceptEvent) {
      this.acceptEvent = true;
      setImmediate(() => (this.acceptEvent = false));
      const d = onSocketAccept(this.config, this.state, this.view());
      this.state = d.state;
      this.logAll(d.logs);
      for (let i = 0; i < d.spawn; i++) this.makeChild();
    }
    this.dispatch();
  }

  private idleReady(): Child[] {
    return [...this.children.values()].filter((c) => c.ready && c.idle && !c.quitting).sort((a, b) => a.idleSince - b.idleSince);
  }

  /** Hand waiting connections to idle processes, the one idle longest first. */
  private dispatch(): void {
    let idle = this.idleReady();
    while (this.queue.length && idle.length) {
      const sock = this.queue.shift()!;
      const c = idle.shift()!;
      if (sock.destroyed) continue;
      c.idle = false;
      c.current = { method: '-', uri: '-', since: performance.now() };
      c.proc.send({ t: 'conn' } satisfies MasterToWorker, sock, { keepOpen: false }, () => undefined);
      idle = idle.length ? idle : this.idleReady();
    }
    const active = [...this.children.values()].filter((c) => c.ready && !c.idle).length;
    this.maxActive = Math.max(this.maxActive, active);
    this.maxListenQueue = Math.max(this.maxListenQueue, this.queue.length);
  }

  private makeChild(): number | null {
    if (this.stopping) return null;
    const proc = fork(WORKER, [this.config.name, this.config.statusPath ?? ''], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--single-threaded'], serialization: 'json' });
    proc.on('error', () => undefined);
    if (!proc.pid) {
      this.opts.log('ERROR', 'fork() failed: Resource temporarily unavailable (11)');
      return null;
    }
    const now = performance.now();
    const c: Child = { proc, pid: proc.pid, started: now, startEpoch: Math.floor(Date.now() / 1000), ready: false, idle: true, idleSince: now, lastActivity: now, requests: 0, quitting: false, current: null, last: null, lastDurationUs: 0 };
    this.children.set(c.pid, c);
    this.opts.onEvent?.({ type: 'pool.spawn', ts: monoMs(), pool: this.config.name, pid: c.pid });
    proc.on('message', (m: WorkerToMaster) => this.onWorker(c, m));
    proc.on('exit', (code, signal) => this.onExit(c, code, signal));
    return c.pid;
  }

  private onWorker(c: Child, m: WorkerToMaster): void {
    switch (m.t) {
      case 'ready':
        c.ready = true;
        c.idleSince = c.lastActivity = performance.now();
        this.dispatch();
        break;
      case 'busy':
        if (c.current) Object.assign(c.current, { method: m.method, uri: m.uri });
        break;
      case 'status?':
        c.proc.send({ t: 'status', id: m.id, status: this.status() } satisfies MasterToWorker);
        break;
      case 'done': {
        c.requests++;
        const req = c.current;
        c.current = null;
        c.last = req;
        c.lastDurationUs = m.durationUs;
        c.idle = true;
        c.idleSince = c.lastActivity = performance.now();
        this.opts.onEvent?.({ type: 'pool.request', ts: monoMs(), pool: this.config.name, pid: c.pid, method: req?.method ?? '-', uri: req?.uri ?? '-', durationMs: m.durationUs / 1000 });
        // pm.max_requests: the process ends after this many and the pool replaces it as its pm says
        if (this.config.maxRequests > 0 && c.requests >= this.config.maxRequests) this.quit(c);
        this.dispatch();
        break;
      }
    }
  }

  private quit(c: Child): void {
    c.quitting = true;
    if (c.proc.connected) c.proc.send({ t: 'quit' } satisfies MasterToWorker);
  }

  private onExit(c: Child, code: number | null, signal: NodeJS.Signals | null): void {
    this.children.delete(c.pid);
    const reason = this.stopping ? 'stopping' : c.quitting ? (this.config.maxRequests > 0 && c.requests >= this.config.maxRequests ? 'max-requests' : 'idle') : 'crash';
    this.opts.onEvent?.({ type: 'pool.exit', ts: monoMs(), pool: this.config.name, pid: c.pid, reason });
    if (this.stopping) return;
    // fpm_children_bury: a process the manager stopped as idle is not replaced; any
    // other exit (pm.max_requests, a crash) is logged and replaced by one new process
    if (reason === 'idle') return;
    const after = ((performance.now() - c.started) / 1000).toFixed(6);
    this.opts.log(signal ? 'WARNING' : 'NOTICE', `[pool ${this.config.name}] child ${c.pid} exited ${signal ? `on signal ${os.constants.signals[signal]} (${signal})` : `with code ${code}`} after ${after} seconds from start`);
    // fpm_children_make(wp, 1, 1, 0): a replacement is announced at NOTICE (the manager's own spawns only at debug)
    const pid = this.makeChild();
    if (pid) this.opts.log('NOTICE', `[pool ${this.config.name}] child ${pid} started`);
    this.dispatch();
  }

  private maintenance(): void {
    if (this.opts.onEvent) {
      const s = this.status();
      this.opts.onEvent({ type: 'pool.status', ts: monoMs(), pool: s.pool, pm: s.pm, idle: s.idle, active: s.active, listenQueue: s.listenQueue, maxChildrenReached: s.maxChildrenReached });
    }
    const d = performIdleServerMaintenance(this.config, this.state, this.view(), performance.now());
    this.state = d.state;
    this.logAll(d.logs);
    for (let i = 0; i < d.spawn; i++) this.makeChild();
    if (d.kill !== null) {
      const c = this.children.get(d.kill);
      if (c) this.quit(c);
    }
  }
}
