// The content both backends serve (DESIGN §2): "/", /static/NAME, /sleep, /cpu,
// /stream, /big, /crash, /counter, /whoami, /server-status. A handler gets the parsed
// request and a Reply; the connection layer owns framing, keep-alive and the
// identity headers, so handlers only say what to send.
import type { RequestHead } from './parser.js';
import { errorDocument } from './response.js';
import { INDEX_HTML, staticFile } from './static-files.js';
import { APP_CONTENT_TYPE, runApp, type AppBinding } from '../app/binding.js';
import { proxyToPool } from '../app/proxy.js';

export interface Identity {
  mpm: string;
  pid: number;
  tid: number;
  slot: number;
  thread: number;
  generation: number;
  connId: string;
  /** %k of this request */
  keepalive: number;
  reqId: number;
}

export interface Reply {
  /** A complete response whose length is known up front (Content-Length). */
  send(status: number, contentType: string | null, body: Buffer | string, headers?: Array<[string, string]>): Promise<void>;
  /** Start a response of unknown length: chunked on HTTP/1.1, close-delimited on 1.0. */
  start(status: number, contentType: string, headers?: Array<[string, string]>): Promise<void>;
  /** One piece of a started (or length-announced) body; resolves when the socket can take more. */
  write(chunk: Buffer | string): Promise<void>;
  end(): Promise<void>;
  /**
   * A body of `length` bytes repeating `piece`, sent like httpd sends a file:
   * not held in memory, so event's worker hands it to the listener at once
   * (write completion) while prefork/worker block until the client took it.
   */
  sendRepeated(status: number, contentType: string, length: number, piece: Buffer): Promise<void>;
  /** the client went away: stop producing */
  readonly aborted: boolean;
}

export interface HandlerContext {
  /** identity of the worker serving this request; keepalive is known once the head is produced */
  identity(): Identity;
  /** mod_status output for this request's query string */
  serverStatus(query: string): Promise<{ contentType: string; body: string; refresh?: number }>;
  /** die by a signal, like a segfaulting module */
  crash(): never;
  /** memory shared by every thread of this process: [0] is /counter's library counter */
  shared: Int32Array;
  sleep(ms: number): Promise<void>;
  /** /app/: the application pool this engine proxies to, or mod_php in this process; null: none */
  app: AppBinding | null;
  /** an error_log line about this request (the connection adds the client) */
  log(level: 'error' | 'warn' | 'info' | 'debug', module: string, ah: string, text: string): void;
}

const BIG_PIECE = Buffer.alloc(64 * 1024, 'MPM Lab big body.\n');

/** Bounds that keep one learner's request from pinning a core or the disk forever. */
export const LIMITS = { sleepMs: 600_000, cpuMs: 60_000, chunks: 10_000, chunkMs: 60_000, bigKb: 1024 * 1024 };

const TEXT = 'text/plain';

function intParam(q: URLSearchParams, name: string, dflt: number, max: number): number | string {
  const raw = q.get(name);
  if (raw === null || raw === '') return dflt;
  if (!/^\d+$/.test(raw)) return `${name} must be a whole number, not '${raw}'`;
  return Math.min(Number(raw), max);
}

async function badParam(reply: Reply, message: string): Promise<void> {
  await reply.send(400, HTML_ERROR, errorDocument(400, { errorNotes: message }));
}

/** What httpd's core answers in Allow for a plain resource (TraceEnable on). */
const ALLOW = 'GET,POST,OPTIONS,HEAD,TRACE';
/** Methods httpd knows (ap_method_number_of) but our resources do not implement: 405. */
const KNOWN_METHODS = ['PUT', 'DELETE', 'CONNECT', 'PATCH', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'VERSION-CONTROL', 'CHECKOUT', 'UNCHECKOUT', 'CHECKIN', 'UPDATE', 'LABEL', 'REPORT', 'MKWORKSPACE', 'MKACTIVITY', 'BASELINE-CONTROL', 'MERGE'];
const HTML_ERROR = 'text/html; charset=iso-8859-1';
/** Static content never changes while the engine runs: one mtime for all of it. */
const MTIME = Date.now();

const LAST_MODIFIED = new Date(MTIME).toUTCString();
const fileHeaderCache = new Map<number, Array<[string, string]>>();

/** httpd's default ETag for a file: "size-mtime" in hex, mtime in microseconds. Callers must not modify it. */
function fileHeaders(size: number): Array<[string, string]> {
  let h = fileHeaderCache.get(size);
  if (!h) {
    h = [
      ['Last-Modified', LAST_MODIFIED],
      ['ETag', `"${size.toString(16)}-${(MTIME * 1000).toString(16)}"`],
      ['Accept-Ranges', 'bytes'],
    ];
    if (fileHeaderCache.size < 64) fileHeaderCache.set(size, h);
  }
  return h;
}

export async function handle(req: RequestHead, reply: Reply, ctx: HandlerContext): Promise<void> {
  const method = req.method;
  if (req.target === '*') {
    // OPTIONS * (the parent's "internal dummy connection" is one of these): no Allow
    if (method === 'OPTIONS') return reply.send(200, null, '');
    return reply.send(400, HTML_ERROR, errorDocument(400));
  }
  if (method === 'TRACE') {
    // TraceEnable on: echo the request head back
    await reply.start(200, 'message/http');
    await reply.write(`${req.requestLine}\r\n${req.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
    return reply.end();
  }
  if (!['GET', 'HEAD', 'POST', 'OPTIONS'].includes(method)) {
    if (KNOWN_METHODS.includes(method)) return reply.send(405, HTML_ERROR, errorDocument(405, { method }), [['Allow', ALLOW]]);
    ctx.log('error', 'core', 'AH00135', `Invalid method in request ${req.requestLine}`);
    return reply.send(501, HTML_ERROR, errorDocument(501, { method }), [['Allow', ALLOW]]);
  }
  if (method === 'OPTIONS') return reply.send(200, null, '', [['Allow', ALLOW]]);

  const q = new URLSearchParams(req.query ?? '');
  const path = req.path;

  if (path === '/' || path === '/index.html') return reply.send(200, 'text/html', INDEX_HTML, fileHeaders(INDEX_HTML.length));

  if (path.startsWith('/app/') && ctx.app) return application(req, reply, ctx, ctx.app, q);

  if (path.startsWith('/static/')) {
    const f = staticFile(decodeURIComponent(path.slice('/static/'.length)));
    if (!f) return reply.send(404, HTML_ERROR, errorDocument(404));
    return reply.send(200, f.type, f.body, fileHeaders(f.body.length));
  }

  switch (path) {
    case '/sleep': {
      const ms = intParam(q, 'ms', 1000, LIMITS.sleepMs);
      if (typeof ms === 'string') return badParam(reply, ms);
      await ctx.sleep(ms);
      return reply.send(200, TEXT, `slept ${ms} ms\n`);
    }
    case '/cpu': {
      const ms = intParam(q, 'ms', 100, LIMITS.cpuMs);
      if (typeof ms === 'string') return badParam(reply, ms);
      await burnCpu(ms);
      return reply.send(200, TEXT, `burned ${ms} ms of CPU\n`);
    }
    case '/stream': {
      const chunks = intParam(q, 'chunks', 5, LIMITS.chunks);
      const ms = intParam(q, 'ms', 200, LIMITS.chunkMs);
      if (typeof chunks === 'string') return badParam(reply, chunks);
      if (typeof ms === 'string') return badParam(reply, ms);
      await reply.start(200, TEXT);
      for (let i = 1; i <= chunks && !reply.aborted; i++) {
        if (i > 1) await ctx.sleep(ms);
        await reply.write(`chunk ${i} of ${chunks}\n`);
      }
      return reply.end();
    }
    case '/big': {
      const kb = intParam(q, 'kb', 1024, LIMITS.bigKb);
      if (typeof kb === 'string') return badParam(reply, kb);
      return reply.sendRepeated(200, 'application/octet-stream', kb * 1024, BIG_PIECE);
    }
    case '/crash':
      return ctx.crash();
    case '/counter': {
      // a library that keeps a process-wide counter and is not thread-safe: it
      // reads, works for ms, then writes — with no lock (and no Atomics), as such
      // C libraries do. One request at a time per process (prefork) never loses
      // an increment; threads of one process can.
      if (q.has('read')) return reply.send(200, TEXT, `counter ${ctx.shared[0]}\n`);
      const ms = intParam(q, 'ms', 200, LIMITS.sleepMs);
      if (typeof ms === 'string') return badParam(reply, ms);
      const before = ctx.shared[0];
      await ctx.sleep(ms);
      ctx.shared[0] = before + 1;
      return reply.send(200, TEXT, `counter ${before} -> ${before + 1}\n`);
    }
    case '/whoami':
      return reply.send(200, 'application/json', JSON.stringify(ctx.identity()) + '\n');
    case '/server-status': {
      const s = await ctx.serverStatus(req.query ?? '');
      return reply.send(200, s.contentType, s.body, s.refresh !== undefined ? [['Refresh', String(s.refresh)]] : []);
    }
    default:
      return reply.send(404, HTML_ERROR, errorDocument(404));
  }
}

/** Spin for `ms` of wall time in 10 ms slices, yielding between slices so the
 *  process still notices its parent dying (no orphans) — CPU use is the same. */
async function burnCpu(ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const slice = Math.min(end, performance.now() + 10);
    while (performance.now() < slice) {
      // busy
    }
    await new Promise<void>((r) => setImmediate(r));
  }
}

/**
 * /app/: mod_php runs the application here, in this MPM child (X-App-Pid is the
 * child's pid); with a pool, this worker waits while a pool process runs it
 * (mod_proxy_fcgi holds the worker for the whole request too).
 */
async function application(req: RequestHead, reply: Reply, ctx: HandlerContext, app: AppBinding, q: URLSearchParams): Promise<void> {
  if (app.mode === 'mod_php') {
    const r = await runApp(req.path, q, ctx.sleep);
    return reply.send(r.status, APP_CONTENT_TYPE, r.body, [['X-App-Pid', String(process.pid)]]);
  }
  const target = req.path + (req.query ? `?${req.query}` : '');
  const r = await proxyToPool(app.port, target);
  if ('error' in r) {
    ctx.log('error', 'proxy', 'AH00957', `FCGI: attempt to connect to 127.0.0.1:${app.port} (127.0.0.1:${app.port}) failed`);
    ctx.log('error', 'proxy_fcgi', 'AH01079', 'failed to make connection to backend: 127.0.0.1');
    return reply.send(503, HTML_ERROR, errorDocument(503));
  }
  // mod_proxy_fcgi passes the body on as it comes, without the backend's Content-Length:
  // chunked to an HTTP/1.1 client, and the end of the connection to an HTTP/1.0 one (no keep-alive)
  await reply.start(r.status, r.contentType ?? TEXT, r.appPid ? [['X-App-Pid', r.appPid]] : []);
  if (r.body.length) await reply.write(r.body);
  return reply.end();
}
