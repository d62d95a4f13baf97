// `mpm-lab run --backend httpd`: a real Apache httpd 2.4 in the foreground, in a
// private ServerRoot, with the same CLI contract and the same events as the
// node backend: the error_log on stderr (and as log events), one
// "listening on 127.0.0.1:PORT" line, request.end from its access log (a fifo),
// child.spawn/child.exit from its process tree, worker.status and scoreboard
// from its scoreboard.
// Signals go to httpd, which handles them itself (TERM, USR1, HUP, WINCH).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventSink } from '../mpm/common/sink.js';
import { monoMs } from '../platform/clock.js';
import { projectRoot } from '../platform/paths.js';
import { childrenOf } from '../platform/proc.js';
import { INDEX_HTML, STATIC_FILES } from '../http/static-files.js';
import { parseAccessLine } from './access-log.js';
import { readFifo, tailFile } from './follow.js';
import { APP_PHP, findModPhp, findPhpFpm, poolForRealFpm } from './php.js';
import { RealFpm } from './php-fpm.js';
import { zlogTime } from '../app/pool.js';
import { sandboxConfig } from './sandbox.js';
import { httpdConf } from './conf.js';
import { findHttpd } from './find.js';
import { countWorkers, parseErrorLine, parseLabScoreboard, type LabScoreboard } from './observe.js';
import type { StatusLetter } from '../protocol/scoreboard.js';
import { backlogDepth } from '../mpm/common/backlog.js';

export interface HttpdRunOptions {
  mpm: string;
  httpd?: string;
  configFile?: string;
  sets: string[];
  listen?: string;
  /** honour User/Group of the config (only when running as root): --allow-user */
  allowUser?: boolean;
  /** /app/: real php-fpm with this pool config (mod_proxy_fcgi), or real mod_php in httpd's children */
  app?: { mode: 'fpm'; poolConfig: string } | { mode: 'mod_php' };
  sink: EventSink;
  stderr(line: string): void;
  stdout(line: string): void;
}

const STATUS_POLL_AGENT = 'MPM Lab (status poll)';
const WATCHDOG = fileURLToPath(new URL('./watchdog.js', import.meta.url));

export class HttpdBackend {
  private proc: ChildProcess | null = null;
  private root = '';
  private port = 0;
  private ports: number[] = [];
  private generation = 0;
  private timers: NodeJS.Timeout[] = [];
  private children = new Map<number, { slot: number; generation: number }>();
  private fpm: RealFpm | null = null;

  constructor(private readonly o: HttpdRunOptions) {}

  signal(sig: NodeJS.Signals): void {
    if ((sig === 'SIGUSR1' || sig === 'SIGHUP') && this.proc?.pid) {
      // children seen before the restart are of the old generation
      if (this.o.sink.enabled) this.observeChildren(this.proc.pid, null);
      this.generation++;
    }
    this.proc?.kill(sig);
  }

  async run(): Promise<number> {
    if (this.o.mpm !== 'prefork' && this.o.mpm !== 'worker' && this.o.mpm !== 'event') {
      this.o.stderr(`mpm-lab: real httpd has no ${this.o.mpm} MPM on this OS; use --backend node for the model`);
      return 2;
    }
    const found = findHttpd(this.o.httpd);
    if ('error' in found) {
      this.o.stderr(`mpm-lab: ${found.error}`);
      return 2;
    }
    let userConfig = this.o.configFile ? fs.readFileSync(this.o.configFile, 'utf8') : '';
    for (const s of this.o.sets) {
      const eq = s.indexOf('=');
      userConfig += `\n${eq > 0 ? `${s.slice(0, eq)} ${s.slice(eq + 1)}` : s}`;
    }
    // only what stays inside the private root reaches httpd (./sandbox.ts)
    const sandboxed = sandboxConfig(userConfig, { allowUser: this.o.allowUser ?? false });
    for (const w of sandboxed.warnings) this.o.stderr(w);
    userConfig = sandboxed.text;
    // as many loopback ports as the config has Listen lines: one or several decides the accept mutex (AH00165)
    const listens = userConfig.split('\n').filter((l) => /^\s*Listen\s/i.test(l)).length;
    const app = this.o.app;
    const pool = app?.mode === 'fpm' ? poolForRealFpm(fs.readFileSync(app.poolConfig, 'utf8')) : null;
    if (pool && !pool.ok) {
      this.o.stderr(`[${zlogTime()}] ALERT: ${pool.error}`);
      this.o.stderr(`mpm-lab: the application pool did not start: ${pool.error}`);
      return 1;
    }
    const fpmBin = app?.mode === 'fpm' ? findPhpFpm() : null;
    const modPhp = app?.mode === 'mod_php' ? findModPhp(found.modulesDir) : null;
    for (const f of [fpmBin, modPhp]) {
      if (f && typeof f !== 'string') {
        this.o.stderr(`mpm-lab: ${f.error}`);
        return 2;
      }
    }
    // one more loopback port for php-fpm
    const ports = await this.choosePorts(Math.max(1, listens) + (pool ? 1 : 0));
    const fpmPort = pool ? ports.pop()! : 0;
    this.ports = ports;
    this.port = this.ports[0];
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-httpd-'));
    // readable by the unprivileged user httpd switches to when we run as root
    fs.chmodSync(this.root, 0o755);
    fs.mkdirSync(path.join(this.root, 'logs'));
    fs.mkdirSync(path.join(this.root, 'htdocs/static'), { recursive: true });
    fs.writeFileSync(path.join(this.root, 'htdocs/index.html'), INDEX_HTML);
    fs.writeFileSync(path.join(this.root, 'mime.types'), '');
    // the access log is piped to us: a fifo httpd opens as its CustomLog file
    const accessFifo = path.join(this.root, 'logs/access.fifo');
    execFileSync('mkfifo', ['-m', '0622', accessFifo]);
    // opened before httpd starts: httpd's open() of a fifo waits for a reader
    this.pipe(accessFifo, (line) => this.onAccessLine(line));
    for (const f of STATIC_FILES) fs.writeFileSync(path.join(this.root, 'htdocs/static', f.name), f.body);
    fs.copyFileSync(path.join(projectRoot(), 'engine/httpd/mpm-lab.lua'), path.join(this.root, 'mpm-lab.lua'));
    const runAs = process.getuid?.() === 0 ? { user: 'nobody', group: 'nogroup' } : null;
    if (app) {
      fs.writeFileSync(path.join(this.root, 'htdocs/app.php'), APP_PHP);
      // /app/STATUS then maps to a path in a directory that exists: SCRIPT_NAME is the whole path (php-fpm compares it with pm.status_path)
      fs.mkdirSync(path.join(this.root, 'htdocs/app'));
    }
    if (pool?.ok) {
      for (const n of pool.notes) this.o.stderr(n);
      this.fpm = new RealFpm({ bin: fpmBin as string, root: this.root, pool, runAs, sink: this.o.sink, stderr: this.o.stderr });
      const started = await this.fpm.start(fpmPort);
      if ('error' in started) {
        this.o.stderr(`mpm-lab: the application pool did not start: ${started.error}`);
        for (const r of this.pipeReaders) r.destroy();
        fs.rmSync(this.root, { recursive: true, force: true });
        return 1;
      }
    }
    const conf = path.join(this.root, 'httpd.conf');
    const mpm = this.o.mpm as 'prefork' | 'worker' | 'event';
    const appConf = app?.mode === 'fpm' ? { mode: 'fpm' as const, port: fpmPort, statusPath: pool?.ok ? pool.statusPath : null } : app ? { mode: 'mod_php' as const, module: modPhp as string } : undefined;
    fs.writeFileSync(conf, httpdConf({ root: this.root, modulesDir: found.modulesDir, mpm, ports: this.ports, userConfig, runAs, ...(appConf ? { app: appConf } : {}) }));
    const serverLimit = Number(/^\s*ServerLimit\s+(\d+)/im.exec(userConfig)?.[1] ?? (mpm === 'prefork' ? 256 : 16));

    this.emitState('starting');
    const proc = spawn(found.bin, ['-f', conf, '-DFOREGROUND'], {
      detached: true, // its own process group: the watchdog can stop all of it
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MPM_LAB_MPM: mpm, MPM_LAB_SERVER_LIMIT: String(serverLimit) },
    });
    this.proc = proc;
    const groups = [proc.pid, this.fpm?.proc?.pid].filter(Boolean).join(',');
    const dog = spawn(process.execPath, [WATCHDOG, groups, this.root], { stdio: ['pipe', 'ignore', 'ignore'] });
    dog.unref();
    // startup warnings (AH00515 …) come on httpd's stderr, before the error log opens
    proc.stderr!.on('data', (d: Buffer) => this.o.stderr(d.toString().replace(/\n$/, '')));
    proc.stdout!.on('data', (d: Buffer) => this.o.stderr(d.toString().replace(/\n$/, '')));

    this.tail(path.join(this.root, 'logs/error_log'), (line) => this.onErrorLine(line));
    // mod_status is polled over HTTP: each poll is a connection to httpd (a worker for a moment,
    // one more connection for MaxConnectionsPerChild). MPM_LAB_HTTPD_STATUS_POLL=0 turns it off
    // (the fidelity harness does, so that only the experiment's traffic reaches httpd).
    const pollMs = Number(process.env.MPM_LAB_HTTPD_STATUS_POLL ?? 1000);
    // the process tree is cheap to read (the kernel's list of httpd's children): 10 times a second
    this.every(100, () => this.o.sink.enabled && this.observeChildren(proc.pid!, this.lastBoard));
    if (pollMs > 0) this.every(1000, () => void this.observe(proc.pid!));
    void this.announceWhenListening();

    const code = await new Promise<number>((resolve) => proc.on('exit', (c, s) => resolve(c ?? (s ? 128 + (os.constants.signals[s] ?? 0) : 1))));
    for (const t of this.timers) clearInterval(t);
    await this.fpm?.stop();
    // the last lines
    await new Promise((r) => setTimeout(r, 100));
    this.flushTails();
    for (const t of this.tails) t.stop();
    for (const r of this.pipeReaders) r.destroy();
    this.emitState('stopped');
    fs.rmSync(this.root, { recursive: true, force: true });
    // httpd is gone and its root removed: the watchdog has nothing left to do
    dog.kill('SIGKILL');
    return code;
  }

  private async choosePorts(n: number): Promise<number[]> {
    const want = this.o.listen ? Number(/:(\d+)$/.exec(this.o.listen)?.[1] ?? 0) : 0;
    if (want) return [want];
    // free ports, chosen by the kernel (all held at once, so they differ) and released for httpd (httpd cannot be told "port 0")
    const held = await Promise.all(Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })));
    const ports = held.map((s) => (s.address() as net.AddressInfo).port);
    await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
    return ports;
  }

  /** Ready once the kernel shows the socket in LISTEN: a probe connection would count as one of httpd's (MaxConnectionsPerChild). */
  private async announceWhenListening(): Promise<void> {
    for (let i = 0; i < 300; i++) {
      if (backlogDepth('127.0.0.1', this.port) !== null) {
        this.o.stdout(`listening on 127.0.0.1:${this.port}\n`);
        this.emitState('running');
        return;
      }
      if (!this.proc || this.proc.exitCode !== null) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  // ---- what httpd says --------------------------------------------------------------

  private tails: Array<{ read(): void; stop(): void }> = [];

  private tail(file: string, onLine: (line: string) => void): void {
    this.tails.push(tailFile(file, onLine));
  }

  private pipeReaders: net.Socket[] = [];

  private pipe(fifo: string, onLine: (line: string) => void): void {
    this.pipeReaders.push(readFifo(fifo, onLine, (e) => this.o.stderr(`mpm-lab: log pipe ${path.basename(fifo)}: ${e.message}`)));
  }

  private flushTails(): void {
    for (const t of this.tails) t.read();
  }

  private every(ms: number, f: () => void): void {
    this.timers.push(setInterval(f, ms));
  }

  private onErrorLine(line: string): void {
    this.o.stderr(line);
    if (!this.o.sink.enabled) return;
    const e = parseErrorLine(line);
    if (e) this.o.sink.emit({ type: 'log', ts: monoMs(), ...e, line });
  }

  private onAccessLine(line: string): void {
    const r = parseAccessLine(line);
    // our own status polls are not the learner's traffic
    if (!r || !this.o.sink.enabled || r.userAgent === STATUS_POLL_AGENT) return;
    const known = this.children.get(r.pid);
    const connId = `${r.pid}-${r.clientPort}`;
    this.o.sink.emit({
      type: 'request.end',
      ts: monoMs(),
      pid: r.pid,
      tid: r.tid ?? r.pid,
      slot: r.slot ?? known?.slot ?? -1,
      // -1: httpd did not say (worker/event: mpm-lab.lua could not yet tell this thread's entry)
      thread: r.thread ?? (this.o.mpm === 'prefork' ? 0 : -1),
      connId,
      reqId: r.keepalive + 1,
      method: r.method,
      path: r.path,
      version: r.version,
      request: r.request,
      status: r.status,
      bytes: r.bytes,
      durationMs: r.durationMs,
      keepalive: r.keepalive,
      connStatus: r.connStatus,
      connection: r.connStatus === '+' ? 'keep' : 'close',
      userAgent: r.userAgent,
      client: `127.0.0.1:${r.clientPort}`,
      ...(r.appPid ? { appPid: r.appPid } : {}),
    });
  }

  /**
   * Poll what cannot be pushed: httpd's scoreboard (mpm-lab.lua reads it) →
   * worker.status for every cell that changed and a scoreboard event (the
   * process tree, read more often, gives child.spawn/child.exit).
   */
  private lastBoard: LabScoreboard | null = null;

  private async observe(parentPid: number): Promise<void> {
    if (!this.o.sink.enabled) return;
    const sb = await fetchText(this.port, '/mpm-lab-scoreboard').then(parseLabScoreboard).catch(() => null);
    if (!sb) return;
    this.lastBoard = sb;
    this.observeChildren(parentPid, sb);
    this.observeScoreboard(sb);
  }

  /** child.spawn / child.exit from httpd's process tree, with the slot and generation the scoreboard gives. */
  private observeChildren(parentPid: number, sb: LabScoreboard | null): void {
    const sink = this.o.sink;
    const ts = monoMs();
    const slotOf = new Map(sb?.processes.map((p) => [p.pid, p.slot]));
    // worker/event record each thread's generation; prefork's is the generation we saw it start in
    const genOf = new Map(sb?.workers.filter((w) => w.generation !== null).map((w) => [w.pid, w.generation!]));
    const now = new Set(childrenOf(parentPid));
    for (const pid of now) {
      const known = this.children.get(pid);
      if (known) {
        known.slot = slotOf.get(pid) ?? known.slot;
        continue;
      }
      const c = { slot: slotOf.get(pid) ?? -1, generation: genOf.get(pid) ?? this.generation };
      this.children.set(pid, c);
      sink.emit({ type: 'child.spawn', ts, pid, ...c });
    }
    for (const [pid, c] of this.children) {
      if (now.has(pid)) continue;
      this.children.delete(pid);
      // httpd's own reason is in its error log (AH00052 …); the poll only sees that it is gone
      sink.emit({ type: 'child.exit', ts, pid, slot: c.slot, generation: c.generation, code: null, signal: null, reason: 'exit' });
    }
  }

  /** the last letter and pid seen per scoreboard cell ("slot.thread") */
  private cells = new Map<string, { letter: string; pid: number }>();

  private observeScoreboard(sb: LabScoreboard): void {
    const sink = this.o.sink;
    const ts = monoMs();
    const seen = new Set<string>();
    for (const w of sb.workers) {
      if (!w.pid) continue; // a cell of a process that is gone: only its letter is left, in the string
      const key = `${w.slot}.${w.thread}`;
      seen.add(key);
      const prev = this.cells.get(key);
      if (prev?.letter === w.letter && prev.pid === w.pid) continue;
      this.cells.set(key, { letter: w.letter, pid: w.pid });
      sink.emit({ type: 'worker.status', ts, slot: w.slot, thread: w.thread, pid: w.pid, status: w.letter as StatusLetter });
    }
    for (const [key, prev] of this.cells) {
      if (seen.has(key)) continue;
      this.cells.delete(key);
      const [slot, thread] = key.split('.').map(Number);
      sink.emit({ type: 'worker.status', ts, slot, thread, pid: prev.pid, status: '.' });
    }
    const generation = this.generation;
    const generationOf = (pid: number) => this.children.get(pid)?.generation ?? generation;
    sink.emit({
      type: 'scoreboard',
      ts,
      generation,
      scoreboard: sb.scoreboard,
      processes: sb.processes.map((p) => ({
        slot: p.slot,
        pid: p.pid,
        generation: generationOf(p.pid),
        quiescing: p.quiescing,
        workers: sb.workers.filter((w) => w.slot === p.slot && w.thread < sb.threadsPerChild).map((w) => w.letter).join(''),
      })),
      ...countWorkers(sb, generationOf, generation),
    });
  }

  private emitState(state: 'starting' | 'running' | 'stopped'): void {
    if (!this.o.sink.enabled) return;
    this.o.sink.emit({
      type: 'engine.state', ts: monoMs(), state, mpm: this.o.mpm, backend: 'httpd', generation: this.generation,
      pid: this.proc?.pid ?? process.pid, listen: state === 'running' ? this.ports.map((p) => `127.0.0.1:${p}`) : [],
    });
  }
}

function fetchText(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => c.write(`GET ${target} HTTP/1.0\r\nHost: 127.0.0.1\r\nUser-Agent: ${STATUS_POLL_AGENT}\r\n\r\n`));
    let buf = '';
    c.setTimeout(2000, () => c.destroy(new Error('timeout')));
    c.on('data', (d) => (buf += d.toString()));
    c.on('error', reject);
    c.on('close', () => {
      const i = buf.indexOf('\r\n\r\n');
      if (i < 0) reject(new Error('no response'));
      else resolve(buf.slice(i + 4));
    });
  });
}
