// Background load for tests that change the pool under traffic: n clients
// sending requests back to back until stopped, every outcome counted.
import { get10, get11, Conn, once, type Response } from './http.js';

/** Keep `n` clients sending requests until stopped; keep-alive clients reuse one connection for up to 5 requests. */
export function load(port: number, n: number, { path = '/sleep?ms=20', keepalive = false } = {}) {
  let running = true;
  const ok: Response[] = [];
  const failed: string[] = [];
  /** a reused keep-alive connection the server closed as the request went out: clients retry these (RFC 9112 §9.3.1) */
  let retried = 0;
  const loops = Array.from({ length: n }, async () => {
    while (running) {
      if (!keepalive) {
        try {
          ok.push(await once(port, get10(path)));
        } catch (e) {
          failed.push((e as Error).message);
        }
        continue;
      }
      let c: Conn | null = null;
      try {
        c = await new Conn(port).open();
        for (let i = 0; i < 5 && running; i++) {
          const r = await c.request(get11(path));
          if (!r && i > 0) {
            retried++;
            break;
          }
          if (!r) throw new Error('connection closed with no response');
          ok.push(r);
          if (/close/i.test(r.headers['connection'] ?? '')) break;
        }
      } catch (e) {
        failed.push((e as Error).message);
      } finally {
        c?.close();
      }
    }
  });
  return {
    ok,
    failed,
    retried: () => retried,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
