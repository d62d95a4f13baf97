// Safe by default, checked where the kernel keeps it: every listening socket of
// a running lab and of the engines it started (node and real httpd, parents and
// children) is bound to loopback, read from /proc/net/tcp{,6}; and a config
// that asks for another address is refused with httpd's syntax-error shape.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { InstanceSummary } from '../../engine/protocol/messages.js';
import { childrenOf, sleep } from '../helpers/engine.js';
import { HTTPD } from '../helpers/httpd.js';
import { client, startLab, stopLabs } from '../helpers/lab.js';

/** Local addresses ("127.0.0.1:PORT", "[::1]:PORT") of the sockets `pid` listens on. */
function listeningOf(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A' || !inodes.has(f[9])) continue; // 0A = LISTEN
      const [hex, port] = f[1].split(':');
      out.push(`${decode(hex)}:${parseInt(port, 16)}`);
    }
  }
  return out;
}

function decode(hex: string): string {
  if (hex.length === 8) return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
  // IPv6: four little-endian 32-bit words
  const bytes = [0, 8, 16, 24].flatMap((w) => [6, 4, 2, 0].map((i) => parseInt(hex.slice(w + i, w + i + 2), 16)));
  return bytes.every((b, i) => (i < 15 ? b === 0 : b === 1)) ? '[::1]' : `[${hex}]`;
}

describe('loopback only', () => {
  afterAll(stopLabs);

  it('decodes /proc/net addresses', () => {
    expect(decode('0100007F')).toBe('127.0.0.1');
    expect(decode('00000000')).toBe('0.0.0.0');
    expect(decode('00000000000000000000000001000000')).toBe('[::1]');
  });

  it('the lab and every engine process it starts listen on 127.0.0.1 only', async () => {
    const t = await startLab();
    const c = await client(t);
    const started = [await c.request<InstanceSummary>({ type: 'engine.start', mpm: 'prefork', config: 'StartServers 2\n' }), await c.request<InstanceSummary>({ type: 'engine.start', mpm: 'worker', config: 'StartServers 1\n' })];
    if (HTTPD) started.push(await c.request<InstanceSummary>({ type: 'engine.start', mpm: 'event', backend: 'httpd', config: 'StartServers 1\n' }));
    await sleep(1500);
    const pids = [process.pid, ...started.flatMap((s) => [s.pid, ...childrenOf(s.pid), ...childrenOf(s.pid).flatMap((k) => childrenOf(k))])];
    const addrs = pids.flatMap(listeningOf);
    expect(addrs).toContain(`127.0.0.1:${t.port}`);
    for (const s of started) expect(addrs).toContain(`127.0.0.1:${s.port}`);
    expect(addrs.filter((a) => !a.startsWith('127.0.0.1:'))).toEqual([]);
    c.close();
  }, 60_000);

  it('refuses a Listen on another address, starting nothing', async () => {
    const t = await startLab();
    const c = await client(t);
    for (const addr of ['0.0.0.0:8080', '192.168.1.10:80', '[::]:8080']) {
      const r = await c.request<{ started: boolean; report: { ok: boolean; error: string } }>({ type: 'engine.start', mpm: 'prefork', config: `Listen ${addr}\n` });
      expect(r.started).toBe(false);
      expect(r.report.error).toMatch(/loopback only/);
    }
    c.close();
  });
});
