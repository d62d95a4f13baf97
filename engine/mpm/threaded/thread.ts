// One worker thread of a worker/event child (worker.c / event.c worker_thread).
// It owns connections, not sockets: the listener (the child's main thread) does
// the socket I/O and relays bytes through SocketProxy. worker binds a thread to
// a connection for its whole life; event hands it one request at a time.
import fs from 'node:fs';
import type net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { serveConnection, serveOneRequest, type CarriedState, type WorkerContext } from '../../child/connection.js';
import { SocketProxy, type RelayToThread } from '../../child/socket-proxy.js';
import { warmUp } from '../../child/warmup.js';
import type { EffectiveConfig } from '../../config/index.js';
import { nowUs, shouldLog } from '../../log/error-log.js';
import { kernelTid, monoMs } from '../../platform/clock.js';
import type { ScoreboardSnapshot } from '../scoreboard.js';
import { SERVER_READY } from '../scoreboard.js';
import type { ListenerToThread, ThreadInit, ThreadToListener } from './messages.js';
import type { ChildMessage } from '../ipc.js';
import { KINDS, type MpmName } from '../kinds.js';

const init = workerData as ThreadInit;
const config = init.config as EffectiveConfig;
const port = parentPort!;
const tid = kernelTid(fs.readlinkSync);
let stopping = false;
const proxies = new Map<string, SocketProxy>();
const statusWaiters = new Map<number, (s: ScoreboardSnapshot) => void>();
let statusSeq = 0;

// Reports for the parent leave in one message per turn of this thread's loop
// (a request's W, request.end, K… together), and always before any other
// message of ours, so the listener sees everything in the order it happened.
let reports: ChildMessage[] = [];
let reportsScheduled = false;

function flushReports(): void {
  reportsScheduled = false;
  if (!reports.length) return;
  const ms = reports;
  reports = [];
  port.postMessage({ t: 'reports', ms } satisfies ThreadToListener);
}

function report(m: ChildMessage): void {
  reports.push(m);
  if (!reportsScheduled) {
    reportsScheduled = true;
    setImmediate(flushReports);
  }
}

function post(m: ThreadToListener, transfer: ArrayBuffer[] = []): void {
  flushReports();
  port.postMessage(m, transfer);
}

const context: WorkerContext = {
  // X-MPM: the platform MPMs say they are models
  mpm: KINDS[init.mpm as MpmName]?.label ?? init.mpm,
  pid: process.pid,
  tid,
  slot: init.slot,
  thread: init.thread,
  generation: init.generation,
  config,
  shared: new Int32Array(init.shared),
  app: init.app,
  isStopping: () => stopping,
  events: init.events,
  report,
  protocolLog(l, client) {
    if (!shouldLog(l.level, config.logLevel)) return;
    report({ t: 'log', entry: { level: l.level, module: l.module, ah: l.ah, text: l.text, time: nowUs(), client, tid, ...(l.status ? { status: l.status } : {}) } });
  },
  async serverStatus(query: string) {
    const id = ++statusSeq;
    const snap = await new Promise<ScoreboardSnapshot>((resolve) => {
      statusWaiters.set(id, resolve);
      post({ t: 'scoreboard?', id });
    });
    const { renderStatus, statusContentType, statusQuery } = await import('../../status/render.js');
    const os = await import('node:os');
    const q = statusQuery(query);
    const [a, b, c] = os.loadavg();
    const body = renderStatus(snap, { auto: q.auto, notable: q.notable, localIp: '127.0.0.1', loadavg: [a, b, c] });
    return { contentType: statusContentType(q.auto), body, ...(q.refresh !== undefined ? { refresh: q.refresh } : {}) };
  },
  crash(): never {
    // a module segfaulting in one thread takes the whole process down, as in httpd:
    // the listener sends the signal after flushing what this thread reported
    post({ t: 'crash' });
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    throw new Error('unreachable');
  },
};

function ready(): void {
  context.report({ t: 'status', ts: monoMs(), thread: init.thread, status: SERVER_READY });
  post({ t: 'idle' });
}

function proxyFor(id: string, client: string): SocketProxy {
  const [addr, p] = client.split(/:(?=\d+$)/);
  const s = new SocketProxy(id, addr, Number(p), port);
  proxies.set(id, s);
  return s;
}

port.on('message', (m: ListenerToThread | RelayToThread) => {
  switch (m.t) {
    case 'conn': {
      // worker: this connection is ours until it closes
      const s = proxyFor(m.id, m.client);
      void serveConnection(s as unknown as net.Socket, context, m.id).then((outcome) => {
        proxies.delete(m.id);
        post({ t: 'done', id: m.id, outcome: { kind: 'finished', readySince: outcome.readySince } });
        context.report({ t: 'status', ts: monoMs(), thread: init.thread, status: SERVER_READY });
        post({ t: 'idle' });
      });
      break;
    }
    case 'request': {
      // event: one request, then the connection goes back to the listener
      const s = proxyFor(m.id, m.client);
      const carried: CarriedState | null = m.state;
      void serveOneRequest(s as unknown as net.Socket, context, m.id, carried).then((outcome) => {
        proxies.delete(m.id);
        const transfer = outcome.kind === 'keepalive' && outcome.state.pending.byteLength ? [outcome.state.pending.buffer as ArrayBuffer] : [];
        post({ t: 'done', id: m.id, outcome }, transfer);
        context.report({ t: 'status', ts: monoMs(), thread: init.thread, status: SERVER_READY });
        post({ t: 'idle' });
      });
      break;
    }
    case 'graceful':
      stopping = true;
      break;
    case 'scoreboard': {
      const w = statusWaiters.get(m.id);
      statusWaiters.delete(m.id);
      w?.(m.snapshot);
      break;
    }
    case 'data':
    case 'end':
    case 'close':
    case 'written': {
      const s = proxies.get(m.id);
      if (s) s.deliver(m);
      // bytes for a connection this thread already handed back: return them, in order
      else if (m.t === 'data') post({ t: 'bounce', id: m.id, buf: m.buf }, [m.buf.buffer as ArrayBuffer]);
      else if (m.t === 'end') post({ t: 'bounce-end', id: m.id });
      break;
    }
  }
});

void warmUp(context).then(ready);
