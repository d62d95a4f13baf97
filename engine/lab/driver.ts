// The lab's request driver (DESIGN §5): sends real TCP to an engine the lab
// owns on 127.0.0.1 and reports what each request saw — status, the identity
// headers (X-Child-Pid, X-Slot, X-Keepalive, X-Connection-Id…), the
// Connection header, timing and errors in words — so the page can say
// "request 3 → pid 4121, keep-alive #2".
//
// Requests are written exactly as the step describes them: the driver never
// adds a Connection header (an HTTP/1.0 keep-alive step without
// `Connection: keep-alive` sees the server close after request 1, and says so).
// Host is `127.0.0.1:<port>` unless the step brings its own Host header.
// Request lines and headers are sent as UTF-8; raw data as latin1 (one
// character per byte, exactly as typed).
//
// Modes: single, sequential, keepalive, pipelined, raw, burst, hold — see
// DriverStep in engine/protocol/messages.ts. `hold` reports one entry per
// connection: status null (or the status of a response the server sent on
// its own, e.g. a 408), `ms` how long the connection stayed open, and error
// null when it stayed open for the whole hold, else what ended it ("the server
// closed the connection after 5 s").
//
// Every socket a drive opens is closed — and its close awaited — before
// drive() settles. An abort (DriveOptions.signal) closes everything at once
// and rejects with the signal's reason. The whole drive is bounded by
// DRIVER_LIMITS.maxDurationMs: then everything is closed and every unfinished
// request (later steps' too) reports "stopped: the drive exceeded 120 s".
import { DRIVER_LIMITS, type DriverRequestResult, type DriverStep, type DriverStepResult } from '../protocol/messages.js';
import { Conn, DriveContext, now, seconds, type Miss } from './driver-conn.js';
import { SLOWMO_PHASE_MS } from '../mpm/common/slowmo.js';
import { headerValue, rawRequestKinds, type ParsedResponse, type ResponseExpectation } from './driver-parse.js';

export { ResponseParser, rawRequestKinds, responseCloses, headerValue, type ParsedResponse, type ResponseExpectation } from './driver-parse.js';

/** A drive the lab refuses to run; the message says which limit and by how much. */
export class DriverLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriverLimitError';
  }
}

export interface DriveOptions {
  /** abort: every socket is closed and drive() rejects with the signal's reason */
  signal?: AbortSignal;
  /** the lab's slow-motion factor for a node engine (common/slowmo.ts); never for real httpd */
  slowmo?: number;
  /** lower the whole-drive bound (tests; never above DRIVER_LIMITS.maxDurationMs) */
  timeLimitMs?: number;
  /** lower the per-response timeout (tests; never above 30 s) */
  responseTimeoutMs?: number;
}

/** How long one request may wait for its response. */
export const RESPONSE_TIMEOUT_MS = 30_000;
/** After a response that announces the close, how long to wait for the server's FIN before going on. */
const CLOSE_GRACE_MS = 2000;

const num = (n: number): string => n.toLocaleString('en-US');

type RequestStep = Extract<DriverStep, { mode: 'single' | 'sequential' | 'keepalive' | 'pipelined' | 'burst' }>;

/** How many requests a step sends (raw counts as one; hold sends none). */
function requestsOf(step: DriverStep): number {
  switch (step.mode) {
    case 'single':
    case 'raw':
      return 1;
    case 'sequential':
    case 'keepalive':
    case 'pipelined':
      return step.n;
    case 'burst':
      return step.connections * step.requests;
    case 'hold':
      return 0;
  }
}

/**
 * Refuse a drive that would go over the lab's limits (DRIVER_LIMITS), with a
 * message a person can act on. Pure: looks at the steps only.
 */
export function checkLimits(steps: DriverStep[]): void {
  const where = (i: number) => (steps.length > 1 ? `step ${i + 1}: ` : '');
  const L = DRIVER_LIMITS;
  let total = 0;
  let atLeastMs = 0;
  steps.forEach((step, i) => {
    if ((step.mode === 'burst' || step.mode === 'hold') && step.connections > L.maxConnections) {
      throw new DriverLimitError(
        `${where(i)}${step.mode} of ${num(step.connections)} connections is over the lab's limit of ${num(L.maxConnections)} connections at once`,
      );
    }
    if (step.mode === 'hold' && step.ms > L.maxDurationMs) {
      throw new DriverLimitError(`${where(i)}hold of ${seconds(step.ms)} is over the lab's limit of ${seconds(L.maxDurationMs)} for one drive`);
    }
    if (step.mode === 'raw') {
      if (step.data.length > L.maxRawBytes) {
        throw new DriverLimitError(`${where(i)}raw request of ${num(step.data.length)} bytes is over the lab's limit of ${num(L.maxRawBytes)} bytes`);
      }
      const bad = /[^\u0000-\u00ff]/u.exec(step.data);
      if (bad) {
        const cp = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
        throw new DriverLimitError(
          `${where(i)}raw request has a character that is not one byte (U+${cp} at position ${bad.index + 1}): use characters U+0000 to U+00FF, one per byte`,
        );
      }
    }
    const n = requestsOf(step);
    if (n > L.maxRequests) {
      const what = step.mode === 'burst' ? `burst of ${num(step.connections)} connections × ${num(step.requests)} requests is ${num(n)} requests,` : `${step.mode} of ${num(n)} requests is`;
      throw new DriverLimitError(`${where(i)}${what} over the lab's limit of ${num(L.maxRequests)} requests in one drive`);
    }
    total += n;
    if (step.mode === 'hold') atLeastMs += step.ms;
    if (step.mode === 'keepalive') atLeastMs += step.thinkMs * (step.n - 1);
    if (step.mode === 'burst') atLeastMs += step.thinkMs * (step.requests - 1);
  });
  if (total > L.maxRequests) {
    throw new DriverLimitError(`this drive sends ${num(total)} requests, over the lab's limit of ${num(L.maxRequests)} requests in one drive`);
  }
  if (atLeastMs > L.maxDurationMs) {
    throw new DriverLimitError(
      `this drive takes at least ${seconds(atLeastMs)} (holds and think times), over the lab's limit of ${seconds(L.maxDurationMs)} for one drive`,
    );
  }
}

/** The bytes of one request of a step. */
export function requestBytes(step: Pick<RequestStep, 'method' | 'path' | 'version' | 'headers'>, port: number): Buffer {
  if (step.version === '0.9') return Buffer.from(`${step.method} ${step.path}\r\n`, 'utf8');
  let s = `${step.method} ${step.path} HTTP/${step.version}\r\n`;
  if (!step.headers.some(([k]) => k.toLowerCase() === 'host')) s += `Host: 127.0.0.1:${port}\r\n`;
  for (const [k, v] of step.headers) s += `${k}: ${v}\r\n`;
  return Buffer.from(`${s}\r\n`, 'utf8');
}

const intHeader = (h: ReadonlyArray<[string, string]>, name: string): number | null => {
  const v = headerValue(h, name);
  return v !== null && /^-?\d+$/.test(v.trim()) ? Number(v) : null;
};

const round = (ms: number): number => Math.round(Math.max(0, ms) * 100) / 100;

function result(index: number, connection: number, res: ParsedResponse | null, ms: number, error: string | null): DriverRequestResult {
  const h = res?.headers ?? [];
  return {
    index,
    connection,
    status: res?.status ?? null,
    pid: intHeader(h, 'x-child-pid'),
    tid: intHeader(h, 'x-thread-id'),
    slot: headerValue(h, 'x-slot'),
    generation: intHeader(h, 'x-generation'),
    keepalive: intHeader(h, 'x-keepalive'),
    connId: headerValue(h, 'x-connection-id'),
    connectionHeader: headerValue(h, 'connection'),
    ...(headerValue(h, 'x-app-pid') !== null ? { appPid: intHeader(h, 'x-app-pid') } : {}),
    ms: round(ms),
    bytes: res?.bodyBytes ?? 0,
    error,
  };
}

interface OneConnection {
  request: Buffer;
  expect: ResponseExpectation;
  count: number;
  thinkMs: number;
  /** connection number within the step, or a function called when the connection opens */
  connection: number | (() => number);
  nextIndex: () => number;
}

/** Open one connection and send `count` requests on it, one at a time. */
async function oneConnection(ctx: DriveContext, o: OneConnection): Promise<DriverRequestResult[]> {
  const out: DriverRequestResult[] = [];
  const connection = typeof o.connection === 'number' ? o.connection : o.connection();
  const fill = (error: string) => {
    while (out.length < o.count) out.push(result(o.nextIndex(), connection, null, 0, error));
  };
  if (ctx.stopReason !== null) {
    fill(ctx.stopReason);
    return out;
  }
  const conn = new Conn(ctx);
  try {
    const t0 = now();
    const miss = await conn.waitConnected(t0 + ctx.responseTimeoutMs);
    if (miss) {
      const error = conn.failure(miss);
      out.push(result(o.nextIndex(), connection, null, now() - t0, error));
      fill(error);
      return out;
    }
    for (let k = 0; k < o.count; k++) {
      if (k > 0) {
        await ctx.sleep(o.thinkMs * ctx.slowmo);
        // the server said it closes: wait for its FIN, so the next request is not written into a closing socket
        if (conn.announcedClose) await conn.waitClosed(CLOSE_GRACE_MS);
        if (ctx.stopReason !== null) {
          fill(ctx.stopReason);
          break;
        }
        if (conn.ended || conn.closed || conn.error) {
          fill(conn.failure('closed'));
          break;
        }
      }
      const index = o.nextIndex();
      const sent = conn.send(o.request, [o.expect]);
      const r = await conn.next(sent + ctx.responseTimeoutMs);
      if ('res' in r) {
        out.push(result(index, connection, r.res, r.at - sent, null));
        if (k === 0) out[out.length - 1].connectedAt = conn.connectedMono;
        continue;
      }
      const error = conn.failure(r.miss);
      out.push(result(index, connection, conn.parser.partial, now() - sent, error));
      fill(restError(r.miss, error));
      break;
    }
  } finally {
    // a server that announced its close gets to close first (its lingering close then ends at once)
    if (conn.announcedClose && ctx.stopReason === null) await conn.waitClosed(CLOSE_GRACE_MS);
    conn.destroy();
  }
  return out;
}

/** What the requests after a failed one (never written) report. */
function restError(miss: Miss, error: string): string {
  if (miss === 'stopped' || CLOSED_AFTER.test(error)) return error;
  return `not sent: ${error}`;
}
const CLOSED_AFTER = /^the server closed the connection after request \d+$/;

async function runPipelined(ctx: DriveContext, step: Extract<DriverStep, { mode: 'pipelined' }>): Promise<DriverRequestResult[]> {
  const out: DriverRequestResult[] = [];
  const fill = (error: string) => {
    while (out.length < step.n) out.push(result(out.length + 1, 1, null, 0, error));
  };
  if (ctx.stopReason !== null) {
    fill(ctx.stopReason);
    return out;
  }
  const one = requestBytes(step, ctx.port);
  const all = Buffer.concat(Array.from({ length: step.n }, () => one));
  const expect = { head: step.method === 'HEAD', http09: step.version === '0.9' };
  const conn = new Conn(ctx);
  try {
    const t0 = now();
    const miss = await conn.waitConnected(t0 + ctx.responseTimeoutMs);
    if (miss) {
      const error = conn.failure(miss);
      out.push(result(1, 1, null, now() - t0, error));
      fill(error);
      return out;
    }
    const sent = conn.send(
      all,
      Array.from({ length: step.n }, () => expect),
    );
    let deadline = sent + ctx.responseTimeoutMs;
    while (out.length < step.n) {
      const r = await conn.next(deadline);
      if ('res' in r) {
        out.push(result(out.length + 1, 1, r.res, r.at - sent, null));
        deadline = r.at + ctx.responseTimeoutMs;
        continue;
      }
      const error = conn.failure(r.miss);
      out.push(result(out.length + 1, 1, conn.parser.partial, now() - sent, error));
      fill(error); // all were written: they share the fate
    }
  } finally {
    if (conn.announcedClose && ctx.stopReason === null) await conn.waitClosed(CLOSE_GRACE_MS);
    conn.destroy();
  }
  return out;
}

async function runBurst(ctx: DriveContext, step: Extract<DriverStep, { mode: 'burst' }>): Promise<DriverRequestResult[]> {
  const request = requestBytes(step, ctx.port);
  const expect = { head: step.method === 'HEAD', http09: step.version === '0.9' };
  let sent = 0;
  const nextIndex = () => ++sent;
  let opened = 0;
  const nextConnection = () => ++opened;
  const lanes = Array.from({ length: step.connections }, async (_, lane) => {
    if (step.keepalive) return oneConnection(ctx, { request, expect, count: step.requests, thinkMs: step.thinkMs, connection: lane + 1, nextIndex });
    const res: DriverRequestResult[] = [];
    for (let j = 0; j < step.requests; j++) {
      if (j > 0 && step.thinkMs) await ctx.sleep(step.thinkMs * ctx.slowmo);
      res.push(...(await oneConnection(ctx, { request, expect, count: 1, thinkMs: 0, connection: nextConnection, nextIndex })));
    }
    return res;
  });
  return (await Promise.all(lanes)).flat().sort((a, b) => a.index - b.index);
}

async function runRaw(ctx: DriveContext, step: Extract<DriverStep, { mode: 'raw' }>): Promise<Omit<DriverStepResult, 'ms'>> {
  if (ctx.stopReason !== null) return { mode: 'raw', requests: [], raw: '', closedByServer: false };
  const data = Buffer.from(step.data, 'latin1');
  const conn = new Conn(ctx, DRIVER_LIMITS.maxReplyBytes);
  try {
    const t0 = now();
    const miss = await conn.waitConnected(t0 + ctx.responseTimeoutMs);
    if (miss) return { mode: 'raw', requests: [result(1, 1, null, now() - t0, conn.failure(miss))], raw: '', closedByServer: false };
    const sent = conn.send(data, rawRequestKinds(data));
    const how = await conn.waitQuiet(step.waitMs, sent);
    if (how !== 'closed') conn.settle(false);
    const requests = conn.takeAll().map(({ res, at }, i) => result(i + 1, 1, res, at - sent, null));
    const partial = conn.parser.partial;
    const cut =
      how === 'quiet'
        ? `incomplete: no more bytes for ${seconds(step.waitMs)}`
        : how === 'capped'
          ? `the reply was cut at ${DRIVER_LIMITS.maxReplyBytes / (1024 * 1024)} MiB (the most the lab keeps of a raw reply)`
          : how === 'stopped'
            ? ctx.stopReason!
            : conn.failure('closed');
    if (partial) requests.push(result(requests.length + 1, 1, partial, conn.lastByteAt - sent, cut));
    else if (conn.parser.failure !== null) requests.push(result(requests.length + 1, 1, null, conn.lastByteAt - sent, conn.failure('malformed')));
    else if (how === 'capped' || how === 'stopped') requests.push(result(requests.length + 1, 1, null, conn.lastByteAt - sent, cut));
    return {
      mode: 'raw',
      requests,
      raw: Buffer.concat(conn.rawChunks).toString('latin1'),
      closedByServer: how === 'closed',
    };
  } finally {
    conn.destroy();
  }
}

async function runHold(ctx: DriveContext, step: Extract<DriverStep, { mode: 'hold' }>): Promise<DriverRequestResult[]> {
  if (ctx.stopReason !== null) return stoppedRequests(step, ctx.stopReason);
  const conns = Array.from({ length: step.connections }, () => new Conn(ctx));
  try {
    const t0 = now();
    const misses = await Promise.all(conns.map((c) => c.waitConnected(t0 + ctx.responseTimeoutMs)));
    await ctx.sleep(step.ms);
    const end = now();
    return conns.map((c, i) => {
      const miss = misses[i];
      if (miss) return result(i + 1, i + 1, null, 0, c.failure(miss));
      // a response the server sent on its own (a 408 after Timeout, say)
      const res = c.takeAll()[0]?.res ?? c.parser.partial;
      if (c.goneAt) {
        const held = c.goneAt - c.connectedAt;
        const why = c.error && !c.ended ? `${c.failure('closed')} after ${seconds(held)}` : `the server closed the connection after ${seconds(held)}`;
        return result(i + 1, i + 1, res, held, why);
      }
      return result(i + 1, i + 1, res, end - c.connectedAt, ctx.stopReason);
    });
  } finally {
    for (const c of conns) c.destroy();
  }
}

/** The entries of a step that never ran (the drive had stopped). */
function stoppedRequests(step: DriverStep, reason: string): DriverRequestResult[] {
  const rows = (n: number, conn: (i: number) => number) => Array.from({ length: n }, (_, i) => result(i + 1, conn(i), null, 0, reason));
  switch (step.mode) {
    case 'single':
      return rows(1, () => 1);
    case 'sequential':
      return rows(step.n, (i) => i + 1);
    case 'keepalive':
    case 'pipelined':
      return rows(step.n, () => 1);
    case 'burst':
      return rows(step.connections * step.requests, (i) => (step.keepalive ? (i % step.connections) + 1 : i + 1));
    case 'hold':
      return rows(step.connections, (i) => i + 1);
    case 'raw':
      return [];
  }
}

async function runStep(ctx: DriveContext, step: DriverStep): Promise<DriverStepResult> {
  const t0 = now();
  const done = (r: Omit<DriverStepResult, 'ms'>): DriverStepResult => ({ ...r, ms: round(now() - t0) });
  if (ctx.stopReason !== null) {
    const requests = stoppedRequests(step, ctx.stopReason);
    return done(step.mode === 'raw' ? { mode: step.mode, requests, raw: '', closedByServer: false } : { mode: step.mode, requests });
  }
  switch (step.mode) {
    case 'single':
    case 'keepalive': {
      let index = 0;
      const requests = await oneConnection(ctx, {
        request: requestBytes(step, ctx.port),
        expect: { head: step.method === 'HEAD', http09: step.version === '0.9' },
        count: step.mode === 'single' ? 1 : step.n,
        thinkMs: step.mode === 'keepalive' ? step.thinkMs : 0,
        connection: 1,
        nextIndex: () => ++index,
      });
      return done({ mode: step.mode, requests });
    }
    case 'sequential': {
      const request = requestBytes(step, ctx.port);
      const expect = { head: step.method === 'HEAD', http09: step.version === '0.9' };
      let index = 0;
      const requests: DriverRequestResult[] = [];
      for (let i = 1; i <= step.n; i++) {
        if (i > 1 && ctx.slowmo > 1) await ctx.sleep(SLOWMO_PHASE_MS * ctx.slowmo);
        requests.push(...(await oneConnection(ctx, { request, expect, count: 1, thinkMs: 0, connection: i, nextIndex: () => ++index })));
      }
      return done({ mode: step.mode, requests });
    }
    case 'pipelined':
      return done({ mode: step.mode, requests: await runPipelined(ctx, step) });
    case 'burst':
      return done({ mode: step.mode, requests: await runBurst(ctx, step) });
    case 'raw':
      return done(await runRaw(ctx, step));
    case 'hold':
      return done({ mode: step.mode, requests: await runHold(ctx, step) });
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The drive was aborted', 'AbortError');
}

/**
 * Run the steps one after another against the engine on 127.0.0.1:port and
 * report what every request saw. Rejects with DriverLimitError before sending
 * anything if the steps are over the lab's limits.
 */
export async function drive(port: number, steps: DriverStep[], opts: DriveOptions = {}): Promise<DriverStepResult[]> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`not a TCP port: ${port}`);
  checkLimits(steps);
  const { signal } = opts;
  if (signal?.aborted) throw abortReason(signal);
  const limitMs = Math.min(opts.timeLimitMs ?? DRIVER_LIMITS.maxDurationMs, DRIVER_LIMITS.maxDurationMs);
  const ctx = new DriveContext(port, Math.min(opts.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS, RESPONSE_TIMEOUT_MS));
  ctx.slowmo = Math.max(1, opts.slowmo ?? 1);
  const onAbort = () => ctx.stop('stopped: the drive was aborted');
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => ctx.stop(`stopped: the drive exceeded ${seconds(limitMs)}`), limitMs);
  const results: DriverStepResult[] = [];
  try {
    for (const step of steps) results.push(await runStep(ctx, step));
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    await ctx.closeAll();
  }
  if (signal?.aborted) throw abortReason(signal);
  return results;
}
