// A worker or event child (worker.c / event.c child_main + listener_thread),
// also the platform MPMs' models: winnt's one child (worker-like, fixed pool),
// netware's one process (threads added/stopped by the parent's maintenance) and
// mpmt_os2's children (accept always, queue, size their own pool).
// The main thread is the listener: it takes the accept turn only while one of
// its worker threads is idle (event: and while admission allows), owns every
// socket and relays bytes to the thread that owns the connection. worker binds
// a thread to a connection until it closes; event parks a kept-alive
// connection here, with no thread, and gives each request to any idle thread.
import { SHARED_WORDS, setSlowmo } from '../common/slowmo.js';
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CarriedState } from '../../child/connection.js';
import { flush, flushSync, report } from '../../child/reporter.js';
import type { RelayToThread } from '../../child/socket-proxy.js';
import type { EffectiveConfig } from '../../config/index.js';
import { nowUs, shouldLog, type LogLevel } from '../../log/error-log.js';
import { kernelTid, monoMs } from '../../platform/clock.js';
import { acceptingAgain, connectionsAboveLimit, disabledLog } from '../event/admission.js';
import type { ChildInit, ChildMessage, ParentMessage } from '../ipc.js';
import { SERVER_DEAD, SERVER_GRACEFUL } from '../scoreboard.js';
import type { ListenerToThread, ThreadInit, ThreadToListener } from './messages.js';
import { turnCollector } from '../common/turn-handles.js';

const THREAD_MAIN = fileURLToPath(new URL('./thread.js', import.meta.url));
/** httpd's lingering close: 2 s of silence, 30 s at most (2 s when the child is stopping) */
const SECONDS_TO_LINGER = 2000;
const MAX_SECS_TO_LINGER = 30_000;
/**
 * event: a worker's write returns once at most this much of the connection's
 * output is still waiting for the kernel (core output filter's
 * THRESHOLD_MAX_BUFFER); the rest is written by the listener after the worker
 * has moved on (write completion, ConnsAsyncWriting).
 */
const THRESHOLD_MAX_BUFFER = 64 * 1024;

const init = JSON.parse(process.argv[2] ?? '{}') as ChildInit;
const config = init.config as EffectiveConfig;
const mode = init.mpm as 'worker' | 'event' | 'winnt' | 'netware' | 'mpmt_os2';
const event = mode === 'event';
const module = `mpm_${mode}`;
/** worker and winnt may start in a slot whose old child still finishes (start_threads polls for its threads) */
const squats = mode === 'worker' || mode === 'winnt';
/** mpmt_os2: the main thread accepts whatever comes and queues it; a maintenance thread sizes the pool */
const selfSizing = mode === 'mpmt_os2';
/** mpmt_os2's HARD_THREAD_LIMIT, within the lab's thread cap */
const threadCap = init.threadCap ?? config.threadsPerChild;
const mainTid = kernelTid(fs.readlinkSync);

interface ThreadRec {
  index: number;
  /** connections served (netware counts MaxConnectionsPerChild per thread) */
  served: number;
  /** stop as soon as it is idle (netware's I, or its connection budget is spent) */
  retireWhenIdle: boolean;
  worker: Worker;
  ready: boolean;
  /** the connection it serves now */
  busy: string | null;
  /** when it last became idle: the worker queue wakes the longest-waiting thread */
  idleSince: number;
  exited: boolean;
}

type ConnCloseReason = Extract<ChildMessage, { t: 'conn.close' }>['reason'];

interface ConnRec {
  id: string;
  socket: net.Socket;
  client: string;
  thread: ThreadRec | null;
  /** event: where the connection is while no thread holds it */
  state: 'active' | 'writing' | 'keepalive' | 'closing';
  /** why it is closing (state 'closing'), reported when the lingering close ends */
  closeReason: ConnCloseReason | null;
  /** writes handed to the socket and not yet taken by the kernel */
  unflushed: number;
  /** event: write acknowledgements held back while too much output is queued */
  heldAcks: { th: ThreadRec; seq: number }[];
  /** event: what to do once the output is flushed (write completion) */
  onFlushed: (() => void) | null;
  /** bytes received while no thread held the connection */
  pending: Buffer[];
  carried: CarriedState | null;
  peerEnded: boolean;
  requests: number;
  timer: NodeJS.Timeout | null;
}

const threads: ThreadRec[] = [];
/** the process's global state, one copy for all its threads (a non-thread-safe library's) */
const shared = new SharedArrayBuffer(4 * SHARED_WORDS);
setSlowmo(new Int32Array(shared), init.slowmo ?? 1);
const conns = new Map<string, ConnRec>();
/** winnt/mpmt_os2: accepted connections waiting for a thread (winnt's completion contexts, os2's work queue) */
const waiting: ConnRec[] = [];
let reportedOutOfThreads = false;
let connSeq = 0;
let dying = false;
/** MaxConnectionsPerChild left (worker: counted after each connection; event: at accept) */
let budget = config.maxConnectionsPerChild > 0 ? config.maxConnectionsPerChild : Infinity;
let listeners: net.Server[] = [];
let queuedForTurn = false;
let announcedListening = false;
let listeningDisabled = false;

function log(level: LogLevel, text: string, ah = '', src?: string): void {
  if (!shouldLog(level, config.logLevel)) return;
  report({ t: 'log', entry: { level, module, ah, text, time: nowUs(), tid: mainTid, ...(src ? { src } : {}) } });
}

function exit(reason: Extract<ChildMessage, { t: 'exiting' }>['reason'] | null, code = 0): void {
  if (reason) report({ t: 'exiting', ts: monoMs(), reason });
  for (const t of threads) void t.worker.terminate();
  flush(() => process.exit(code));
}

// ---- threads -------------------------------------------------------------------

/**
 * worker.c start_threads: start a thread in each free entry of our slot. In a
 * slot taken over from a child that is still finishing, the rest follow as
 * its threads leave (asked once a second, as httpd's start thread polls).
 */
function startThreads(indexes: readonly number[]): void {
  for (const i of indexes) {
    if (threads.some((t) => t.index === i)) continue;
    const worker = new Worker(THREAD_MAIN, { workerData: { mpm: init.mpm, slot: init.slot, thread: i, generation: init.generation, config, shared, events: init.events, app: init.app ?? null } satisfies ThreadInit, execArgv: [] });
    const rec: ThreadRec = { index: i, worker, ready: false, busy: null, idleSince: 0, exited: false, served: 0, retireWhenIdle: false };
    threads.push(rec);
    startedThreads++;
    worker.on('message', (m: ThreadToListener) => onThreadMessage(rec, m));
    worker.on('error', (err) => {
      // a thread that dies is reported, never silently replaced
      log('error', `MPM Lab: worker thread ${i} of pid ${process.pid} died: ${err.message}`);
    });
    worker.on('exit', () => {
      rec.exited = true;
      report({ t: 'status', ts: monoMs(), thread: i, status: SERVER_DEAD });
      if (rec.busy) {
        const c = conns.get(rec.busy);
        if (c) c.socket.destroy();
      }
      maybeExit();
    });
  }
}

let startedThreads = 0;
function takeOverSlot(): void {
  if (!squats || dying || startedThreads >= config.threadsPerChild) return;
  setTimeout(() => {
    if (!dying) report({ t: 'threads?' });
  }, 1000).unref();
}

/** Idle threads, longest-waiting first (the order a condition variable wakes its waiters, as httpd's tids show). */
const idleThreads = () => threads.filter((t) => t.ready && !t.busy && !t.exited).sort((a, b) => a.idleSince - b.idleSince);

function onThreadMessage(th: ThreadRec, m: ThreadToListener): void {
  switch (m.t) {
    case 'reports':
      for (const r of m.ms) report(r);
      return;
    case 'idle':
      th.ready = true;
      th.busy = null;
      th.idleSince = monoMs();
      // connections already accepted and queued are served first, even by a stopping child
      if (waiting.length && !th.retireWhenIdle) return afterThreadFreed();
      if (dying || th.retireWhenIdle) return retire(th);
      afterThreadFreed();
      return;
    case 'done':
      return onDone(m.id, m.outcome);
    case 'write': {
      const c = conns.get(m.id);
      if (!c || c.socket.destroyed) return post(th, { t: 'written', id: m.id, seq: m.seq, err: 'socket closed' });
      return relayWrite(th, c, m.seq, Buffer.from(m.buf.buffer, m.buf.byteOffset, m.buf.byteLength));
    }
    case 'write-repeated': {
      const c = conns.get(m.id);
      if (!c || c.socket.destroyed) return post(th, { t: 'written', id: m.id, seq: m.seq, err: 'socket closed' });
      return relayRepeated(th, c, m.seq, m.length, Buffer.from(m.piece.buffer, m.piece.byteOffset, m.piece.byteLength));
    }
    case 'end':
      conns.get(m.id)?.socket.end();
      return;
    case 'destroy':
      conns.get(m.id)?.socket.destroy();
      return;
    case 'pause':
      conns.get(m.id)?.socket.pause();
      return;
    case 'resume':
      conns.get(m.id)?.socket.resume();
      return;
    case 'bounce': {
      const c = conns.get(m.id);
      if (c) {
        c.pending.push(Buffer.from(m.buf.buffer, m.buf.byteOffset, m.buf.byteLength));
        onParkedReadable(c);
      }
      return;
    }
    case 'bounce-end': {
      const c = conns.get(m.id);
      if (c) onPeerEnd(c);
      return;
    }
    case 'scoreboard?':
      return askScoreboard(th, m.id);
    case 'crash':
      // a segfault in any thread ends the whole process (and every connection it holds)
      flushSync();
      process.kill(process.pid, 'SIGSEGV');
      return;
  }
}

/**
 * Write for a thread. worker: acknowledged once the kernel has the bytes (the
 * thread blocks in its write, as in httpd). event: acknowledged while no more
 * than THRESHOLD_MAX_BUFFER is queued, so the thread can finish the request.
 */
function relayWrite(th: ThreadRec, c: ConnRec, seq: number, buf: Buffer): void {
  c.unflushed++;
  c.socket.write(buf, (err) => {
    if (!event) post(th, { t: 'written', id: c.id, seq, ...(err ? { err: err.message } : {}) });
    else releaseAcks(c, err ?? null);
    flushed(c);
  });
  if (event) {
    c.heldAcks.push({ th, seq });
    releaseAcks(c, null);
  }
}

/**
 * A file-like body (/big): streamed here with backpressure, never held in
 * memory. worker: the thread waits until the kernel has all of it. event: like
 * httpd's file buckets it does not count as buffered output, so the thread is
 * told at once and the listener finishes (write completion).
 */
function relayRepeated(th: ThreadRec, c: ConnRec, seq: number, length: number, piece: Buffer): void {
  c.unflushed++;
  if (event) post(th, { t: 'written', id: c.id, seq });
  let left = length;
  const pump = (): void => {
    while (left > 0 && !c.socket.destroyed) {
      const n = Math.min(left, piece.length);
      left -= n;
      const chunk = n === piece.length ? piece : piece.subarray(0, n);
      if (left === 0) {
        c.socket.write(chunk, (err) => {
          if (!event) post(th, { t: 'written', id: c.id, seq, ...(err ? { err: err.message } : {}) });
          flushed(c);
        });
        return;
      }
      if (!c.socket.write(chunk)) {
        c.socket.once('drain', () => {
          progress(c);
          pump();
        });
        return;
      }
    }
    // destroyed midway: 'close' tells the thread (SocketProxy fails its pending writes)
  };
  pump();
}

function flushed(c: ConnRec): void {
  c.unflushed--;
  progress(c);
  if (c.unflushed === 0 && c.onFlushed) {
    const f = c.onFlushed;
    c.onFlushed = null;
    f();
  }
}

/** Write completion gives up after Timeout without progress, as a blocked write would. */
function progress(c: ConnRec): void {
  if (c.state !== 'writing' || !conns.has(c.id)) return;
  if (c.timer) clearTimeout(c.timer);
  c.timer = setTimeout(() => closeNow(c, 'timeout'), config.timeoutMs);
}

function releaseAcks(c: ConnRec, err: Error | null): void {
  if (!err && c.socket.writableLength > THRESHOLD_MAX_BUFFER) return;
  const held = c.heldAcks;
  c.heldAcks = [];
  for (const a of held) post(a.th, { t: 'written', id: c.id, seq: a.seq, ...(err ? { err: err.message } : {}) });
}

function post(th: ThreadRec, m: ListenerToThread | RelayToThread, transfer: ArrayBuffer[] = []): void {
  if (!th.exited) th.worker.postMessage(m, transfer);
}

/** A stopping child lets go of threads it no longer needs. */
function retire(th: ThreadRec): void {
  if (event && dying) {
    // event: idle threads show G while the child finishes its connections
    report({ t: 'status', ts: monoMs(), thread: th.index, status: SERVER_GRACEFUL });
  } else {
    th.exited = true;
    void th.worker.terminate();
  }
  maybeExit();
}

// ---- the accept turn -------------------------------------------------------------

function afterThreadFreed(): void {
  // a freed thread takes the oldest queued connection first
  while (waiting.length && idleThreads().length) {
    const c = waiting.shift()!;
    if (conns.has(c.id) && !c.socket.destroyed) assign(c, idleThreads()[0]);
  }
  reevaluate();
}

function admission(disabled: boolean) {
  const open = [...conns.values()];
  return {
    idleWorkers: idleThreads().length,
    connections: open.length,
    lingering: open.filter((c) => c.state === 'closing').length,
    threadsPerChild: config.threadsPerChild,
    asyncFactor: config.asyncFactorEffective ?? 2,
    listeningDisabled: disabled,
  };
}

/**
 * After anything changed: re-enable listening if event's limit allows it
 * again, then want the accept turn if a connection could be taken right now
 * (an idle thread to reserve; event: and below the limit), or let it go.
 */
function reevaluate(): void {
  if (dying) return;
  if (budget <= 0) {
    if (mode === 'winnt') log('notice', 'Child: Process exiting because it reached MaxConnectionsPerChild. Signaling the parent to restart a new child process.', 'AH00358');
    return startGracefulStop('max-connections');
  }
  if (event && listeningDisabled) {
    const a = admission(true);
    if (connectionsAboveLimit(a)) return;
    listeningDisabled = false;
    log('debug', acceptingAgain(a), 'AH00457', 'event.c(496)');
    report({ t: 'accepting', ts: monoMs(), on: true });
  }
  const canTake = event
    ? !connectionsAboveLimit(admission(false))
    : selfSizing
      ? true
      : mode === 'winnt'
        // ThreadsPerChild + one completion context per listener: that many may be accepted
        ? idleThreads().length > 0 || waiting.length < init.listen.length
        : idleThreads().length > 0;
  if (canTake) {
    if (queuedForTurn || listeners.length) return;
    queuedForTurn = true;
    toldPolling = false;
    report({ t: 'want-turn', ts: monoMs() });
    return;
  }
  const wanted = queuedForTurn || listeners.length > 0;
  queuedForTurn = false;
  stopListening();
  // event: still polling the listening socket, but it would not accept now
  if (wanted || (event && !listeningDisabled && !toldPolling)) {
    toldPolling = event;
    report({ t: 'release', ts: monoMs() });
  }
}
let toldPolling = false;

/**
 * event: a connection arrived at the shared socket (every listener wakes: no
 * EPOLLEXCLUSIVE). A process over its limit stops listening until it is
 * well below it; one with no idle worker also closes its keep-alive connections.
 */
function onArrival(): void {
  if (!event || dying || listeningDisabled) return;
  const a = admission(false);
  if (!connectionsAboveLimit(a)) return; // it would have raced for it, and lost
  listeningDisabled = true;
  queuedForTurn = false;
  toldPolling = false;
  stopListening();
  report({ t: 'accepting', ts: monoMs(), on: false });
  log('debug', disabledLog(a.connections), '', 'event.c(1961)');
  if (a.idleWorkers === 0) closeKeepAlives();
}

/** event.c: when workers were busy, every keep-alive connection of the process is closed. */
function closeKeepAlives(): void {
  for (const k of [...conns.values()]) if (k.state === 'keepalive') closeKeptAlive(k, 'keepalive-timeout');
}

/**
 * event closes a kept-alive connection itself (no idle worker): FIN first, then
 * the lingering close, as start_lingering_close_nonblocking — never a reset of
 * a client whose next request is already on its way (ab saw "Receive" errors).
 */
function closeKeptAlive(c: ConnRec, reason: ConnCloseReason): void {
  c.pending = [];
  c.socket.end();
  linger(c, reason);
}

/** ap_lingering_close in the listener: the FIN is sent; read and drop until the client closes or is quiet for 2 s (30 s at most). */
function linger(c: ConnRec, reason: ConnCloseReason): void {
  if (c.timer) clearTimeout(c.timer);
  c.timer = null;
  c.state = 'closing';
  c.closeReason = reason;
  if (c.peerEnded || c.socket.destroyed) return closeNow(c, reason);
  const quiet = () => closeNow(c, reason);
  const cap = setTimeout(quiet, dying ? SECONDS_TO_LINGER : MAX_SECS_TO_LINGER);
  cap.unref();
  c.timer = setTimeout(quiet, SECONDS_TO_LINGER);
  c.socket.on('data', () => {
    if (c.timer) clearTimeout(c.timer);
    c.timer = setTimeout(quiet, SECONDS_TO_LINGER);
  });
  c.socket.once('close', () => clearTimeout(cap));
  c.socket.resume();
}

function takeTurn(handles: unknown[]): void {
  queuedForTurn = false;
  if (dying) return;
  for (const h of handles) {
    const srv = net.createServer({ allowHalfOpen: true });
    srv.on('connection', onConnection);
    srv.on('error', (err: NodeJS.ErrnoException) => {
      log('emerg', `MPM Lab: could not listen on the socket inherited from the parent: ${err.message}`);
      exit('fatal', 15);
    });
    srv.listen(h as net.Server, config.listenBacklog);
    listeners.push(srv);
  }
  if (!announcedListening) {
    announcedListening = true;
    report({ t: 'listening', ts: monoMs() });
  }
}

function stopListening(): void {
  for (const l of listeners) l.close();
  listeners = [];
}

function onConnection(socket: net.Socket): void {
  // one accept per turn, as in prefork: the next connection waits for the next turn
  stopListening();
  report({ t: 'accepted', ts: monoMs() });
  // We take the turn only with an idle thread, but a parked keep-alive connection's
  // next request may have taken it meanwhile: then this one waits for the next free
  // thread, as httpd's listener, which reserves a worker before accept(), would make it.
  const th = idleThreads()[0];
  // event and mpmt_os2 count MaxConnectionsPerChild at accept; worker and winnt when a connection ends
  if (event || selfSizing) budget--;
  const c: ConnRec = {
    id: `${process.pid}-${++connSeq}`,
    socket,
    client: `${socket.remoteAddress ?? '127.0.0.1'}:${socket.remotePort ?? 0}`,
    thread: null,
    state: 'active',
    closeReason: null,
    pending: [],
    carried: null,
    peerEnded: false,
    requests: 0,
    timer: null,
    unflushed: 0,
    heldAcks: [],
    onFlushed: null,
  };
  conns.set(c.id, c);
  socket.setNoDelay(true);
  socket.on('data', (d: Buffer) => onSocketData(c, d));
  socket.on('end', () => onPeerEnd(c));
  socket.on('error', () => undefined); // 'close' follows
  socket.on('close', (hadError: boolean) => onSocketClose(c, hadError));
  if (th) assign(c, th);
  else {
    waiting.push(c);
    if (selfSizing) sizePool();
  }
  if (mode === 'winnt' && !reportedOutOfThreads && idleThreads().length === 0 && waiting.length >= init.listen.length) {
    // the accept thread now waits for a context: once per child
    reportedOutOfThreads = true;
    log('error', 'Server ran out of threads to serve requests. Consider raising the ThreadsPerChild setting', 'AH00326');
  }
  reevaluate();
}

// ---- connections -------------------------------------------------------------------

function assign(c: ConnRec, th: ThreadRec): void {
  th.busy = c.id;
  c.thread = th;
  c.state = 'active';
  if (c.timer) clearTimeout(c.timer);
  c.timer = null;
  if (event) {
    const pending = Buffer.concat([...(c.carried ? [Buffer.from(c.carried.pending)] : []), ...c.pending]);
    c.pending = [];
    const state: CarriedState | null = c.carried ? { ...c.carried, pending } : pending.length ? { keepalives: 0, connKeepalive: 'unknown', requests: 0, pending } : null;
    post(th, { t: 'request', id: c.id, client: c.client, state }, state && pending.length ? [pending.buffer as ArrayBuffer] : []);
    if (c.peerEnded) post(th, { t: 'end', id: c.id });
  } else {
    post(th, { t: 'conn', id: c.id, client: c.client });
    // bytes that came while the connection waited in the queue (winnt, mpmt_os2)
    for (const d of c.pending.splice(0)) {
      const copy = new Uint8Array(d.byteLength);
      copy.set(d);
      post(th, { t: 'data', id: c.id, buf: copy }, [copy.buffer]);
    }
    if (c.peerEnded) post(th, { t: 'end', id: c.id });
  }
}

function onSocketData(c: ConnRec, d: Buffer): void {
  if (c.thread) {
    const copy = new Uint8Array(d.byteLength);
    copy.set(d);
    post(c.thread, { t: 'data', id: c.id, buf: copy }, [copy.buffer]);
    return;
  }
  if (c.state === 'closing') return; // lingering: read and drop
  c.pending.push(d);
  onParkedReadable(c);
}

/** event: data for a parked keep-alive connection: a worker now, or the connection closes. */
function onParkedReadable(c: ConnRec): void {
  if (c.thread || c.state !== 'keepalive' || !c.pending.length) return;
  const th = idleThreads()[0];
  if (th) {
    assign(c, th);
    return reevaluate();
  }
  // no idle worker: httpd closes it (the client has to reconnect), and with
  // workers busy, every other keep-alive connection of the process too
  closeKeptAlive(c, 'error');
  closeKeepAlives();
}

function onPeerEnd(c: ConnRec): void {
  c.peerEnded = true;
  if (c.thread) return post(c.thread, { t: 'end', id: c.id });
  if (c.state === 'keepalive') return closeNow(c, 'client-closed');
  if (c.state === 'closing') closeNow(c, c.closeReason);
}

function onSocketClose(c: ConnRec, hadError: boolean): void {
  if (c.thread) post(c.thread, { t: 'close', id: c.id, hadError });
  else if (conns.has(c.id) && c.state !== 'active') closeNow(c, c.state === 'keepalive' ? 'client-closed' : c.state === 'closing' ? c.closeReason : null);
}

/** The end of a connection the listener holds: report it (event) and forget it. */
function closeNow(c: ConnRec, reason: ConnCloseReason | null): void {
  if (!conns.has(c.id)) return;
  conns.delete(c.id);
  if (c.timer) clearTimeout(c.timer);
  c.socket.destroy();
  if (reason && init.events) report({ t: 'conn.close', ts: monoMs(), thread: -1, tid: mainTid, connId: c.id, requests: c.requests, reason });
  counters();
  maybeExit();
  if (!dying) reevaluate();
}

type DoneOutcome = Extract<ThreadToListener, { t: 'done' }>['outcome'];

function onDone(id: string, outcome: DoneOutcome): void {
  const c = conns.get(id);
  if (!c) return;
  const th = c.thread;
  if (th && mode === 'netware' && outcome.kind === 'finished' && config.maxConnectionsPerChild > 0 && ++th.served >= config.maxConnectionsPerChild) {
    // netware counts MaxConnectionsPerChild per thread: this one ends, maintenance starts others
    th.retireWhenIdle = true;
  }
  c.thread = null;
  if (event && c.unflushed > 0 && (outcome.kind === 'keepalive' || outcome.kind === 'closing') && !c.socket.destroyed) {
    // write completion: the worker is free; the listener finishes sending
    // (within Timeout) and only then parks the connection or closes it
    c.state = 'writing';
    c.timer = setTimeout(() => closeNow(c, 'timeout'), config.timeoutMs);
    c.onFlushed = () => {
      if (!conns.has(c.id) || c.state !== 'writing') return;
      if (c.timer) clearTimeout(c.timer);
      c.timer = null;
      afterResponse(c, outcome);
    };
    counters();
    return;
  }
  afterResponse(c, outcome);
}

/** The response is out: the connection waits for its next request, closes, or is gone. */
function afterResponse(c: ConnRec, outcome: DoneOutcome): void {
  const id = c.id;
  switch (outcome.kind) {
    case 'finished':
      // worker: the thread served the connection to its close
      conns.delete(id);
      if (mode === 'worker' || mode === 'winnt') budget--;
      maybeExit();
      break;
    case 'keepalive': {
      c.requests = outcome.state.requests;
      c.carried = outcome.state;
      c.state = 'keepalive';
      if (dying) return closeNow(c, 'stopping');
      if (c.peerEnded) return closeNow(c, 'client-closed');
      c.timer = setTimeout(() => closeNow(c, 'keepalive-timeout'), config.keepAliveTimeoutMs);
      // a pipelined request already here goes straight back to a worker
      if (outcome.state.pending.byteLength) {
        c.pending.unshift(Buffer.from(outcome.state.pending));
        c.carried = { ...outcome.state, pending: new Uint8Array(0) };
      }
      // (or one that arrived during write completion)
      if (c.pending.length) onParkedReadable(c);
      break;
    }
    case 'closing':
      // the worker sent the FIN; the listener finishes (2 s of quiet at most if the child is stopping)
      c.requests = outcome.requests;
      linger(c, outcome.reason);
      break;
    case 'closed':
      c.requests = outcome.requests;
      closeNow(c, outcome.reason);
      break;
  }
  counters();
}

/** event's per-process counters for mod_status (connections, keep-alive, closing). */
let countersQueued = false;
function counters(): void {
  if (!event || countersQueued) return;
  countersQueued = true;
  process.nextTick(() => {
    countersQueued = false;
    const all = [...conns.values()];
    report({
      t: 'counters',
      ts: monoMs(),
      connections: all.length,
      writeCompletion: all.filter((c) => c.state === 'writing').length,
      keepAlive: all.filter((c) => c.state === 'keepalive').length,
      lingeringClose: all.filter((c) => c.state === 'closing').length,
    });
  });
}

// ---- stopping ------------------------------------------------------------------------

/** worker.c/event.c graceful stop of this child: stop listening, finish, exit. */
function startGracefulStop(reason: 'graceful' | 'max-connections' | 'idle-kill'): void {
  if (dying) return;
  dying = true;
  exitReason = reason;
  stopListening();
  report({ t: 'quiescing', ts: monoMs() });
  for (const th of threads) post(th, { t: 'graceful' });
  if (event) for (const c of [...conns.values()]) if (c.state === 'keepalive') closeNow(c, 'stopping');
  afterThreadFreed(); // queued connections take idle threads first
  for (const th of idleThreads()) retire(th);
  maybeExit();
}
let exitReason: 'graceful' | 'max-connections' | 'idle-kill' = 'graceful';

function maybeExit(): void {
  if (!dying) return;
  if (conns.size > 0) return;
  if (threads.some((t) => t.busy && !t.exited)) return;
  exit(exitReason);
}

// ---- the parent --------------------------------------------------------------------------

let statusSeq = 0;
const statusAsks = new Map<number, { th: ThreadRec; id: number }>();
function askScoreboard(th: ThreadRec, id: number): void {
  const mine = ++statusSeq;
  statusAsks.set(mine, { th, id });
  report({ t: 'scoreboard?', id: mine });
}

const onTurn = turnCollector(takeTurn);

process.on('message', (m: ParentMessage, handle?: unknown) => {
  switch (m.t) {
    case 'turn':
      onTurn(m.count, handle);
      break;
    case 'graceful':
      startGracefulStop('graceful');
      break;
    case 'die':
      // the pipe of death's '!' for a threaded child: stop gracefully
      startGracefulStop('idle-kill');
      break;
    case 'arrival':
      onArrival();
      break;
    case 'slowmo':
      // every thread reads the shared word: the change is seen at once
      setSlowmo(new Int32Array(shared), m.factor);
      break;
    case 'threads':
      startThreads(m.free);
      takeOverSlot();
      break;
    case 'idle-kill': {
      const th = threads.find((t) => t.index === m.thread && !t.exited);
      if (!th) break;
      if (th.ready && !th.busy) retire(th);
      else th.retireWhenIdle = true;
      break;
    }
    case 'scoreboard': {
      const a = statusAsks.get(m.id);
      statusAsks.delete(m.id);
      if (a) post(a.th, { t: 'scoreboard', id: a.id, snapshot: m.snapshot });
      break;
    }
  }
});

process.on('SIGUSR1', () => startGracefulStop('graceful'));
// ungraceful: the pipe of death's '$' / SIGTERM: close everything now
process.on('SIGTERM', () => process.exit(0));
process.on('SIGHUP', () => process.exit(0));
process.on('SIGINT', () => undefined);
process.on('disconnect', () => process.exit(0));
// a parent that died while this module was loading closed the channel before anyone listened
if (!process.connected) process.exit(0);

if (selfSizing) {
  // mpmt_os2 creates no workers up front: its maintenance thread adds them, at once and every 500 ms
  sizePool();
  setInterval(sizePool, 500).unref();
} else {
  startThreads(init.threads ?? Array.from({ length: config.threadsPerChild }, (_, i) => i));
  if (mode === 'winnt') log('notice', `Child: Starting ${init.threads?.length ?? config.threadsPerChild} worker threads.`, 'AH00354');
  takeOverSlot();
}

/**
 * mpmt_os2_child.c server_maintenance: add MinSpareThreads − idle + queued
 * threads; with more than MaxSpareThreads idle beyond the queue, one thread ends.
 */
function sizePool(): void {
  if (!selfSizing || dying) return;
  const live = threads.filter((t) => !t.exited);
  // a starting thread counts as idle here: it will take queued work as soon as it is up
  const idle = live.filter((t) => !t.busy && !t.retireWhenIdle).length;
  const pending = waiting.length;
  const needed = (config.minSpareThreads ?? 1) - idle + pending;
  const add: number[] = [];
  for (let i = 0; add.length < needed && i < threadCap; i++) if (!live.some((t) => t.index === i)) add.push(i);
  if (add.length) {
    report({ t: 'threads.add', ts: monoMs(), indexes: add });
    startThreads(add);
  }
  if (idle - pending > (config.maxSpareThreads ?? Infinity)) {
    // the exit item goes through the work queue: the longest-waiting thread reads it
    const th = idleThreads()[0];
    if (th) retire(th);
  }
}
