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
import { Classroom } from './classroom.js';
import { checkCompare, runCompare } from './compare.js';
import { checkLimits, drive } from './driver.js';
import { EngineInstance, configReport } from './instance.js';
import { Recorder, listTraces } from './recorder.js';
import { Session, type Accepts } from './session.js';
import { CLASSROOM_LIMITS, PARTICIPANT_REQUEST_TYPES, ParticipantRequest } from '../protocol/classroom.js';
import { serveStatic } from './static.js';
import { DRIVER_LIMITS, MAX_INSTANCES, PROTOCOL_VERSION, type ClientRequest, type ServerMessage } from '../protocol/messages.js';
import type { EngineEvent } from '../protocol/events.js';
import { monoMs } from '../platform/clock.js';
import { LAB_VERSION } from '../version.js';
import { findHttpd } from '../httpd/find.js';
import { parsePoolConfig } from '../app/pool-config.js';

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
  /** `--classroom [--host ADDRESS]`: participants join with a code, from ADDRESS too (engines stay on loopback) */
  classroom?: { host?: string; maxParticipants?: number };
}

const MAX_PAYLOAD = 128 * 1024;

const PARTICIPANT_ACCEPTS: Accepts = {
  schema: ParticipantRequest,
  types: PARTICIPANT_REQUEST_TYPES,
  unknown: (type) => `participants cannot use ${JSON.stringify(type)}: only ${PARTICIPANT_REQUEST_TYPES.join(', ')} (the teacher runs the engines)`,
};

/** What a participant's hello says they may send at once. */
const CLASSROOM_DRIVER_LIMITS = { maxConnections: CLASSROOM_LIMITS.maxConnections, maxRequests: CLASSROOM_LIMITS.maxRequests, maxDurationMs: CLASSROOM_LIMITS.maxDriveMs };
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
  classroom: Classroom | null = null;
  /** slow motion for node engines (1 = real time) */
  private slowmo = 1;
  private readonly participants = new Set<Session>();
  private participantDrives = 0;
  /** the classroom's own listener, when --host is not loopback */
  private classroomHttp: http.Server | null = null;

  constructor(private readonly opts: LabOptions) {
    this.token = opts.token ?? newToken();
    this.http = http.createServer((req, res) => this.onHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
    this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  private onHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!hostAllowed(req.headers.host, this.port) && !this.classroomHost(req.headers.host)) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end(`This lab answers only to http://127.0.0.1:${this.port}/\n`);
      return;
    }
    serveStatic(req, res, this.opts.siteDir, this.port);
  }

  /** The classroom's own address (--host), which participants' browsers name. */
  private classroomHost(host: string | undefined): boolean {
    const h = this.opts.classroom?.host;
    return !!h && !!host && host.toLowerCase() === `${h.includes(':') ? `[${h}]` : h}:${this.port}`.toLowerCase();
  }

  private onUpgrade(req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://x');
    let refusal: { status: 401 | 403 | 404; reason: string } | null;
    if (url.pathname === '/classroom' && this.classroom) refusal = this.checkParticipant(req, url);
    else if (url.pathname !== '/control') refusal = { status: 404, reason: 'the control socket is at /control' };
    else refusal = checkUpgrade(req, { token: this.token, port: this.port, origins: allowedOrigins(this.port, this.opts.allowOrigins) });
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal.status} ${refusal.status === 401 ? 'Unauthorized' : refusal.status === 404 ? 'Not Found' : 'Forbidden'}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refusal.reason}\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => (url.pathname === '/classroom' ? this.onParticipant(ws) : this.onConnection(ws)));
  }

  /** A participant's socket: this lab's or the classroom's Host, a page from one of them, and the join code. */
  private checkParticipant(req: http.IncomingMessage, url: URL): { status: 401 | 403; reason: string } | null {
    const host = req.headers.host;
    if (!hostAllowed(host, this.port) && !this.classroomHost(host)) return { status: 403, reason: `Host '${host ?? ''}' is not this classroom` };
    const origin = req.headers.origin ?? '';
    const own = allowedOrigins(this.port, this.opts.allowOrigins);
    if (!own.has(origin) && !(origin.startsWith('http://') && this.classroomHost(origin.slice(7)))) return { status: 403, reason: `Origin '${origin}' may not join this classroom` };
    if (!this.classroom!.codeMatches(url.searchParams.get('code'))) return { status: 401, reason: 'missing or wrong join code: ask the teacher for the current one' };
    return null;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.opts.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.http.address() as { port: number }).port;
    const cls = this.opts.classroom;
    if (cls) {
      const host = cls.host ?? '127.0.0.1';
      this.classroom = new Classroom(`http://${host.includes(':') ? `[${host}]` : host}:${this.port}`, cls.maxParticipants);
      if (!['127.0.0.1', 'localhost'].includes(host)) {
        // the explicit opt-in: this one listener beyond loopback, on the same port
        const server = http.createServer((req, res) => this.onHttp(req, res));
        server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(this.port, host, () => resolve());
        });
        this.classroomHttp = server;
      }
    }
    this.heartbeat = setInterval(() => {
      for (const s of [...this.sessions, ...this.participants]) {
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
    for (const s of [...this.sessions, ...this.participants]) s.ws.terminate();
    if (this.classroomHttp) await new Promise<void>((r) => this.classroomHttp!.close(() => r()));
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
    session.greetWith(() => this.greetTeacher(session));
  }

  private greetTeacher(session: Session): void {
    session.send({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      version: LAB_VERSION,
      limits: { driver: { ...DRIVER_LIMITS }, maxInstances: MAX_INSTANCES, maxProcesses: this.opts.maxProcesses },
      recording: this.recorder !== null,
      clock: { mono: monoMs(), wall: Date.now() },
      role: 'teacher',
      classroom: this.classroom !== null,
      slowmo: this.slowmo,
    });
    session.send(this.snapshot());
    if (this.classroom) session.send({ type: 'classroom', state: this.classroom.state(true) });
  }

  // ---- the classroom ------------------------------------------------------------

  private onParticipant(ws: WebSocket): void {
    const session = new Session(ws, (req, s) => this.dispatchParticipant(req as unknown as ParticipantRequest, s), this.opts.eventHighWater, PARTICIPANT_ACCEPTS);
    (ws as WebSocket & { alive?: boolean }).alive = true;
    ws.on('pong', () => ((ws as WebSocket & { alive?: boolean }).alive = true));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      this.participants.delete(session);
      if (session.participant) {
        this.classroom?.leave(session.participant);
        this.broadcastClassroom();
      }
    });
    this.participants.add(session);
    // nothing of the engines until they joined
    session.subscribed = new Set();
    session.greetWith(() => {
      session.send({
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        version: LAB_VERSION,
        limits: { driver: { ...CLASSROOM_DRIVER_LIMITS }, maxInstances: 0, maxProcesses: 0 },
        recording: false,
        clock: { mono: monoMs(), wall: Date.now() },
        role: 'participant',
        classroom: true,
        slowmo: this.slowmo,
      });
      session.send({ type: 'classroom', state: this.classroom!.state(false) });
    });
  }

  /** What a participant sees of the lab: only the shared engine. */
  private participantSnapshot(): Extract<ServerMessage, { type: 'snapshot' }> {
    const shared = this.classroom?.instance;
    const inst = shared ? this.instances.get(shared) : undefined;
    return { type: 'snapshot', instances: inst ? [inst.snapshot()] : [], ts: monoMs() };
  }

  private async dispatchParticipant(req: ParticipantRequest, session: Session): Promise<unknown> {
    const cls = this.classroom!;
    if (req.type === 'classroom.join') {
      if (session.participant) throw new Error('you have already joined');
      const p = cls.join(req.name);
      session.participant = p.id;
      session.subscribed = new Set(cls.instance && !cls.frozen ? [cls.instance] : []);
      this.broadcastClassroom();
      session.send(this.participantSnapshot());
      return { participant: { id: p.id, name: p.name, color: p.color } };
    }
    if (!session.participant) throw new Error('join first: send classroom.join with your display name');
    switch (req.type) {
      case 'snapshot':
        return this.participantSnapshot();
      case 'classroom.answer':
        cls.answer(session.participant, req.question, req.choice);
        this.broadcastClassroom(true);
        return { answered: req.choice };
      case 'drive': {
        // everything that can refuse a send comes before the rate limit takes the student's token
        checkLimits(req.steps);
        if (this.participantDrives >= CLASSROOM_LIMITS.maxConcurrentDrives) throw new Error('the class is sending a lot right now: try again in a moment');
        cls.admitDrive(session.participant, req.steps);
        const id = cls.instance!;
        const inst = this.instance(id);
        this.participantDrives++;
        try {
          const started = monoMs();
          const results = await whileOpen(session, (signal) => drive(inst.port, req.steps, { signal, timeLimitMs: CLASSROOM_LIMITS.maxDriveMs * this.slowmoFor(inst) + 10_000, slowmo: this.slowmoFor(inst) }));
          this.recorder?.drive(id, req.steps, results, started);
          const p = cls.participants.get(session.participant);
          if (p) {
            const connIds = [...new Set(results.flatMap((r) => r.requests.flatMap((q) => (q.connId ? [q.connId] : []))))];
            p.requests += results.reduce((n, r) => n + r.requests.filter((q) => q.status !== null).length, 0);
            const m: ServerMessage = { type: 'classroom.requests', participant: p.id, name: p.name, color: p.color, connIds };
            for (const s of [...this.sessions, ...this.participants]) s.send(m);
            this.broadcastClassroom();
          }
          return results;
        } finally {
          this.participantDrives--;
        }
      }
    }
  }

  /** Everyone's view of the classroom: the teacher's with the code and tallies. */
  private broadcastClassroom(teachersOnly = false): void {
    const cls = this.classroom;
    if (!cls) return;
    const teacher: ServerMessage = { type: 'classroom', state: cls.state(true) };
    for (const s of this.sessions) s.send(teacher);
    if (teachersOnly) return;
    const participant: ServerMessage = { type: 'classroom', state: cls.state(false) };
    for (const s of this.participants) s.send(participant);
  }

  /** The engine the class sees: participants follow it (or nothing while frozen), and get its picture. */
  private share(id: string | null): void {
    const cls = this.classroom;
    if (!cls) return;
    cls.instance = id;
    for (const s of this.participants) {
      if (!s.participant) continue;
      s.subscribed = new Set(id && !cls.frozen ? [id] : []);
      s.send(this.participantSnapshot());
    }
    this.broadcastClassroom();
  }

  private teacherClassroom(req: Extract<ClientRequest, { type: `classroom.${string}` }>): unknown {
    const cls = this.classroom;
    if (!cls) throw new Error('this lab runs no classroom: start it with mpm-lab start --classroom');
    switch (req.type) {
      case 'classroom.state':
        return cls.state(true);
      case 'classroom.lock':
        cls.locked = req.locked;
        break;
      case 'classroom.freeze':
        cls.frozen = req.frozen;
        // frozen: participants' streams stop; resumed: they follow the engine again from a fresh picture
        this.share(cls.instance);
        return cls.state(true);
      case 'classroom.remove': {
        const s = [...this.participants].find((x) => x.participant === req.participant);
        if (!s) throw new Error(`no participant '${req.participant}'`);
        s.send({ type: 'error', message: 'the teacher removed you from the class' });
        s.ws.close(4001, 'removed by the teacher');
        cls.leave(req.participant);
        s.participant = null;
        break;
      }
      case 'classroom.rotate':
        cls.rotate();
        break;
      case 'classroom.share':
        this.instance(req.instance);
        this.share(req.instance);
        return cls.state(true);
      case 'classroom.ask':
        cls.ask(req.question);
        break;
    }
    this.broadcastClassroom();
    return cls.state(true);
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
      case 'compare.run':
        return this.compare(req, session);
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
      case 'classroom.state':
      case 'classroom.lock':
      case 'classroom.freeze':
      case 'classroom.remove':
      case 'classroom.rotate':
      case 'classroom.share':
      case 'classroom.ask':
        return this.teacherClassroom(req);
      case 'lab.slowmo':
        return this.setSlowmo(req.factor);
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
    if (req.app?.mode === 'fpm') {
      const pool = parsePoolConfig(req.app.pool);
      if (!pool.ok) throw new Error(`the pool config was refused: ${pool.error}`);
    }
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
      for (const s of this.participants) s.sendEvents(id, json, events.length);
    };
    let inst: EngineInstance;
    try {
      inst = await EngineInstance.start({ id, mpm: req.mpm, backend: req.backend, config: req.config, sets: req.sets, statusPoll: req.statusPoll, ...(req.app ? { app: req.app } : {}), maxProcesses: this.opts.maxProcesses, maxThreads: this.opts.maxThreads, dir: this.runDir, onEvents });
    } finally {
      this.starting.delete(id);
    }
    this.instances.set(id, inst);
    if (this.slowmo > 1) inst.setSlowmo(this.slowmo);
    this.broadcast({ type: 'instance.start', instance: inst.summary() });
    // the class sees the first engine the teacher starts (classroom.share picks another)
    if (this.classroom && !this.classroom.instance) this.share(id);
    void inst.exited.then(({ code, signal }) => {
      this.instances.delete(id);
      this.broadcast({ type: 'instance.exit', instance: id, code, signal });
      if (this.classroom?.instance === id) this.share(null);
    });
    return { started: true, ...inst.summary() };
  }

  private async drive(id: string, steps: Extract<ClientRequest, { type: 'drive' }>['steps'], session: Session): Promise<unknown> {
    const inst = this.instance(id);
    checkLimits(steps);
    if (this.drives >= MAX_CONCURRENT_DRIVES) throw new Error(`${MAX_CONCURRENT_DRIVES} drives are already running; wait for one to finish`);
    this.drives++;
    try {
      const started = monoMs();
      const results = await whileOpen(session, (signal) => drive(inst.port, steps, { signal, slowmo: this.slowmoFor(inst) }));
      this.recorder?.drive(id, steps, results, started);
      return results;
    } finally {
      this.drives--;
    }
  }

  private async compare(req: Extract<ClientRequest, { type: 'compare.run' }>, session: Session): Promise<unknown> {
    if (req.instances[0] === req.instances[1]) throw new Error('compare needs two different engines');
    const pair = req.instances.map((id) => this.instance(id));
    checkCompare(req.tracks);
    if (this.drives >= MAX_CONCURRENT_DRIVES) throw new Error(`${MAX_CONCURRENT_DRIVES} drives are already running; wait for one to finish`);
    this.drives++;
    try {
      const result = await whileOpen(session, (signal) => runCompare(pair, req.tracks, signal, this.slowmo));
      this.recorder?.compare(req.tracks, result);
      return result;
    } finally {
      this.drives--;
    }
  }

  /** The driver is slowed with the engine it drives: never for real httpd. */
  private slowmoFor(inst: EngineInstance): number {
    return inst.backend === 'node' ? this.slowmo : 1;
  }

  private setSlowmo(factor: number): unknown {
    this.slowmo = factor;
    const notSlowed: string[] = [];
    for (const inst of this.instances.values()) if (!inst.setSlowmo(factor) && inst.backend !== 'node') notSlowed.push(inst.id);
    const m: ServerMessage = { type: 'lab.settings', slowmo: factor };
    for (const s of [...this.sessions, ...this.participants]) s.send(m);
    return { slowmo: factor, notSlowed, note: notSlowed.length ? `real httpd (${notSlowed.join(', ')}) runs at its own speed: slow motion applies to MPM Lab's engine only` : undefined };
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

/** Run work that sockets of this session started; its closing aborts it (a closed page leaves no load behind). */
async function whileOpen<T>(session: Session, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onClose = () => abort.abort();
  session.ws.once('close', onClose);
  try {
    return await work(abort.signal);
  } finally {
    session.ws.off('close', onClose);
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
