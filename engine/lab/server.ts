// The lab server (`mpm-lab start`): one process on 127.0.0.1 that serves the
// built site, the control WebSocket (/control) and the request driver, and
// supervises a few engine instances. Requests are dispatched by type to small
// verbs below; security checks live in auth.ts, per-socket handling in session.ts.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { checkUpgrade, allowedOrigins, hostAllowed, newToken } from './auth.js';
import { checkLimits, drive } from './driver.js';
import { EngineInstance, configReport } from './instance.js';
import { Recorder, listTraces } from './recorder.js';
import { Session } from './session.js';
import { serveStatic } from './static.js';
import { DRIVER_LIMITS, MAX_INSTANCES, PROTOCOL_VERSION, type ClientRequest, type ServerMessage } from '../protocol/messages.js';
import type { EngineEvent } from '../protocol/events.js';
import { monoMs } from '../platform/clock.js';
import { LAB_VERSION } from '../version.js';
import { findHttpd } from '../httpd/find.js';

export interface LabOptions {
  /** 0 = a free port */
  port: number;
  /** the built site (Astro's dist/) */
  siteDir: string;
  tracesDir: string;
  /** origins besides the lab's own that may use the control socket (--allow-origin) */
  allowOrigins: string[];
  maxProcesses: number;
  /** the engines' thread cap (default DEFAULT_MAX_THREADS) */
  maxThreads?: number;
  /** the token to require; a fresh random one by default */
  token?: string;
  /** unsent bytes per socket above which events are counted, not queued (session.ts HIGH_WATER) */
  eventHighWater?: number;
}

const MAX_PAYLOAD = 128 * 1024;
const MAX_CONCURRENT_DRIVES = 4;
const HEARTBEAT_MS = 30_000;
const MAX_TRACE_BYTES = 32 * 1024 * 1024;

export class LabServer {
  readonly token: string;
  port = 0;
  private readonly http: http.Server;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<Session>();
  private readonly instances = new Map<string, EngineInstance>();
  private readonly starting = new Set<string>();
  private started = 0;
  private recorder: Recorder | null = null;
  private drives = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-'));

  constructor(private readonly opts: LabOptions) {
    this.token = opts.token ?? newToken();
    this.http = http.createServer((req, res) => {
      if (!hostAllowed(req.headers.host, this.port)) {
        res.writeHead(403, { 'Content-Type': 'text/plain' }).end(`This lab answers only to http://127.0.0.1:${this.port}/\n`);
        return;
      }
      serveStatic(req, res, this.opts.siteDir, this.port);
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
    this.http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const refusal =
        url.pathname !== '/control'
          ? { status: 404 as const, reason: 'the control socket is at /control' }
          : checkUpgrade(req, { token: this.token, port: this.port, origins: allowedOrigins(this.port, this.opts.allowOrigins) });
      if (refusal) {
        socket.end(`HTTP/1.1 ${refusal.status} ${refusal.status === 401 ? 'Unauthorized' : refusal.status === 404 ? 'Not Found' : 'Forbidden'}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refusal.reason}\n`);
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.opts.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.http.address() as { port: number }).port;
    this.heartbeat = setInterval(() => {
      for (const s of this.sessions) {
        const ws = s.ws as WebSocket & { alive?: boolean };
        if (ws.alive === false) ws.terminate();
        else {
          ws.alive = false;
          ws.ping();
        }
      }
    }, HEARTBEAT_MS);
    return `http://127.0.0.1:${this.port}/?token=${this.token}`;
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const s of this.sessions) s.ws.terminate();
    this.recorder?.close();
    this.recorder = null;
    await Promise.all([...this.instances.values()].map((i) => i.stop()));
    await new Promise<void>((r) => this.wss.close(() => r()));
    await new Promise<void>((r) => this.http.close(() => r()));
    fs.rmSync(this.runDir, { recursive: true, force: true });
  }

  // ---- sockets ----------------------------------------------------------------

  private onConnection(ws: WebSocket): void {
    const session = new Session(ws, (req, s) => this.dispatch(req, s), this.opts.eventHighWater);
    (ws as WebSocket & { alive?: boolean }).alive = true;
    ws.on('pong', () => ((ws as WebSocket & { alive?: boolean }).alive = true));
    ws.on('close', () => this.sessions.delete(session));
    ws.on('error', () => ws.terminate());
    this.sessions.add(session);
    session.send({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      version: LAB_VERSION,
      limits: { driver: { ...DRIVER_LIMITS }, maxInstances: MAX_INSTANCES, maxProcesses: this.opts.maxProcesses },
      recording: this.recorder !== null,
      clock: { mono: monoMs(), wall: Date.now() },
    });
    session.send(this.snapshot());
  }

  private snapshot(): Extract<ServerMessage, { type: 'snapshot' }> {
    return { type: 'snapshot', instances: [...this.instances.values()].map((i) => i.snapshot()), ts: monoMs() };
  }

  private broadcast(m: ServerMessage): void {
    this.recorder?.message(m);
    for (const s of this.sessions) s.send(m);
  }

  // ---- requests ----------------------------------------------------------------

  private instance(id: string): EngineInstance {
    const inst = this.instances.get(id);
    if (!inst) throw new Error(`no engine '${id}' (running: ${[...this.instances.keys()].join(', ') || 'none'})`);
    return inst;
  }

  private async dispatch(req: ClientRequest, session: Session): Promise<unknown> {
    switch (req.type) {
      case 'engine.start':
        return this.startEngine(req);
      case 'engine.stop': {
        const inst = this.instance(req.instance);
        await inst.stop();
        return inst.summary();
      }
      case 'engine.restart':
        this.instance(req.instance).signal(req.mode === 'graceful' ? 'SIGUSR1' : 'SIGHUP');
        return { signalled: req.mode === 'graceful' ? 'SIGUSR1' : 'SIGHUP' };
      case 'engine.gracefulStop':
        this.instance(req.instance).signal('SIGWINCH');
        return { signalled: 'SIGWINCH' };
      case 'engine.apply':
        return this.instance(req.instance).apply(req.config);
      case 'config.check':
        return configReport(req.mpm, req.config);
      case 'child.kill':
        this.instance(req.instance).killChild(req.pid, req.signal);
        return { pid: req.pid, signal: req.signal };
      case 'instance.memory':
        return { children: this.instance(req.instance).memory() };
      case 'subscribe':
        if (req.instance === undefined) session.subscribed = null;
        else (session.subscribed ??= new Set()).add(req.instance);
        return { subscribed: session.subscribed ? [...session.subscribed] : 'all' };
      case 'unsubscribe':
        if (req.instance === undefined) session.subscribed = new Set();
        else if (session.subscribed) session.subscribed.delete(req.instance);
        else session.subscribed = new Set([...this.instances.keys()].filter((k) => k !== req.instance));
        return { subscribed: [...(session.subscribed ?? [])] };
      case 'snapshot':
        return this.snapshot();
      case 'drive':
        return this.drive(req.instance, req.steps, session);
      case 'record.start':
        return this.recordStart(req.name);
      case 'record.stop': {
        const r = this.recorder;
        if (!r) throw new Error('not recording');
        r.close();
        this.recorder = null;
        return { name: r.name, bytes: fs.statSync(r.file).size };
      }
      case 'traces.list':
        return listTraces(this.opts.tracesDir);
      case 'raw.open':
        return session.raw.open(this.instance(req.instance).port);
      case 'raw.send':
        return session.raw.send(req.session, req.data);
      case 'raw.close':
        session.raw.close(req.session);
        return {};
      case 'traces.get': {
        const file = path.join(this.opts.tracesDir, req.name);
        if (!fs.existsSync(file)) throw new Error(`no trace '${req.name}'`);
        if (fs.statSync(file).size > MAX_TRACE_BYTES) throw new Error(`trace '${req.name}' is over ${MAX_TRACE_BYTES >> 20} MiB; copy it from ${file}`);
        return { name: req.name, text: fs.readFileSync(file, 'utf8') };
      }
    }
  }

  private async startEngine(req: Extract<ClientRequest, { type: 'engine.start' }>): Promise<unknown> {
    if (this.instances.size + this.starting.size >= MAX_INSTANCES) throw new Error(`at most ${MAX_INSTANCES} engines run at once; stop one first`);
    if (req.backend === 'httpd') {
      const found = findHttpd();
      if ('error' in found) throw new Error(`the httpd backend needs Apache httpd 2.4 on this machine: ${found.error}`);
    }
    const report = configReport(req.mpm, req.config, req.sets);
    if (!report.ok) return { started: false, report };
    // A fresh id every time (a, b, … z, aa, ab…), reserved now: two starts in flight
    // must not share one, and a stopped engine's late exit notice must never be
    // taken for its successor's.
    const id = instanceId(this.started++);
    this.starting.add(id);
    // Subscribers see the engine from its first event (spawns, startup log lines).
    const onEvents = (events: EngineEvent[]) => {
      const json = JSON.stringify({ type: 'events', instance: id, events } satisfies ServerMessage);
      this.recorder?.raw(json);
      for (const s of this.sessions) s.sendEvents(id, json, events.length);
    };
    let inst: EngineInstance;
    try {
      inst = await EngineInstance.start({ id, mpm: req.mpm, backend: req.backend, config: req.config, sets: req.sets, statusPoll: req.statusPoll, maxProcesses: this.opts.maxProcesses, maxThreads: this.opts.maxThreads, dir: this.runDir, onEvents });
    } finally {
      this.starting.delete(id);
    }
    this.instances.set(id, inst);
    this.broadcast({ type: 'instance.start', instance: inst.summary() });
    void inst.exited.then(({ code, signal }) => {
      this.instances.delete(id);
      this.broadcast({ type: 'instance.exit', instance: id, code, signal });
    });
    return { started: true, ...inst.summary() };
  }

  private async drive(id: string, steps: Extract<ClientRequest, { type: 'drive' }>['steps'], session: Session): Promise<unknown> {
    const inst = this.instance(id);
    checkLimits(steps);
    if (this.drives >= MAX_CONCURRENT_DRIVES) throw new Error(`${MAX_CONCURRENT_DRIVES} drives are already running; wait for one to finish`);
    const abort = new AbortController();
    const onClose = () => abort.abort();
    session.ws.once('close', onClose);
    this.drives++;
    try {
      const started = monoMs();
      const results = await drive(inst.port, steps, { signal: abort.signal });
      this.recorder?.drive(id, steps, results, started);
      return results;
    } finally {
      this.drives--;
      session.ws.off('close', onClose);
    }
  }

  private recordStart(name?: string): unknown {
    if (this.recorder) throw new Error(`already recording to ${this.recorder.name}`);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    this.recorder = new Recorder(this.opts.tracesDir, name ?? `trace-${stamp}`);
    // a trace starts from the present, like a late subscriber
    this.recorder.message(this.snapshot());
    return { name: this.recorder.name, file: this.recorder.file };
  }
}

/** 0 → a, 25 → z, 26 → aa: short ids a learner can say. */
export function instanceId(n: number): string {
  let s = '';
  n++;
  while (n > 0) {
    s = String.fromCharCode(97 + ((n - 1) % 26)) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
