// The MPM side of the pool: one request to the pool's socket, the whole
// response read back (the pool answers HTTP/1.0 and closes). A stand-in for
// mod_proxy_fcgi's FastCGI: the worker is held for the whole exchange all the same.
import net from 'node:net';

export type PoolReply = { status: number; contentType: string | null; appPid: string | null; body: Buffer } | { error: string };

const MAX_REPLY = 4 * 1024 * 1024;

export function proxyToPool(port: number, target: string, timeoutMs = 120_000): Promise<PoolReply> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const done = (r: PoolReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(t);
      sock.destroy();
      resolve(r);
    };
    const sock = net.connect({ port, host: '127.0.0.1' }, () => sock.write(`GET ${target} HTTP/1.0\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
    const t = setTimeout(() => done({ error: 'the pool did not answer in time' }), timeoutMs);
    sock.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_REPLY) return done({ error: 'the pool answered too much' });
      chunks.push(d);
    });
    sock.on('error', (e) => done({ error: e.message }));
    sock.on('end', () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return done({ error: 'the pool closed without a response' });
      const head = all.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0])?.[1] ?? 502);
      const header = (name: string) => head.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? null;
      done({ status, contentType: header('content-type'), appPid: header('x-app-pid'), body: all.subarray(end + 4) });
    });
  });
}
