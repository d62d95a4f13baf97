// A client that starts listening only once its socket is open (Node's ws, the
// listener added after `await open`) still gets hello and the snapshot: they
// are not written together with the 101 upgrade, where they would arrive in
// the same read and be emitted before anyone listens.
import { afterEach, describe, expect, it } from 'vitest';
import { startLab, stopLabs, tryConnect } from '../helpers/lab.js';

afterEach(stopLabs);

describe('the lab greets every client', () => {
  it('hello and snapshot reach a listener attached after open, first, before the reply to its first message', async () => {
    const t = await startLab();
    for (let i = 0; i < 5; i++) {
      const c = await tryConnect(`ws://127.0.0.1:${t.port}/control?token=${t.token}`, { Origin: t.origin });
      if (!c.ok) throw new Error(c.why);
      const got: string[] = [];
      c.ws.on('message', (d) => got.push((JSON.parse(String(d)) as { type: string }).type));
      c.ws.send('{not json');
      const end = Date.now() + 3000;
      while (got.length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      expect(got.slice(0, 3)).toEqual(['hello', 'snapshot', 'error']);
      c.ws.close();
    }
  });
});
