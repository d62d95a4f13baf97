// A prefork child (prefork.c child_main): one connection at a time, accepting
// for itself from the shared listening socket(s) when the parent gives it the
// turn. Node cannot block in accept(), so the kernel's FIFO hand-off between
// blocked acceptors is made explicit: the parent queues idle children and only
// the head of that queue holds a copy of the listening handle (see
// engine/README.md "Who accepts").
import { SHARED_WORDS, setSlowmo } from '../common/slowmo.js';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { serveConnection, type ConnectionOutcome, type WorkerContext } from '../../child/connection.js';
import { warmUp } from '../../child/warmup.js';
import { flush, flushSync, report } from '../../child/reporter.js';
import type { EffectiveConfig } from '../../config/index.js';
import type { ProtocolLog } from '../../http/parser.js';
import { nowUs, shouldLog, type LogLevel } from '../../log/error-log.js';
import { renderStatus, statusContentType, statusQuery } from '../../status/render.js';
import { kernelTid, monoMs } from '../../platform/clock.js';
import type { ChildInit, ChildMessage, ParentMessage } from '../ipc.js';
import type { ScoreboardSnapshot } from '../scoreboard.js';
import { turnCollector } from '../common/turn-handles.js';

const init = JSON.parse(process.argv[2] ?? '{}') as ChildInit;
const config = init.config as EffectiveConfig;
const tid = kernelTid(fs.readlinkSync);

let dieNow = false; // set by the graceful signal: exit after this connection
let inConnection = false;
let requestsThisChild = 0;
let connSeq = 0;
let listeners: net.Server[] = [];
let announcedListening = false;

function exit(reason: Extract<ChildMessage, { t: 'exiting' }>['reason'] | null, code = 0): never {
  if (reason) report({ t: 'exiting', ts: monoMs(), reason });
  flush(() => process.exit(code));
  // process.exit runs from the flush callback; nothing else may run meanwhile
  return undefined as never;
}

function log(level: LogLevel, module: string, ah: string, text: string, extra: { client?: string; status?: string } = {}): void {
  if (!shouldLog(level, config.logLevel)) return;
  report({ t: 'log', entry: { level, module, ah, text, time: nowUs(), ...extra } });
}

/** Close our copies of the listening sockets: the turn is over (or we are stopping). */
function stopListening(): void {
  for (const l of listeners) l.close();
  listeners = [];
}

function takeTurn(handles: unknown[]): void {
  if (dieNow) return exit('graceful');
  for (const h of handles) {
    const srv = net.createServer({ allowHalfOpen: true });
    srv.on('connection', onConnection);
    srv.on('error', (err: NodeJS.ErrnoException) => {
      // A listener we cannot use would bind elsewhere or not at all: as httpd's
      // APEXIT_CHILDFATAL: fatal for the whole server (the parent stops).
      log('emerg', 'mpm_prefork', '', `MPM Lab: could not listen on the socket inherited from the parent: ${err.message}`);
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

function onConnection(socket: net.Socket): void {
  // One accept per turn: close our copies at once, inside the accept callback,
  // so libuv's accept loop stops and the next connection waits for the next child.
  stopListening();
  if (inConnection) {
    // Cannot happen with one holder at a time; if it ever did, refusing is
    // better than serving two connections in one prefork child.
    socket.destroy();
    return;
  }
  inConnection = true;
  report({ t: 'accepted', ts: monoMs() });
  const connId = `${process.pid}-${++connSeq}`;
  void serveConnection(socket, context, connId).then(afterConnection);
}

function afterConnection(outcome: ConnectionOutcome): void {
  inConnection = false;
  // after the connection: the generation check and die_now (graceful signal)
  if (dieNow) return exit('graceful');
  // top of child_main's loop: MaxConnectionsPerChild counts connections
  requestsThisChild++;
  if (config.maxConnectionsPerChild > 0 && requestsThisChild >= config.maxConnectionsPerChild) return exit('max-connections');
  // ready (_) and back in line for the turn — unless the pipe of death has a byte for us
  report({ t: 'idle', ts: monoMs(), since: outcome.readySince });
}

let statusSeq = 0;
const statusWaiters = new Map<number, (s: ScoreboardSnapshot) => void>();

/** /counter's library counter and the slow-motion factor (common/slowmo.ts) */
const shared = new Int32Array(SHARED_WORDS);
setSlowmo(shared, init.slowmo ?? 1);

const context: WorkerContext = {
  mpm: init.mpm,
  pid: process.pid,
  tid,
  slot: init.slot,
  thread: 0,
  generation: init.generation,
  config,
  shared,
  app: init.app ?? null,
  isStopping: () => dieNow,
  events: init.events,
  report,
  protocolLog(l: ProtocolLog, client: string) {
    log(l.level, l.module, l.ah, l.text, { client, ...(l.status ? { status: l.status } : {}) });
  },
  async serverStatus(query: string) {
    const id = ++statusSeq;
    const snap = await new Promise<ScoreboardSnapshot>((resolve) => {
      statusWaiters.set(id, resolve);
      report({ t: 'scoreboard?', id });
    });
    const q = statusQuery(query);
    const body = renderStatus(snap, { auto: q.auto, notable: q.notable, localIp: '127.0.0.1', loadavg: osLoad() });
    return { contentType: statusContentType(q.auto), body, ...(q.refresh !== undefined ? { refresh: q.refresh } : {}) };
  },
  crash(): never {
    // like a module that segfaults: the parent sees the real signal (AH00052),
    // and nothing after this line runs — no response, no access-log entry
    flushSync();
    process.kill(process.pid, 'SIGSEGV');
    throw new Error('unreachable: SIGSEGV did not end the process');
  },
};

function osLoad(): [number, number, number] {
  const [a, b, c] = os.loadavg();
  return [a, b, c];
}

const onTurn = turnCollector(takeTurn);

process.on('message', (m: ParentMessage, handle?: unknown) => {
  switch (m.t) {
    case 'turn':
      onTurn(m.count, handle);
      break;
    case 'graceful':
      stopListeningGracefully();
      break;
    case 'die':
      // the pipe of death: we are the child that gets to go
      exit('idle-kill');
      break;
    case 'slowmo':
      setSlowmo(shared, m.factor);
      break;
    case 'scoreboard': {
      const w = statusWaiters.get(m.id);
      statusWaiters.delete(m.id);
      w?.(m.snapshot);
      break;
    }
  }
});

// AP_SIG_GRACEFUL: stop_listening(): close the listeners, finish the current
// connection, then exit. An idle child exits now. The parent sends it over IPC;
// a learner's `kill -USR1 <child>` works too.
function stopListeningGracefully(): void {
  dieNow = true;
  stopListening();
  if (!inConnection) exit('graceful');
}
process.on('SIGUSR1', stopListeningGracefully);
// just_die: SIGTERM / SIGHUP end the child at once
process.on('SIGTERM', () => process.exit(0));
process.on('SIGHUP', () => process.exit(0));
// As httpd's child: ignore SIGINT. Ctrl-C in a terminal reaches the whole
// foreground group; the parent then stops the children itself.
process.on('SIGINT', () => undefined);
// No orphans: when the parent is gone (even SIGKILLed), the IPC channel closes.
process.on('disconnect', () => process.exit(0));
// a parent that died while this module was loading closed the channel before anyone listened
if (!process.connected) process.exit(0);

void warmUp(context).then(() => report({ t: 'idle', ts: monoMs() }));
