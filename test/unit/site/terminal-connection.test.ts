// The terminal's raw connection, against a fake lab client: lazy open on the
// first send, bytes in order, every close said in words, nothing reopened on its own.
import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../engine/protocol/messages.js';
import { MAX_SEND, NO_ENGINE, REPLAY, RawConnection } from '../../../site/playground/terminal/connection.js';

type Req = { type: string; [k: string]: unknown };

class FakeClient {
  mode: 'live' | 'replay' = 'live';
  requests: Req[] = [];
  private listeners = new Set<(m: ServerMessage) => void>();
  private sessions = 0;
  open = new Set<string>();
  /** raw.open replies are held until released, to test what happens while opening */
  holdOpen = false;
  private held: Array<() => void> = [];
  failOpen: string | null = null;
  port = 41234;

  on(l: (m: ServerMessage) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  push(m: ServerMessage): void {
    for (const l of this.listeners) l(m);
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
  async request<T>(req: Req): Promise<T> {
    this.requests.push(req);
    switch (req.type) {
      case 'raw.open': {
        if (this.failOpen) throw new Error(this.failOpen);
        const session = `r${++this.sessions}`;
        this.open.add(session);
        if (this.holdOpen) await new Promise<void>((r) => this.held.push(r));
        return { session } as T;
      }
      case 'snapshot':
        return { type: 'snapshot', instances: [{ id: 'a', port: this.port }], ts: 0 } as T;
      case 'raw.send':
        if (!this.open.has(req.session as string)) throw new Error(`no raw connection '${req.session}' (it may have been closed by the server)`);
        return { sent: (req.data as string).length } as T;
      case 'raw.close':
        if (!this.open.delete(req.session as string)) throw new Error(`no raw connection '${req.session}'`);
        this.push({ type: 'raw.closed', session: req.session as string, by: 'client' });
        return {} as T;
    }
    throw new Error(`unexpected ${req.type}`);
  }
  release(): void {
    for (const r of this.held.splice(0)) r();
  }
  sent(): string[] {
    return this.requests.filter((r) => r.type === 'raw.send').map((r) => r.data as string);
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function setup(instance: () => string | null = () => 'a') {
  const client = new FakeClient();
  const log: string[] = [];
  let data = '';
  let ended = 0;
  const conn = new RawConnection(client as never, instance, {
    status: (t) => log.push(t),
    data: (b) => (data += b),
    ended: () => ended++,
  });
  return { client, conn, log, data: () => data, ended: () => ended };
}

describe('RawConnection', () => {
  it('opens nothing until the first send, then connects, says where, and sends', async () => {
    const t = setup();
    expect(t.client.requests).toEqual([]);
    expect(t.conn.state).toBe('idle');
    t.conn.send('GET / HTTP/1.0\r\n');
    expect(t.conn.state).toBe('opening');
    await tick();
    expect(t.conn.state).toBe('open');
    expect(t.log).toEqual(['connected to engine a — 127.0.0.1:41234']);
    expect(t.client.requests.map((r) => r.type)).toEqual(['raw.open', 'snapshot', 'raw.send']);
    expect(t.client.requests[0]).toEqual({ type: 'raw.open', instance: 'a' });
    t.conn.send('\r\n');
    await tick();
    expect(t.client.sent()).toEqual(['GET / HTTP/1.0\r\n', '\r\n']);
  });

  it('queues what is typed while opening and sends it in order once open', async () => {
    const t = setup();
    t.client.holdOpen = true;
    t.conn.send('GET / HTTP/1.1\r\n');
    t.conn.send('Host: x\r\n');
    t.conn.send('\r\n');
    await tick();
    expect(t.client.requests.filter((r) => r.type === 'raw.open')).toHaveLength(1);
    t.client.release();
    await tick();
    await tick();
    expect(t.client.sent()).toEqual(['GET / HTTP/1.1\r\n', 'Host: x\r\n', '\r\n']);
  });

  it('passes the engine’s bytes on verbatim, even those that came before raw.open’s reply', async () => {
    const t = setup();
    t.client.holdOpen = true;
    t.conn.send('x');
    await tick();
    t.client.push({ type: 'raw.data', session: 'r1', data: 'early\r\n' });
    t.client.push({ type: 'raw.data', session: 'r9', data: 'someone else' });
    t.client.release();
    await tick();
    await tick();
    t.client.push({ type: 'raw.data', session: 'r1', data: 'HTTP/1.1 200 OK\r\n\xff' });
    expect(t.data()).toBe('early\r\nHTTP/1.1 200 OK\r\n\xff');
  });

  it('says when the server closed, and the next send opens a new connection', async () => {
    const t = setup();
    t.conn.send('GET / HTTP/1.0\r\n\r\n');
    await tick();
    t.client.open.delete('r1');
    t.client.push({ type: 'raw.closed', session: 'r1', by: 'server' });
    expect(t.conn.state).toBe('idle');
    expect(t.ended()).toBe(1);
    expect(t.log.at(-1)).toBe('connection closed by the server');
    // nothing reopens on its own
    await tick();
    expect(t.client.requests.filter((r) => r.type === 'raw.open')).toHaveLength(1);
    t.conn.send('GET / HTTP/1.0\r\n');
    await tick();
    expect(t.client.requests.filter((r) => r.type === 'raw.open')).toHaveLength(2);
    expect(t.log.at(-1)).toBe('connected to engine a — 127.0.0.1:41234');
  });

  it('Ctrl-D closes (raw.close) and says so once', async () => {
    const t = setup();
    t.conn.send('GET / HTTP/1.1\r\n');
    await tick();
    t.conn.close();
    await tick();
    expect(t.client.requests.at(-1)).toEqual({ type: 'raw.close', session: 'r1' });
    expect(t.log.slice(1)).toEqual(['connection closed by you (Ctrl-D)']);
    expect(t.conn.state).toBe('idle');
  });

  it('Ctrl-D with nothing open says so; while opening it closes once open', async () => {
    const t = setup();
    t.conn.close();
    expect(t.log).toEqual(['no connection is open (Enter opens one)']);
    t.client.holdOpen = true;
    t.conn.send('GET');
    t.conn.close();
    t.client.release();
    await tick();
    await tick();
    await tick();
    expect(t.client.sent()).toEqual(['GET']);
    expect(t.client.requests.at(-1)).toMatchObject({ type: 'raw.close' });
    expect(t.log.at(-1)).toBe('connection closed by you (Ctrl-D)');
  });

  it('an error closing the connection is said in words', async () => {
    const t = setup();
    t.conn.send('x');
    await tick();
    t.client.push({ type: 'raw.closed', session: 'r1', by: 'error', message: 'read ECONNRESET' });
    expect(t.log.at(-1)).toBe('connection lost: read ECONNRESET');
  });

  it('a send on a connection the server already closed is reported, not lost silently', async () => {
    const t = setup();
    t.conn.send('GET / HTTP/1.1\r\n');
    await tick();
    t.client.open.delete('r1'); // closed, but raw.closed not here yet
    t.conn.send('Host: x\r\n');
    await tick();
    await tick();
    expect(t.log.at(-1)).toMatch(/^not sent: no raw connection 'r1'/);
    expect(t.conn.state).toBe('idle');
  });

  it('with no engine running, says how to start one and sends nothing', () => {
    const t = setup(() => null);
    t.conn.send('GET / HTTP/1.0\r\n');
    expect(t.log).toEqual([NO_ENGINE]);
    expect(t.client.requests).toEqual([]);
  });

  it('in replay mode, says a live lab is needed', () => {
    const t = setup();
    t.client.mode = 'replay';
    t.conn.send('GET / HTTP/1.0\r\n');
    expect(t.log).toEqual([REPLAY]);
  });

  it('a refused open is said, with what was not sent', async () => {
    const t = setup();
    t.client.failOpen = "no engine 'a' (running: none)";
    t.conn.send('GET / HTTP/1.0\r\n');
    await tick();
    expect(t.log).toEqual(["could not connect to engine a: no engine 'a' (running: none) — 16 bytes not sent"]);
    expect(t.conn.state).toBe('idle');
  });

  it('splits a send larger than the lab’s limit, in order', async () => {
    const t = setup();
    const big = 'x'.repeat(MAX_SEND * 2 + 10);
    t.conn.send(big);
    await tick();
    await tick();
    await tick();
    await tick();
    const sent = t.client.sent();
    expect(sent.map((s) => s.length)).toEqual([MAX_SEND, MAX_SEND, 10]);
    expect(sent.join('')).toBe(big);
  });

  it('dispose closes the connection quietly and stops listening', async () => {
    const t = setup();
    t.conn.send('x');
    await tick();
    t.conn.dispose();
    await tick();
    expect(t.client.requests.at(-1)).toEqual({ type: 'raw.close', session: 'r1' });
    expect(t.client.listenerCount).toBe(0);
    expect(t.log).toEqual(['connected to engine a — 127.0.0.1:41234']);
  });
});
