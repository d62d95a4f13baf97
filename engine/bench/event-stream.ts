// How much watching costs: engine throughput while 0, 1 and 5 subscribers
// follow every event over the control socket, as ratios of the unwatched run.
// Loopback only, bounded (a fixed number of requests per run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { LabServer } from '../lab/server.js';
import { drive } from '../lab/driver.js';
import { DriverStep, type ServerMessage } from '../protocol/messages.js';
import { projectRoot } from '../platform/paths.js';

export interface StreamRow {
  subscribers: number;
  requests: number;
  seconds: number;
  reqPerSec: number;
  ratio: number;
  eventsPerSubscriber: number;
  dropped: number;
}

export async function benchEventStream(opts: { connections?: number; requests?: number; quick?: boolean } = {}): Promise<StreamRow[]> {
  const connections = opts.connections ?? 10;
  const perConn = opts.requests ?? (opts.quick ? 200 : 1000);
  const tracesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-bench-'));
  const lab = new LabServer({ port: 0, siteDir: path.join(projectRoot(), 'dist'), tracesDir, allowOrigins: [], maxProcesses: 32 });
  await lab.start();
  const origin = `http://127.0.0.1:${lab.port}`;
  const url = `ws://127.0.0.1:${lab.port}/control?token=${lab.token}`;
  const rows: StreamRow[] = [];
  try {
    const admin = await open(url, origin);
    const started = await request<{ id: string; port: number }>(admin.ws, { type: 'engine.start', mpm: 'prefork', config: `StartServers ${connections}\nMinSpareServers ${connections}\nMaxSpareServers ${connections * 2}\nMaxKeepAliveRequests 0\n` });
    await new Promise((r) => setTimeout(r, 1500)); // the pool is up
    admin.ws.send(JSON.stringify({ type: 'unsubscribe', id: 'u' })); // the admin socket itself does not count
    const step = DriverStep.parse({ mode: 'burst', connections, requests: perConn, keepalive: true });
    await drive(started.port, [DriverStep.parse({ mode: 'burst', connections, requests: 50, keepalive: true })]); // warm-up
    // three interleaved rounds; each setting reports its median run (order effects, noise)
    const samples = new Map<number, StreamRow[]>();
    for (const n of [0, 1, 5, 0, 1, 5, 0, 1, 5]) {
      const subs = await Promise.all(Array.from({ length: n }, () => open(url, origin)));
      const t0 = performance.now();
      const [r] = await drive(started.port, [step]);
      const seconds = (performance.now() - t0) / 1000;
      await new Promise((res) => setTimeout(res, 300)); // let the stream drain
      const ok = r.requests.filter((q) => q.status === 200).length;
      const row: StreamRow = {
        subscribers: n,
        requests: ok,
        seconds,
        reqPerSec: ok / seconds,
        ratio: 0,
        eventsPerSubscriber: n ? Math.round(subs.reduce((a, s) => a + s.events, 0) / n) : 0,
        dropped: subs.reduce((a, s) => a + s.dropped, 0),
      };
      samples.set(n, [...(samples.get(n) ?? []), row]);
      for (const s of subs) s.ws.close();
    }
    for (const runs of samples.values()) rows.push(runs.sort((a, b) => a.reqPerSec - b.reqPerSec)[1]);
    rows.sort((a, b) => a.subscribers - b.subscribers);
    for (const row of rows) row.ratio = row.reqPerSec / rows[0].reqPerSec;
    admin.ws.close();
  } finally {
    await lab.stop();
    fs.rmSync(tracesDir, { recursive: true, force: true });
  }
  return rows;
}

function open(url: string, origin: string): Promise<{ ws: WebSocket; events: number; dropped: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { Origin: origin } });
    const s = { ws, events: 0, dropped: 0 };
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as ServerMessage;
      if (m.type === 'events') s.events += m.events.length;
      if (m.type === 'dropped') s.dropped += m.count;
    });
    ws.on('open', () => resolve(s));
    ws.on('error', reject);
  });
}

let seq = 0;
function request<T>(ws: WebSocket, m: Record<string, unknown>): Promise<T> {
  const id = `b${++seq}`;
  return new Promise((resolve, reject) => {
    const on = (d: WebSocket.RawData) => {
      const r = JSON.parse(String(d)) as ServerMessage;
      if ((r.type === 'result' || r.type === 'error') && r.id === id) {
        ws.off('message', on);
        if (r.type === 'result') resolve(r.data as T);
        else reject(new Error(r.message));
      }
    };
    ws.on('message', on);
    ws.send(JSON.stringify({ ...m, id }));
  });
}
