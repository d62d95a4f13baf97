// Raw HTTP over real loopback sockets: exact bytes in, parsed responses out,
// so tests see what a learner's curl or nc would see.
import net from 'node:net';

export interface Response {
  version: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

function parseHead(head: string): Omit<Response, 'body'> {
  const lines = head.split('\r\n');
  const [version, status] = lines[0].split(' ');
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const k = l.indexOf(':');
    if (k > 0) headers[l.slice(0, k).trim().toLowerCase()] = l.slice(k + 1).trim();
  }
  return { version, status: Number(status), headers };
}

/** Take one complete response off the front of buf (null if incomplete). */
export function takeResponse(buf: Buffer, closed: boolean, headOnly = false): { res: Response; rest: Buffer } | null {
  const i = buf.indexOf('\r\n\r\n');
  if (i < 0) return null;
  const r = parseHead(buf.subarray(0, i).toString('latin1'));
  const rest = buf.subarray(i + 4);
  if (headOnly || r.status === 204 || r.status === 304 || r.status === 100) return { res: { ...r, body: '' }, rest };
  const cl = r.headers['content-length'];
  if (cl !== undefined) {
    const n = Number(cl);
    if (rest.length < n) return null;
    return { res: { ...r, body: rest.subarray(0, n).toString('latin1') }, rest: rest.subarray(n) };
  }
  if (/chunked/i.test(r.headers['transfer-encoding'] ?? '')) {
    let off = 0;
    let body = '';
    for (;;) {
      const j = rest.indexOf('\r\n', off);
      if (j < 0) return null;
      const size = parseInt(rest.subarray(off, j).toString(), 16);
      if (rest.length < j + 2 + size + 2) return null;
      body += rest.subarray(j + 2, j + 2 + size).toString('latin1');
      off = j + 2 + size + 2;
      if (size === 0) return { res: { ...r, body }, rest: rest.subarray(off) };
    }
  }
  if (!closed) return null;
  return { res: { ...r, body: rest.toString('latin1') }, rest: Buffer.alloc(0) };
}

/** One request on a new connection; resolves when the server closes it. */
export function once(port: number, raw: string, timeoutMs = 15_000): Promise<Response & { raw: string }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const t = setTimeout(() => {
      s.destroy();
      reject(new Error('no complete response in time'));
    }, timeoutMs);
    s.on('connect', () => s.write(raw));
    s.on('data', (d) => (buf = Buffer.concat([buf, d])));
    s.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    s.on('close', () => {
      clearTimeout(t);
      const r = takeResponse(buf, true, raw.startsWith('HEAD '));
      if (!r) reject(new Error(`connection closed without a complete response: ${JSON.stringify(buf.toString('latin1').slice(0, 200))}`));
      else resolve({ ...r.res, raw: buf.toString('latin1') });
    });
  });
}

export const get10 = (path = '/', extra = '') => `GET ${path} HTTP/1.0\r\nHost: localhost\r\n${extra}\r\n`;
export const get11 = (path = '/', extra = '') => `GET ${path} HTTP/1.1\r\nHost: localhost\r\n${extra}\r\n`;

/** A persistent connection: send requests one at a time and read each response. */
export class Conn {
  private s!: net.Socket;
  private buf = Buffer.alloc(0);
  closed = false;
  private wakers: Array<() => void> = [];

  constructor(private readonly port: number) {}

  open(): Promise<this> {
    return new Promise((resolve, reject) => {
      this.s = net.connect(this.port, '127.0.0.1', () => resolve(this));
      this.s.on('error', (e) => {
        if (!this.closed) reject(e);
      });
      this.s.on('data', (d) => {
        this.buf = Buffer.concat([this.buf, d]);
        this.wake();
      });
      this.s.on('close', () => {
        this.closed = true;
        this.wake();
      });
    });
  }

  private wake(): void {
    const w = this.wakers;
    this.wakers = [];
    w.forEach((f) => f());
  }

  write(raw: string): void {
    this.s.write(raw);
  }

  /** stop reading (the server's writes back up into the kernel buffers), and start again */
  pause(): void {
    this.s.pause();
  }

  resume(): void {
    this.s.resume();
  }

  /** Read the next response; null if the server closed first. */
  async read(timeoutMs = 15_000): Promise<Response | null> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const r = takeResponse(this.buf, this.closed);
      if (r) {
        this.buf = r.rest;
        return r.res;
      }
      if (this.closed) return null;
      if (Date.now() > end) throw new Error('response timeout');
      await new Promise<void>((res) => {
        this.wakers.push(res);
        setTimeout(res, 100);
      });
    }
  }

  async request(raw: string, timeoutMs?: number): Promise<Response | null> {
    this.write(raw);
    return this.read(timeoutMs);
  }

  async waitClosed(timeoutMs = 15_000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < end) {
      await new Promise<void>((res) => {
        this.wakers.push(res);
        setTimeout(res, 100);
      });
    }
    return this.closed;
  }

  close(): void {
    this.s.destroy();
  }
}
