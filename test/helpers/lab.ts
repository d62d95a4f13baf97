// A real lab server for tests, in this process (its engines are separate
// process trees), and a WebSocket client that speaks the control protocol.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { LabServer } from '../../engine/lab/server.js';
import { connectLive, type LabClient } from '../../engine/protocol/client.js';
import type { ServerMessage } from '../../engine/protocol/messages.js';
import { ROOT } from './engine.js';

export interface TestLab {
  lab: LabServer;
  port: number;
  token: string;
  tracesDir: string;
  origin: string;
  stop(): Promise<void>;
}

const labs = new Set<TestLab>();

export async function startLab(opts: { allowOrigins?: string[]; eventHighWater?: number; classroom?: { host?: string; maxParticipants?: number } } = {}): Promise<TestLab> {
  const tracesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-traces-'));
  const lab = new LabServer({
    port: 0,
    siteDir: path.join(ROOT, 'dist'),
    tracesDir,
    allowOrigins: opts.allowOrigins ?? [],
    maxProcesses: 16,
    ...(opts.eventHighWater ? { eventHighWater: opts.eventHighWater } : {}),
    ...(opts.classroom ? { classroom: opts.classroom } : {}),
  });
  await lab.start();
  const t: TestLab = {
    lab,
    port: lab.port,
    token: lab.token,
    tracesDir,
    origin: `http://127.0.0.1:${lab.port}`,
    async stop() {
      labs.delete(t);
      await lab.stop();
      fs.rmSync(tracesDir, { recursive: true, force: true });
    },
  };
  labs.add(t);
  return t;
}

export async function stopLabs(): Promise<void> {
  await Promise.all([...labs].map((l) => l.stop()));
}

/** A protocol client plus every pushed message it received, in order. */
export interface TestClient extends LabClient {
  messages: ServerMessage[];
  /** resolves with the first pushed message (from index `from`) that matches */
  next(pred: (m: ServerMessage) => boolean, timeoutMs?: number, from?: number): Promise<ServerMessage>;
}

export async function client(t: TestLab, headers: Record<string, string> = {}): Promise<TestClient> {
  return clientAt(`ws://127.0.0.1:${t.port}/control?token=${t.token}`, { Origin: t.origin, ...headers });
}

/** A classroom participant's socket (/classroom?code=…), not yet joined. */
export function participant(t: TestLab, code = t.lab.classroom!.code): Promise<TestClient> {
  return clientAt(`ws://127.0.0.1:${t.port}/classroom?code=${code}`, { Origin: t.origin });
}

async function clientAt(url: string, headers: Record<string, string>): Promise<TestClient> {
  const ws = new WebSocket(url, { headers });
  const messages: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  const c = await connectLive(ws as never, (lc) =>
    lc.on((m) => {
      messages.push(m);
      waiters.forEach((w) => w());
    }),
  );
  return Object.assign(c, {
    messages,
    next(pred: (m: ServerMessage) => boolean, timeoutMs = 10_000, from = 0) {
      return new Promise<ServerMessage>((resolve, reject) => {
        const check = () => {
          const m = messages.slice(from).find(pred);
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message in ${timeoutMs} ms; got types: ${messages.map((m) => m.type).join(' ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  });
}

/** Try to open the control socket; report how it went (for the security tests). */
export function tryConnect(url: string, headers: Record<string, string>, maxPayload?: number): Promise<{ ok: true; ws: WebSocket } | { ok: false; why: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers, ...(maxPayload ? { maxPayload } : {}) });
    ws.on('open', () => resolve({ ok: true, ws }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ ok: false, why: `http ${res.statusCode}` });
      ws.terminate();
    });
    ws.on('error', (e) => resolve({ ok: false, why: e.message }));
  });
}
