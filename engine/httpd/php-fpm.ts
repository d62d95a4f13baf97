// A real php-fpm (Debian's php8.2-fpm) beside real httpd, in httpd's private
// root: its own config, its own loopback socket, its pool processes
// unprivileged. Observed for the same events as the node engine's pool:
//   pool.spawn / pool.exit  — the master's children in /proc (10 times a second),
//                             the reason from php-fpm's own log line
//                             ("child N exited with code 0 …" = pm.max_requests;
//                             a signal = a crash; no line = stopped as idle,
//                             which php-fpm logs only at debug level);
//   pool.request            — php-fpm's access log (a fifo), one line per request;
//   pool.status             — once a second: a process blocked in accept() is
//                             idle (/proc/PID/syscall), the socket's accept queue
//                             is the listen queue (/proc/net/tcp, as php-fpm's
//                             status reads it with TCP_INFO), "max children
//                             reached" counts php-fpm's own warnings.
// Its status page is never polled: that would be a request, counted in
// "accepted conn" and waiting for a free process like any other.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { EventSink } from '../mpm/common/sink.js';
import { backlogDepth } from '../mpm/common/backlog.js';
import { monoMs } from '../platform/clock.js';
import { childrenOf } from '../platform/proc.js';
import { readFifo, tailFile } from './follow.js';
import { phpFpmConf } from './php.js';
import { fpmLogEvent } from '../app/fpm-log.js';

type ExitReason = 'max-requests' | 'idle' | 'crash' | 'stopping';

/** x86-64 and arm64 syscall numbers of accept/accept4: where an idle php-fpm child waits */
const ACCEPT_SYSCALLS = new Set(process.arch === 'arm64' ? ['202', '242'] : ['43', '288']);

export interface RealFpmOptions {
  bin: string;
  root: string;
  pool: { name: string; lines: string[] };
  runAs: { user: string; group: string } | null;
  sink: EventSink;
  stderr(line: string): void;
}

/** the reason php-fpm's log gives for a child's exit (fpm_children_bury), or null if the line is not about one */
export function exitFromLog(line: string): { pid: number; reason: ExitReason } | null {
  const m = /\[pool [^\]]+\] child (\d+) exited (?:with code (\d+)|on signal (\d+))/.exec(line);
  if (!m) return null;
  return { pid: Number(m[1]), reason: m[2] === '0' ? 'max-requests' : 'crash' };
}

/** fpm_pm_dynamic's and ondemand's warning, logged once per episode, exactly when "max children reached" is counted */
export const MAX_CHILDREN_WARNING = /\[pool [^\]]+\] server reached (?:pm\.)?max_children setting/;

export class RealFpm {
  port = 0;
  proc: ChildProcess | null = null;
  private readonly children = new Map<number, { seenGoneTicks: number }>();
  /** pids already reported gone (a late line must not bring one back) */
  private readonly gone = new Set<number>();
  private maxChildrenReached = 0;
  private stopping = false;
  private timers: NodeJS.Timeout[] = [];
  private log: { read(): void; stop(): void } | null = null;
  private access: net.Socket | null = null;

  constructor(private readonly o: RealFpmOptions) {}

  /** Start php-fpm and wait until it accepts; its refusals (ALERT …) are on our stderr and returned. */
  async start(port: number): Promise<{ ok: true } | { error: string }> {
    this.port = port;
    const conf = path.join(this.o.root, 'php-fpm.conf');
    fs.writeFileSync(conf, phpFpmConf({ root: this.o.root, pool: this.o.pool, port, runAs: this.o.runAs }));
    const fifo = path.join(this.o.root, 'logs/fpm-access.fifo');
    execFileSync('mkfifo', ['-m', '0622', fifo]);
    this.access = readFifo(fifo, (l) => this.onAccessLine(l), (e) => this.o.stderr(`mpm-lab: php-fpm access log: ${e.message}`));
    let ready = false;
    let lastError = '';
    this.log = tailFile(path.join(this.o.root, 'logs/php-fpm.log'), (line) => {
      this.o.stderr(line);
      const e = this.o.sink.enabled ? fpmLogEvent(line, this.proc?.pid ?? 0) : null;
      if (e) this.o.sink.emit(e);
      if (/NOTICE: ready to handle connections/.test(line)) ready = true;
      if (/(ALERT|ERROR):/.test(line) && !lastError) lastError = line.replace(/^\[[^\]]+\] /, '');
      this.onLogLine(line);
    });
    // its own process group: the watchdog stops it with httpd if MPM Lab dies
    const proc = spawn(this.o.bin, ['-F', '-y', conf, '-p', this.o.root], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    proc.on('error', (e) => (lastError ||= e.message));
    // -F also writes to stderr what it could not log before the log opened
    let early = '';
    proc.stderr!.on('data', (d: Buffer) => (early += d.toString()));
    for (let i = 0; i < 200 && !ready; i++) {
      if (proc.exitCode !== null || proc.signalCode !== null) break;
      await new Promise((r) => setTimeout(r, 25));
      this.log.read();
    }
    if (!ready) {
      this.log.read();
      if (!lastError && early) for (const l of early.trim().split('\n')) this.o.stderr(l);
      await this.stop();
      return { error: lastError || early.trim().split('\n').at(-1) || 'php-fpm did not start' };
    }
    this.timers.push(setInterval(() => this.observeChildren(), 100));
    this.timers.push(setInterval(() => this.emitStatus(), 1000));
    this.observeChildren();
    return { ok: true };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    const p = this.proc;
    if (p && p.exitCode === null && p.signalCode === null) {
      const gone = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM'); // php-fpm: SIGTERM/SIGINT = immediate termination, SIGQUIT = graceful
      await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
      if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    }
    this.log?.read();
    this.log?.stop();
    this.access?.destroy();
    if (this.o.sink.enabled) for (const pid of this.children.keys()) this.emitExit(pid, 'stopping');
    this.children.clear();
  }

  private onLogLine(line: string): void {
    if (MAX_CHILDREN_WARNING.test(line)) this.maxChildrenReached++;
    if (!this.o.sink.enabled) return;
    // a process can live less than one look at /proc (pm.max_requests on fast requests): its log lines name it too
    const started = /\[pool [^\]]+\] child (\d+) started/.exec(line);
    if (started) this.noteSpawn(Number(started[1]));
    const exit = exitFromLog(line);
    if (exit) {
      this.noteSpawn(exit.pid);
      this.children.delete(exit.pid);
      this.gone.add(exit.pid);
      this.emitExit(exit.pid, exit.reason);
    }
  }

  private noteSpawn(pid: number): void {
    if (this.children.has(pid) || this.gone.has(pid)) return;
    this.children.set(pid, { seenGoneTicks: 0 });
    this.o.sink.emit({ type: 'pool.spawn', ts: monoMs(), pool: this.o.pool.name, pid });
  }

  private onAccessLine(line: string): void {
    // "%p %m %{REQUEST_URI}e %{micro}d %s"
    const m = /^(\d+) (\S+) (\S+) (\d+) (\d+)$/.exec(line);
    if (!m || !this.o.sink.enabled) return;
    this.noteSpawn(Number(m[1]));
    this.o.sink.emit({ type: 'pool.request', ts: monoMs(), pool: this.o.pool.name, pid: Number(m[1]), method: m[2], uri: m[3], durationMs: Number(m[4]) / 1000 });
  }

  private observeChildren(): void {
    const master = this.proc?.pid;
    if (!master || !this.o.sink.enabled) return;
    const now = new Set(childrenOf(master));
    for (const pid of now) this.noteSpawn(pid);
    // php-fpm logs a child's exit as it reaps it (then onLogLine reports it): give its line two
    // ticks to arrive; none means the process manager stopped it as idle (logged at debug level only)
    this.log?.read();
    for (const [pid, c] of this.children) {
      if (now.has(pid) || ++c.seenGoneTicks < 3) continue;
      this.children.delete(pid);
      this.gone.add(pid);
      this.emitExit(pid, this.stopping ? 'stopping' : 'idle');
    }
  }

  private emitExit(pid: number, reason: ExitReason): void {
    this.o.sink.emit({ type: 'pool.exit', ts: monoMs(), pool: this.o.pool.name, pid, reason });
  }

  private emitStatus(): void {
    if (!this.o.sink.enabled) return;
    let idle = 0;
    let active = 0;
    for (const pid of this.children.keys()) {
      let sys: string;
      try {
        sys = fs.readFileSync(`/proc/${pid}/syscall`, 'latin1').split(' ')[0];
      } catch {
        continue; // gone, or not ours to read: neither idle nor active
      }
      if (ACCEPT_SYSCALLS.has(sys.trim())) idle++;
      else active++;
    }
    this.o.sink.emit({
      type: 'pool.status', ts: monoMs(), pool: this.o.pool.name, pm: this.pm(), idle, active,
      listenQueue: backlogDepth('127.0.0.1', this.port) ?? 0, maxChildrenReached: this.maxChildrenReached,
    });
  }

  private pm(): string {
    return /^pm = (\w+)/m.exec(this.o.pool.lines.join('\n'))?.[1] ?? 'dynamic';
  }
}
