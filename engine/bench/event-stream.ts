// How much watching costs: engine throughput (ab -k -c 10) while 0, 1 and 5
// subscribers follow every event over the control socket, as ratios of the
// unwatched run. Loopback only, bounded (a time limit per run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { LabServer } from '../lab/server.js';
import { type ServerMessage } from '../protocol/messages.js';
import { projectRoot } from '../platform/paths.js';
import { ab, median } from './load.js';

export interface StreamRow {
  subscribers: number;
  requests: number;
  reqPerSec: number;
  ratio: number;
  eventsPerSubscriber: number;
  dropped: number;
}

export async function benchEventStream({ quick = false } = {}): Promise<StreamRow[]> {
  const connections = 10;
  const settings = quick ? [0, 5] : [0, 1, 5];
  const rounds = quick ? 2 : 3;
  const seconds = quick ? 1 : 2;
  const tracesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-bench-'));
  const lab = new LabServer({ port: 0, siteDir: path.join(projectRoot(), 'dist'), tracesDir, allowOrigins: [], maxProcesses: 32 });
  await lab.start();
  const origin = `http://127.0.0.1:${lab.port}`;
  const url = `ws://127.0.0.1:${lab.port}/control?token=${lab.token}`;
  const rows: StreamRow[] = [];
  try {
    const admin = await open(url, origin);
    const started = await request<{ id: string; port: number }>(admin.ws, {
      type: 'engine.start',
      mpm: 'prefork',
      config: `StartServers ${connections}\nMinSpareServers ${connections}\nMaxSpareServers ${connections * 2}\nMaxKeepAliveRequests 0\n`,
    });
    await new Promise((r) => setTimeout(r, 1500)); // the pool is up
    admin.ws.send(JSON.stringify({ type: 'unsubscribe', id: 'u' })); // the admin socket itself does not count
    const load = (requests?: number) => ab(started.port, { concurrency: connections, keepalive: true, seconds, requests });
    for (let i = 0; i < (quick ? 1 : 2); i++) await load(20_000); // warm-up: every child's code compiled
    // interleaved rounds; each setting reports its median run (order effects, noise)
    const samples = new Map<number, StreamRow[]>();
    for (let i = 0; i < rounds; i++) {
      // alternate the order round by round: whoever runs first runs on a colder engine
      for (const n of i % 2 ? [...settings].reverse() : settings) {
        const subs = await Promise.all(Array.from({ length: n }, () => open(url, origin)));
        const r = await load();
        await new Promise((res) => setTimeout(res, 300)); // let the stream drain
        samples.set(n, [
          ...(samples.get(n) ?? []),
          {
            subscribers: n,
            requests: r.completed,
            reqPerSec: r.reqPerSec,
            ratio: 0,
            eventsPerSubscriber: n ? Math.round(subs.reduce((a, s) => a + s.events, 0) / n) : 0,
            dropped: subs.reduce((a, s) => a + s.dropped, 0),
          },
        ]);
        for (const s of subs) s.ws.close();
      }
    }
    for (const runs of samples.values()) {
      const mid = median(runs.map((r) => r.reqPerSec));
      rows.push(runs.find((r) => r.reqPerSec === mid)!);
    }
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
