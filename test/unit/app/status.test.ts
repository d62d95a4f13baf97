// The pool status page: PHP-FPM's fields, order and padding.
import { describe, expect, it } from 'vitest';
import { renderPoolStatus } from '../../../engine/app/status.js';

describe('renderPoolStatus', () => {
  const s = { pool: 'www', pm: 'dynamic' as const, startEpoch: 1000, acceptedConn: 42, listenQueue: 2, maxListenQueue: 5, listenQueueLen: 511, idle: 1, active: 3, maxActive: 4, maxChildrenReached: 1, slowRequests: 0, processes: [{ pid: 7, state: 'Running' as const, startEpoch: 1001, requests: 9, durationUs: 1500, method: 'GET', uri: '/app/sleep?ms=1000' }] };

  it('the short page: every field php-fpm prints, in its order, values from column 23', () => {
    const lines = renderPoolStatus(s, false, 1010).trimEnd().split('\n');
    expect(lines.map((l) => l.slice(0, 22).trimEnd())).toEqual(['pool:', 'process manager:', 'start time:', 'start since:', 'accepted conn:', 'listen queue:', 'max listen queue:', 'listen queue len:', 'idle processes:', 'active processes:', 'total processes:', 'max active processes:', 'max children reached:', 'slow requests:']);
    expect(lines.map((l) => l.slice(22))).toEqual(['www', 'dynamic', expect.stringMatching(/^\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}$/), '10', '42', '2', '5', '511', '1', '3', '4', '4', '1', '0']);
  });

  it('?full adds a block per process', () => {
    const full = renderPoolStatus(s, true, 1010);
    expect(full).toContain('\n************************\npid:                  7\nstate:                Running\n');
    expect(full).toMatch(/request URI:          \/app\/sleep\?ms=1000\n/);
  });
});
