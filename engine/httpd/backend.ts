// `mpm-lab run --backend httpd`: a real Apache httpd 2.4 in the foreground, in a
// private ServerRoot, with the same CLI contract and the same events as the
// node backend: the error_log on stderr (and as log events), one
// "listening on 127.0.0.1:PORT" line, request.end from its access log,
// child.spawn/child.exit from its process tree, scoreboard from mod_status.
// Signals go to httpd, which handles them itself (TERM, USR1, HUP, WINCH).
import { spawn, type ChildProcess } from 'node:child_process';
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
import { httpdConf } from './conf.js';
import { findHttpd } from './find.js';
import { parseErrorLine, parseStatusAuto } from './observe.js';
import { backlogDepth } from '../mpm/common/backlog.js';

export interface HttpdRunOptions {
  mpm: string;
  httpd?: string;
  configFile?: string;
  sets: string[];
  listen?: string;
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
  private generation = 0;
  private timers: NodeJS.Timeout[] = [];
  private children = new Map<number, { slot: number; generation: number }>();

  constructor(private readonly o: HttpdRunOptions) {}

  signal(sig: NodeJS.Signals): void {
    if (sig === 'SIGUSR1' || sig === 'SIGHUP') this.generation++;
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
    this.port = await this.choosePort();
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-httpd-'));
    // readable by the unprivileged user httpd switches to when we run as root
    fs.chmodSync(this.root, 0o755);
    fs.mkdirSync(path.join(this.root, 'logs'));
    fs.mkdirSync(path.join(this.root, 'htdocs/static'), { recursive: true });
    fs.writeFileSync(path.join(this.root, 'htdocs/index.html'), INDEX_HTML);
    fs.writeFileSync(path.join(this.root, 'mime.types'), '');
    for (const f of STATIC_FILES) fs.writeFileSync(path.join(this.root, 'htdocs/static', f.name), f.body);
    fs.copyFileSync(path.join(projectRoot(), 'engine/httpd/mpm-lab.lua'), path.join(this.root, 'mpm-lab.lua'));
    const runAs = process.getuid?.() === 0 ? { user: 'nobody', group: 'nogroup' } : null;
    const conf = path.join(this.root, 'httpd.conf');
    const mpm = this.o.mpm as 'prefork' | 'worker' | 'event';
    fs.writeFileSync(conf, httpdConf({ root: this.root, modulesDir: found.modulesDir, mpm, port: this.port, userConfig, runAs }));
    const serverLimit = Number(/^\s*ServerLimit\s+(\d+)/im.exec(userConfig)?.[1] ?? (mpm === 'prefork' ? 256 : 16));

    this.emitState('starting');
    const proc = spawn(found.bin, ['-f', conf, '-DFOREGROUND'], {
      detached: true, // its own process group: the watchdog can stop all of it
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MPM_LAB_MPM: mpm, MPM_LAB_SERVER_LIMIT: String(serverLimit) },
    });
    this.proc = proc;
    const dog = spawn(process.execPath, [WATCHDOG, String(proc.pid), this.root], { stdio: ['pipe', 'ignore', 'ignore'] });
    dog.unref();
    // startup warnings (AH00515 …) come on httpd's stderr, before the error log opens
    proc.stderr!.on('data', (d: Buffer) => this.o.stderr(d.toString().replace(/\n$/, '')));
    proc.stdout!.on('data', (d: Buffer) => this.o.stderr(d.toString().replace(/\n$/, '')));

    this.tail(path.join(this.root, 'logs/error_log'), (line) => this.onErrorLine(line));
    this.tail(path.join(this.root, 'logs/access_log'), (line) => this.onAccessLine(line));
    // mod_status is polled over HTTP: each poll is a connection to httpd (a worker for a moment,
    // one more connection for MaxConnectionsPerChild). MPM_LAB_HTTPD_STATUS_POLL=0 turns it off
    // (the fidelity harness does, so that only the experiment's traffic reaches httpd).
    const pollMs = Number(process.env.MPM_LAB_HTTPD_STATUS_POLL ?? 1000);
    this.every(1000, () => void this.observe(proc.pid!, pollMs > 0));
    void this.announceWhenListening();

    const code = await new Promise<number>((resolve) => proc.on('exit', (c, s) => resolve(c ?? (s ? 128 + (os.constants.signals[s] ?? 0) : 1))));
    for (const t of this.timers) clearInterval(t);
    // the last lines
    await new Promise((r) => setTimeout(r, 100));
    this.flushTails();
    this.emitState('stopped');
    fs.rmSync(this.root, { recursive: true, force: true });
    // httpd is gone and its root removed: the watchdog has nothing left to do
    dog.kill('SIGKILL');
    return code;
  }

  private async choosePort(): Promise<number> {
    const want = this.o.listen ? Number(/:(\d+)$/.exec(this.o.listen)?.[1] ?? 0) : 0;
    if (want) return want;
    // a free port, chosen by the kernel and released for httpd (httpd cannot be told "port 0")
    return new Promise((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
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

  private tails: Array<() => void> = [];

  /** Follow a log file as httpd appends to it (it may not exist yet). */
  private tail(file: string, onLine: (line: string) => void): void {
    let pos = 0;
    let rest = '';
    const read = () => {
      let fd: number;
      try {
        fd = fs.openSync(file, 'r');
      } catch {
        return;
      }
      try {
        const size = fs.fstatSync(fd).size;
        if (size < pos) pos = 0; // rotated or truncated
        if (size === pos) return;
        const buf = Buffer.alloc(size - pos);
        fs.readSync(fd, buf, 0, buf.length, pos);
        pos = size;
        rest += buf.toString('utf8');
        let i;
        while ((i = rest.indexOf('\n')) >= 0) {
          onLine(rest.slice(0, i));
          rest = rest.slice(i + 1);
        }
      } finally {
        fs.closeSync(fd);
      }
    };
    this.tails.push(read);
    this.every(50, read);
  }

  private flushTails(): void {
    for (const t of this.tails) t();
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
      thread: r.thread ?? 0,
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
    });
  }

  /** Poll what cannot be pushed: the process tree (spawn/exit) and mod_status (the scoreboard). */
  private async observe(parentPid: number, status: boolean): Promise<void> {
    const sink = this.o.sink;
    if (!sink.enabled) return;
    const now = new Set(childrenOf(parentPid));
    const ts = monoMs();
    for (const pid of now) {
      if (this.children.has(pid)) continue;
      this.children.set(pid, { slot: -1, generation: this.generation });
      sink.emit({ type: 'child.spawn', ts, pid, slot: -1, generation: this.generation });
    }
    for (const [pid, c] of this.children) {
      if (now.has(pid)) continue;
      this.children.delete(pid);
      // httpd's own reason is in its error log (AH00052 …); the poll only sees that it is gone
      sink.emit({ type: 'child.exit', ts, pid, slot: c.slot, generation: c.generation, code: null, signal: null, reason: 'exit' });
    }
    if (!status) return;
    const auto = await fetchText(this.port, '/server-status?auto').catch(() => null);
    if (!auto) return;
    const st = parseStatusAuto(auto);
    sink.emit({
      type: 'scoreboard',
      ts: monoMs(),
      generation: st.generation ?? this.generation,
      scoreboard: st.scoreboard,
      processes: [],
      busy: st.busy,
      idle: st.idle,
      graceful: [...st.scoreboard].filter((c) => c === 'G').length,
    });
  }

  private emitState(state: 'starting' | 'running' | 'stopped'): void {
    if (!this.o.sink.enabled) return;
    this.o.sink.emit({
      type: 'engine.state', ts: monoMs(), state, mpm: this.o.mpm, backend: 'httpd', generation: this.generation,
      pid: this.proc?.pid ?? process.pid, listen: state === 'running' ? [`127.0.0.1:${this.port}`] : [],
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
