// One connection, from accept to close, as httpd's synchronous HTTP path runs it
// (http_core.c ap_process_http_sync_connection + connection.c ap_lingering_close):
//   R (first request) → W (handler) → L (log) → K (wait, and read, the next
//   request) → W → … → C (lingering close).
// Used by prefork children (and by threaded MPMs through the same WorkerContext).
import type net from 'node:net';
import type { EffectiveConfig } from '../config/index.js';
import { handle, type HandlerContext, type Identity, type Reply } from '../http/handlers.js';
import { logConnStatus, logKeepalives, setKeepalive, type ConnKeepalive } from '../http/keepalive.js';
import { RequestReader, continueAction, type ProtocolLog, type RequestError, type RequestHead } from '../http/parser.js';
import { errorDocument, httpDate, serializeHead } from '../http/response.js';
import { PROMPT_FIN_MS, type ChildMessage } from '../mpm/ipc.js';
import {
  SERVER_BUSY_KEEPALIVE,
  SERVER_BUSY_LOG,
  SERVER_BUSY_READ,
  SERVER_BUSY_WRITE,
  SERVER_CLOSING,
  type ServerStatus,
} from '../mpm/scoreboard.js';
import { monoMs } from '../platform/clock.js';
import type { AppBinding } from '../app/binding.js';
import { SLOWMO_PHASE_MS, slowmoOf } from '../mpm/common/slowmo.js';

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
import type { RepeatedWriter } from './socket-proxy.js';
import { SERVER_VERSION } from '../version.js';


/** httpd's lingering close: 2 s of silence ends it (SECONDS_TO_LINGER), 30 s at most (MAX_SECS_TO_LINGER). */
const SECONDS_TO_LINGER = 2000;
const MAX_SECS_TO_LINGER = 30000;
/** Stop reading ahead (pipelining) past this much unread input. */
const READ_AHEAD_MAX = 256 * 1024;

export interface WorkerContext {
  mpm: string;
  pid: number;
  tid: number;
  slot: number;
  thread: number;
  generation: number;
  config: EffectiveConfig;
  /** the process's global state, seen by all its threads (a non-thread-safe library's) */
  shared: Int32Array;
  /** AP_MPMQ_STOPPING: this child got a graceful stop/restart */
  isStopping(): boolean;
  /** someone watches: report the events only a watcher needs (request.start, conn.close) */
  events: boolean;
  /** /app/: the application pool, or mod_php in this process */
  app?: AppBinding | null;
  report(m: ChildMessage): void;
  protocolLog(log: ProtocolLog, client: string): void;
  serverStatus: HandlerContext['serverStatus'];
  crash(): never;
}

type Wait = 'data' | 'eof' | 'timeout' | 'closed';
type RequestEndMessage = Extract<ChildMessage, { t: 'request.end' }>;


export interface ConnectionOutcome {
  /** monotonic ms at which this worker is ready again, as httpd's would be */
  readySince: number;
}

export async function serveConnection(socket: net.Socket, ctx: WorkerContext, connId: string): Promise<ConnectionOutcome> {
  const c = new Connection(socket, ctx, connId);
  return c.run();
}

/** What travels with a kept-alive connection between requests (event MPM). */
export interface CarriedState {
  keepalives: number;
  connKeepalive: ConnKeepalive;
  requests: number;
  /** bytes already received for the next request(s) */
  pending: Uint8Array;
}

export type OneOutcome =
  /** served; kept alive: the listener parks it (K only for an instant) */
  | { kind: 'keepalive'; state: CarriedState }
  /** the worker started the lingering close (C: FIN sent); the listener finishes it */
  | { kind: 'closing'; requests: number; reason: ConnCloseReason }
  /** already gone (client closed or reset) */
  | { kind: 'closed'; requests: number; reason: ConnCloseReason };

/**
 * Event MPM: one request per worker turn (httpd's async path). The connection's
 * state comes in, goes back out, and the next request may be served by another
 * thread.
 */
export async function serveOneRequest(socket: net.Socket, ctx: WorkerContext, connId: string, state: CarriedState | null): Promise<OneOutcome> {
  const c = new Connection(socket, ctx, connId, state);
  return c.runOne();
}

type ConnCloseReason = Extract<ChildMessage, { t: 'conn.close' }>['reason'];

/** Up to this many bytes, a response's pieces are joined and written at once. */
const ONE_WRITE_MAX = 16 * 1024;

class Connection {
  private readonly reader: RequestReader;
  private readonly client: string;
  private keepalives = 0;
  private connKeepalive: ConnKeepalive = 'unknown';
  private requests = 0;
  private aborted = false;
  private peerEnded = false;
  private closed = false;
  private waiter: ((w: Wait) => void) | null = null;

  constructor(
    private readonly socket: net.Socket,
    private readonly ctx: WorkerContext,
    private readonly connId: string,
    carried: CarriedState | null = null,
  ) {
    const cfg = ctx.config;
    this.reader = new RequestReader({
      limitRequestLine: cfg.limitRequestLine,
      limitRequestFieldSize: cfg.limitRequestFieldSize,
      limitRequestFields: cfg.limitRequestFields,
      limitRequestBody: cfg.limitRequestBody,
    });
    this.client = `${socket.remoteAddress ?? '127.0.0.1'}:${socket.remotePort ?? 0}`;
    if (carried) {
      this.keepalives = carried.keepalives;
      this.connKeepalive = carried.connKeepalive;
      this.requests = carried.requests;
      if (carried.pending.byteLength) this.reader.push(Buffer.from(carried.pending.buffer, carried.pending.byteOffset, carried.pending.byteLength));
    }
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => {
      this.reader.push(d);
      if (!this.waiter && this.reader.buffered > READ_AHEAD_MAX) socket.pause();
      this.wake('data');
    });
    socket.on('end', () => {
      this.peerEnded = true;
      this.wake('eof');
    });
    socket.on('error', () => {
      // ECONNRESET/EPIPE: the client is gone; 'close' follows
      this.aborted = true;
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake('closed');
    });
  }

  private wake(w: Wait): void {
    const f = this.waiter;
    if (f) {
      this.waiter = null;
      f(w);
    }
  }

  private waitInput(timeoutMs: number): Promise<Wait> {
    if (this.closed) return Promise.resolve('closed');
    if (this.peerEnded) return Promise.resolve('eof');
    this.socket.resume();
    return new Promise<Wait>((resolve) => {
      // APR: a negative timeout blocks forever; 0 would be "never block"
      const t = timeoutMs > 0 ? setTimeout(() => this.wake('timeout'), timeoutMs) : null;
      this.waiter = (w) => {
        if (t) clearTimeout(t);
        resolve(w);
      };
    });
  }

  private setStatus(status: ServerStatus, head?: RequestHead): void {
    this.ctx.report({
      t: 'status',
      ts: monoMs(),
      thread: this.ctx.thread,
      status,
      connId: this.connId,
      ...(head ? { request: head.requestLine, protocol: head.protocol, client: this.client } : {}),
    });
  }

  async run(): Promise<ConnectionOutcome> {
    const ctx = this.ctx;
    this.setStatus(SERVER_BUSY_READ);
    ctx.report({ t: 'conn.open', ts: monoMs(), thread: ctx.thread, tid: ctx.tid, connId: this.connId, client: this.client });
    let reason: Extract<ChildMessage, { t: 'conn.close' }>['reason'] = 'done';

    for (;;) {
      const got = await this.readHead();
      if (got.kind === 'closed') {
        reason = got.reason;
        break;
      }
      if (got.kind === 'error') {
        await this.respondError(got.error);
        reason = got.error.status === 408 ? 'timeout' : 'error';
        break;
      }
      await this.processRequest(got.head);
      if (this.aborted || this.closed) {
        reason = 'aborted';
        break;
      }
      if (this.connKeepalive !== 'keepalive') break;
      this.setStatus(SERVER_BUSY_KEEPALIVE);
      if (ctx.isStopping()) {
        reason = 'stopping';
        break;
      }
    }
    const closingSince = monoMs();
    const byPeer = await this.lingeringClose();
    const closed = monoMs();
    if (ctx.events) ctx.report({ t: 'conn.close', ts: closed, thread: ctx.thread, tid: ctx.tid, connId: this.connId, requests: this.requests, reason });
    return { readySince: byPeer && closed - closingSince <= PROMPT_FIN_MS ? closingSince : closed };
  }

  async runOne(): Promise<OneOutcome> {
    const ctx = this.ctx;
    // event reads every request in a worker, showing R (no K while reading)
    this.setStatus(SERVER_BUSY_READ);
    if (this.requests === 0) ctx.report({ t: 'conn.open', ts: monoMs(), thread: ctx.thread, tid: ctx.tid, connId: this.connId, client: this.client });
    const got = await this.readHead();
    if (got.kind === 'closed') return { kind: 'closed', requests: this.requests, reason: got.reason };
    let reason: ConnCloseReason = 'done';
    if (got.kind === 'error') {
      await this.respondError(got.error);
      reason = got.error.status === 408 ? 'timeout' : 'error';
    } else {
      await this.processRequest(got.head);
      if (this.aborted || this.closed) return { kind: 'closed', requests: this.requests, reason: 'aborted' };
      if (this.connKeepalive === 'keepalive' && !ctx.isStopping()) {
        this.setStatus(SERVER_BUSY_KEEPALIVE);
        const pending = this.reader.takeBuffered();
        return { kind: 'keepalive', state: { keepalives: this.keepalives, connKeepalive: this.connKeepalive, requests: this.requests, pending } };
      }
      if (this.connKeepalive === 'keepalive') reason = 'stopping';
    }
    // start the lingering close here (C, flush, FIN); the listener waits for the client
    this.setStatus(SERVER_CLOSING);
    if (this.aborted || this.closed || this.socket.destroyed) {
      this.socket.destroy();
      return { kind: 'closed', requests: this.requests, reason: 'aborted' };
    }
    this.socket.end();
    return { kind: 'closing', requests: this.requests, reason };
  }

  /** Read the next request head: Timeout for the first request, KeepAliveTimeout between requests. */
  private async readHead(): Promise<
    { kind: 'head'; head: RequestHead } | { kind: 'error'; error: RequestError } | { kind: 'closed'; reason: 'client-closed' | 'keepalive-timeout' | 'timeout' | 'aborted' }
  > {
    const cfg = this.ctx.config;
    for (;;) {
      const r = this.reader.readHead();
      if (r) {
        if (r.kind === 'head') return r;
        return { kind: 'error', error: r.error };
      }
      // Once any byte of this request arrived, the normal Timeout applies.
      const waitMs = this.requests === 0 || this.reader.sawAnyByte ? cfg.timeoutMs : cfg.keepAliveTimeoutMs;
      const w = await this.waitInput(waitMs);
      if (w === 'data') continue;
      if (w === 'closed') return { kind: 'closed', reason: 'aborted' };
      if (w === 'eof') {
        const e = this.reader.onEof();
        return e ? { kind: 'error', error: e } : { kind: 'closed', reason: 'client-closed' };
      }
      const e = this.reader.onTimeout();
      if (!e) return { kind: 'closed', reason: 'timeout' };
      if (!e.respond) {
        // Nothing sent. The 408 is logged only for the first request of a connection.
        const reason = this.requests === 0 ? 'timeout' : 'keepalive-timeout';
        if (this.requests === 0 && this.keepalives === 0) {
          for (const l of e.logs) this.ctx.protocolLog(l, this.client);
          this.requests++;
          this.logFailedRequest(e, monoMs(), Date.now(), 0);
        }
        return { kind: 'closed', reason };
      }
      return { kind: 'error', error: e };
    }
  }

  private async respondError(e: RequestError): Promise<void> {
    for (const l of e.logs) this.ctx.protocolLog(l, this.client);
    if (!e.respond) return;
    this.requests++;
    const started = monoMs();
    const wallStart = Date.now();
    this.connKeepalive = 'close';
    const body = Buffer.from(errorDocument(e.status, { errorNotes: e.errorNotes, method: e.request.method ?? undefined, expect: e.head?.get('Expect') ?? null }), 'latin1');
    const keep = setKeepalive(this.keepaliveInput(e.status, e.head, true, false));
    this.keepalives = keep.keepalives;
    this.connKeepalive = keep.connKeepalive;
    const headOnly = e.head?.headerOnly ?? false;
    const head = serializeHead(e.status, [
      ...this.baseHeaders(),
      ...this.identityHeaders(),
      ['Content-Length', String(body.length)],
      ...keep.headers,
      ['Content-Type', 'text/html; charset=iso-8859-1'],
    ]);
    await this.writeAll(headOnly ? [head] : [head, body]);
    this.logFailedRequest(e, started, wallStart, headOnly ? 0 : body.length);
  }

  /** L, then the access-log record of a request that failed before any handler ran. */
  private logFailedRequest(e: RequestError, started: number, wallStart: number, bytes: number): void {
    this.setStatus(SERVER_BUSY_LOG);
    this.logTransaction({
      reqId: this.requests,
      method: e.request.method ?? '-',
      path: e.request.path ?? '-',
      version: e.request.protocol,
      request: e.request.requestLine ?? '-',
      status: e.status,
      bytes,
      started,
      wallStart,
      userAgent: e.head?.get('User-Agent') ?? '-',
    });
  }

  private baseHeaders(): Array<[string, string]> {
    return [
      ['Date', httpDate(Date.now())],
      ['Server', SERVER_VERSION],
    ];
  }

  private identityHeaders(): Array<[string, string]> {
    const ctx = this.ctx;
    return [
      ['X-MPM', ctx.mpm],
      ['X-Child-Pid', String(ctx.pid)],
      ['X-Thread-Id', String(ctx.tid)],
      ['X-Slot', `${ctx.slot}.${ctx.thread}`],
      ['X-Generation', String(ctx.generation)],
      ['X-Keepalive', String(logKeepalives(this.keepalives))],
      ['X-Connection-Id', this.connId],
    ];
  }

  private keepaliveInput(status: number, head: RequestHead | null, hasLength: boolean, chunked: boolean) {
    const cfg = this.ctx.config;
    return {
      connKeepalive: this.connKeepalive,
      keepalives: this.keepalives,
      expecting100: head?.expecting100 ?? false,
      headerOnly: head?.headerOnly ?? false,
      status,
      responseHasContentLength: hasLength,
      responseChunked: chunked,
      protoNum: head?.protoNum ?? 1000,
      keepAlive: cfg.keepAlive,
      keepAliveTimeoutMs: cfg.keepAliveTimeoutMs,
      maxKeepAliveRequests: cfg.maxKeepAliveRequests,
      requestConnection: head?.get('Connection') ?? null,
      requestHasVia: head?.get('Via') !== undefined,
      mpmStopping: this.ctx.isStopping(),
    };
  }

  private async processRequest(head: RequestHead): Promise<void> {
    const ctx = this.ctx;
    this.requests++;
    const reqId = this.requests;
    const started = monoMs();
    const wallStart = Date.now();
    // ap_read_request starts every request with c->keepalive unknown, unless an
    // earlier step already decided this connection closes
    if (this.connKeepalive === 'keepalive') this.connKeepalive = 'unknown';
    if (head.closeConnection) this.connKeepalive = 'close';
    for (const l of head.logs) ctx.protocolLog(l, this.client);
    // slow motion: the request stays in R, then in W, long enough to be seen
    const slow = slowmoOf(ctx.shared);
    if (slow > 1) await delay(SLOWMO_PHASE_MS * slow);
    this.setStatus(SERVER_BUSY_WRITE, head);
    if (ctx.events) ctx.report({
      t: 'request.start',
      ts: started,
      thread: ctx.thread,
      tid: ctx.tid,
      connId: this.connId,
      reqId,
      method: head.method,
      path: head.path,
      version: head.protocol,
      request: head.requestLine,
    });

    const reply = new ConnReply(this, head);
    if (slow > 1) await delay(SLOWMO_PHASE_MS * slow);
    let bodyOk = true;
    if (head.body.kind !== 'none') bodyOk = await this.discardBody(head, reply);
    if (bodyOk && !this.aborted) {
      try {
        await handle(head, reply, this.handlerContext(reqId));
      } catch (err) {
        if (!reply.started && !this.aborted) {
          ctx.protocolLog({ level: 'info', module: 'core', ah: '', text: `handler failed: ${(err as Error).message}` }, this.client);
          await reply.send(500, 'text/html; charset=iso-8859-1', errorDocument(500, {}));
        } else {
          this.aborted = true;
        }
      }
    }
    // The response has been handed to the network: the end-of-request marker is destroyed → L.
    this.setStatus(SERVER_BUSY_LOG);
    this.logTransaction({
      reqId,
      method: head.method,
      path: head.path,
      version: head.protocol,
      request: head.requestLine,
      status: reply.status,
      bytes: reply.bodyBytes,
      started,
      wallStart,
      userAgent: head.get('User-Agent') ?? '-',
      appPid: reply.appPid,
    });
  }

  /** ap_discard_request_body: read and drop the body, answering Expect: 100-continue. */
  private async discardBody(head: RequestHead, reply: ConnReply): Promise<boolean> {
    const action = continueAction(head, 200, { bodyBytesSeen: this.reader.buffered > 0 });
    if (action === 'send-100') await this.writeAll([Buffer.from('HTTP/1.1 100 Continue\r\n\r\n')]);
    for (;;) {
      const r = this.reader.readBody();
      if (r.kind === 'done') return true;
      if (r.kind === 'error') {
        this.connKeepalive = 'close';
        for (const l of r.error.logs) this.ctx.protocolLog(l, this.client);
        await reply.send(r.error.status, 'text/html; charset=iso-8859-1', errorDocument(r.error.status, { errorNotes: r.error.errorNotes }));
        return false;
      }
      const w = await this.waitInput(this.ctx.config.timeoutMs);
      if (w === 'eof' || w === 'timeout') {
        const e = w === 'eof' ? this.reader.onEof() : this.reader.onTimeout();
        this.connKeepalive = 'close';
        if (e && e.respond) await reply.send(e.status, 'text/html; charset=iso-8859-1', errorDocument(e.status, {}));
        return false;
      }
      if (w === 'closed') {
        this.aborted = true;
        return false;
      }
    }
  }

  private handlerContext(reqId: number): HandlerContext {
    const ctx = this.ctx;
    return {
      identity: (): Identity => ({
        mpm: ctx.mpm,
        pid: ctx.pid,
        tid: ctx.tid,
        slot: ctx.slot,
        thread: ctx.thread,
        generation: ctx.generation,
        connId: this.connId,
        keepalive: logKeepalives(this.keepalives),
        reqId,
      }),
      serverStatus: ctx.serverStatus,
      crash: ctx.crash,
      shared: ctx.shared,
      log: (level, module, ah, text) => ctx.protocolLog({ level, module, ah, text } as ProtocolLog, this.client),
      sleep: (ms) => delay(ms * slowmoOf(this.ctx.shared)),
      app: ctx.app ?? null,
    };
  }

  /** Head and body decided; called by ConnReply when it produces the response head. */
  decideHead(status: number, head: RequestHead, hasLength: boolean, extra: Array<[string, string]>, contentType: string | null, length: number | null) {
    const keep = setKeepalive(this.keepaliveInput(status, head, hasLength, false));
    this.keepalives = keep.keepalives;
    this.connKeepalive = keep.connKeepalive;
    const headers: Array<[string, string]> = [...this.baseHeaders(), ...extra, ...this.identityHeaders()];
    if (length !== null) headers.push(['Content-Length', String(length)]);
    else if (keep.chunked) headers.push(['Transfer-Encoding', 'chunked']);
    headers.push(...keep.headers);
    if (contentType) headers.push(['Content-Type', contentType]);
    return { chunked: length === null && keep.chunked, bytes: head.assbackwards ? null : serializeHead(status, headers) };
  }

  /** Write buffers; resolves once handed to the kernel, or at once if the client is gone. */
  writeAll(bufs: Buffer[]): Promise<void> {
    if (this.closed || this.aborted || this.socket.destroyed) {
      this.aborted = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      const done = (err?: Error | null) => {
        if (timer) clearTimeout(timer);
        if (err) this.aborted = true;
        resolve();
      };
      // head and body in one write (one syscall, one segment), as httpd's core output filter does
      const total = bufs.reduce((n, b) => n + b.length, 0);
      if (bufs.length === 1 || total <= ONE_WRITE_MAX) {
        this.socket.write(bufs.length === 1 ? bufs[0] : Buffer.concat(bufs, total), done);
      } else {
        this.socket.cork();
        for (let i = 0; i < bufs.length - 1; i++) this.socket.write(bufs[i]);
        this.socket.write(bufs[bufs.length - 1], done);
        this.socket.uncork();
      }
      // a client that stops reading: Timeout applies to writes too (no timer when the kernel took it all)
      if (this.socket.writableLength > 0) {
        timer = setTimeout(() => {
          this.aborted = true;
          this.socket.destroy();
          resolve();
        }, Math.max(this.ctx.config.timeoutMs, 1));
      }
    });
  }

  /** A long body of one repeated piece: the listener streams it when there is one (a threaded child), else here. */
  async writeRepeated(length: number, piece: Buffer): Promise<void> {
    const s = this.socket as unknown as Partial<RepeatedWriter>;
    if (typeof s.writeRepeated === 'function') {
      if (this.closed || this.aborted || this.socket.destroyed) {
        this.aborted = true;
        return;
      }
      const err = await new Promise<Error | null | undefined>((resolve) => s.writeRepeated!(length, piece, resolve));
      if (err) this.aborted = true;
      return;
    }
    for (let left = length; left > 0 && !this.isAborted; left -= piece.length) {
      await this.writeAll([left >= piece.length ? piece : piece.subarray(0, left)]);
    }
  }

  get isAborted(): boolean {
    return this.aborted || this.closed;
  }

  private logTransaction(
    r: Pick<RequestEndMessage, 'reqId' | 'method' | 'path' | 'version' | 'request' | 'status' | 'bytes' | 'userAgent'> & { started: number; wallStart: number; appPid?: number | null },
  ): void {
    const ctx = this.ctx;
    const cfg = ctx.config;
    const now = monoMs();
    ctx.report({
      t: 'request.end',
      ts: now,
      thread: ctx.thread,
      tid: ctx.tid,
      connId: this.connId,
      reqId: r.reqId,
      method: r.method,
      path: r.path,
      version: r.version,
      request: r.request,
      status: r.status,
      bytes: r.bytes,
      durationMs: Math.round((now - r.started) * 1000) / 1000,
      keepalive: logKeepalives(this.keepalives),
      connStatus: logConnStatus({
        aborted: this.aborted,
        connKeepalive: this.connKeepalive,
        maxKeepAliveRequests: cfg.maxKeepAliveRequests,
        keepalives: this.keepalives,
      }),
      connection: this.connKeepalive === 'keepalive' && !this.aborted ? 'keep' : 'close',
      userAgent: r.userAgent,
      client: this.client,
      startTime: r.wallStart,
      ...(r.appPid ? { appPid: r.appPid } : {}),
    });
  }

  /**
   * ap_lingering_close: C, send FIN, read and drop until the client closes or
   * goes quiet. Resolves true when it ended because the client closed.
   */
  private lingeringClose(): Promise<boolean> {
    this.setStatus(SERVER_CLOSING);
    const s = this.socket;
    if (this.aborted || this.closed || s.destroyed) {
      s.destroy();
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      let idle: NodeJS.Timeout;
      const done = (byPeer: boolean) => {
        clearTimeout(idle);
        clearTimeout(cap);
        s.destroy();
        resolve(byPeer);
      };
      const cap = setTimeout(() => done(false), MAX_SECS_TO_LINGER);
      idle = setTimeout(() => done(false), SECONDS_TO_LINGER);
      s.removeAllListeners('data');
      s.on('data', () => {
        clearTimeout(idle);
        idle = setTimeout(() => done(false), SECONDS_TO_LINGER);
      });
      s.once('close', () => done(true));
      s.once('end', () => done(true));
      s.resume();
      s.end();
      if (this.peerEnded) done(true);
    });
  }
}

/** The Reply handed to handlers: produces the head at the moment httpd would (first output). */
class ConnReply implements Reply {
  status = 200;
  bodyBytes = 0;
  started = false;
  /** the X-App-Pid this response carries (the access log's %{X-App-Pid}o) */
  appPid: number | null = null;
  private chunked = false;

  constructor(
    private readonly conn: Connection,
    private readonly head: RequestHead,
  ) {}

  get aborted(): boolean {
    return this.conn.isAborted;
  }

  private noteAppPid(headers: Array<[string, string]>): void {
    const app = headers.find(([k]) => k === 'X-App-Pid');
    if (app) this.appPid = Number(app[1]);
  }

  private sendsBody(status: number): boolean {
    return !this.head.headerOnly && status !== 204 && status !== 304;
  }

  async send(status: number, contentType: string | null, body: Buffer | string, headers: Array<[string, string]> = []): Promise<void> {
    const buf = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
    this.status = status;
    this.started = true;
    this.noteAppPid(headers);
    const withBody = this.sendsBody(status);
    // The whole body is known before anything is sent: Content-Length, as httpd's content-length filter sets.
    const h = this.conn.decideHead(status, this.head, true, headers, status === 204 || status === 304 ? null : contentType, status === 204 || status === 304 ? null : buf.length);
    const out: Buffer[] = [];
    if (h.bytes) out.push(h.bytes);
    if (withBody && buf.length) out.push(buf);
    if (withBody) this.bodyBytes += buf.length;
    if (out.length) await this.conn.writeAll(out);
  }

  async start(status: number, contentType: string, headers: Array<[string, string]> = []): Promise<void> {
    this.status = status;
    this.started = true;
    this.noteAppPid(headers);
    const h = this.conn.decideHead(status, this.head, false, headers, contentType, null);
    this.chunked = h.chunked && this.sendsBody(status);
    if (h.bytes) await this.conn.writeAll([h.bytes]);
  }

  async sendRepeated(status: number, contentType: string, length: number, piece: Buffer): Promise<void> {
    this.status = status;
    this.started = true;
    const h = this.conn.decideHead(status, this.head, true, [], contentType, length);
    if (h.bytes) await this.conn.writeAll([h.bytes]);
    if (!this.sendsBody(status) || length === 0) return;
    this.bodyBytes += length;
    await this.conn.writeRepeated(length, piece);
  }

  async write(chunk: Buffer | string): Promise<void> {
    if (!this.sendsBody(this.status) || this.conn.isAborted) return;
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    if (buf.length === 0) return;
    this.bodyBytes += buf.length;
    if (this.chunked) await this.conn.writeAll([Buffer.from(`${buf.length.toString(16)}\r\n`), buf, Buffer.from('\r\n')]);
    else await this.conn.writeAll([buf]);
  }

  async end(): Promise<void> {
    if (this.chunked && !this.conn.isAborted) await this.conn.writeAll([Buffer.from('0\r\n\r\n')]);
  }
}
