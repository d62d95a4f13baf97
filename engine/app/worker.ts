// One process of the application pool (a php-fpm child): the master hands it a
// connection, it reads one request, runs the application's handler inside this
// process — /app/sleep?ms=, /app/cpu?ms=, or the pool's status page — answers
// with its pid in X-App-Pid, closes, and is idle again. It leaves when the
// master says so (after finishing its request, as SIGQUIT does) or when its
// channel to the master closes.
import type net from 'node:net';
import type { PoolStatus } from './status.js';
import { renderPoolStatus } from './status.js';
import type { MasterToWorker, WorkerToMaster } from './messages.js';
import { APP_CONTENT_TYPE, runApp } from './binding.js';

const pool = process.argv[2] ?? 'www';
const statusPath = process.argv[3] || null;
let quitting = false;
let busy = false;
const statusWaiters = new Map<number, (s: PoolStatus) => void>();
let statusSeq = 0;

const send = (m: WorkerToMaster) => {
  if (process.connected) process.send!(m);
};

process.on('message', (m: MasterToWorker, handle?: unknown) => {
  if (m.t === 'conn' && handle) void serve(handle as net.Socket);
  else if (m.t === 'quit') {
    quitting = true;
    if (!busy) process.exit(0);
  } else if (m.t === 'status') {
    statusWaiters.get(m.id)?.(m.status);
    statusWaiters.delete(m.id);
  }
});
process.on('disconnect', () => process.exit(0));
if (!process.connected) process.exit(0);
process.on('SIGQUIT', () => {
  quitting = true;
  if (!busy) process.exit(0);
});

function readHead(sock: net.Socket): Promise<string | null> {
  return new Promise((resolve) => {
    let buf = '';
    const done = (v: string | null) => {
      sock.off('data', onData);
      clearTimeout(t);
      resolve(v);
    };
    const onData = (d: Buffer) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end >= 0) done(buf.slice(0, end));
      else if (buf.length > 16_384) done(null);
    };
    const t = setTimeout(() => done(null), 10_000);
    sock.on('data', onData);
    sock.on('error', () => done(null));
    sock.on('end', () => done(null));
    sock.resume();
  });
}

async function serve(sock: net.Socket): Promise<void> {
  busy = true;
  const t0 = process.hrtime.bigint();
  const head = await readHead(sock);
  const line = head?.split('\r\n')[0] ?? '';
  const [method = '-', uri = '-'] = line.split(' ');
  send({ t: 'busy', method, uri });
  const url = new URL(uri.startsWith('/') ? uri : '/', 'http://x');
  let status = 200;
  let body: string;
  if (!head) {
    status = 400;
    body = 'bad request\n';
  } else if (statusPath && url.pathname === statusPath) {
    const id = ++statusSeq;
    const s = await new Promise<PoolStatus>((r) => {
      statusWaiters.set(id, r);
      send({ t: 'status?', id });
    });
    body = renderPoolStatus(s, url.searchParams.has('full'), Math.floor(Date.now() / 1000));
  } else {
    ({ status, body } = await runApp(url.pathname, url.searchParams, (t) => new Promise((r) => setTimeout(r, t))));
  }
  if (!sock.destroyed) {
    sock.end(`HTTP/1.0 ${status} ${status === 200 ? 'OK' : status === 404 ? 'Not Found' : 'Bad Request'}\r\nContent-Type: ${APP_CONTENT_TYPE}\r\nX-App-Pid: ${process.pid}\r\nX-App-Pool: ${pool}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  busy = false;
  send({ t: 'done', durationUs: Number((process.hrtime.bigint() - t0) / 1000n) });
  if (quitting) process.exit(0);
}

send({ t: 'ready' });
