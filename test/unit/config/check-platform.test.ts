// The platform MPMs' clamps with their own ids and wording (mpm_winnt.c,
// mpm_netware.c, mpmt_os2.c), at startup (console) and on a restart (error log).
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../../engine/config/check.js';
import type { MpmName } from '../../../engine/config/directives.js';
import { loadConfig } from '../../../engine/config/load.js';

function check(mpm: MpmName, text: string, startup = true) {
  const loaded = loadConfig({ mpm, text, file: 't.conf', sets: [] });
  if (!loaded.ok) throw new Error(loaded.error);
  return checkConfig(mpm, loaded.raw, { startup });
}

describe('platform MPM clamps', () => {
  it.each([
    ['winnt', 'ThreadLimit 20000', 'AH00439', 'WARNING: ThreadLimit of 20000 exceeds compile-time limit of 15000 threads, decreasing to 15000.', { threadLimit: 15000 }],
    ['winnt', 'ThreadLimit 0\nThreadsPerChild 1', 'AH00441', 'WARNING: ThreadLimit of 0 not allowed, increasing to 1.', { threadLimit: 1, threadsPerChild: 1 }],
    ['winnt', 'ThreadLimit 8\nThreadsPerChild 10', 'AH00444', 'WARNING: ThreadsPerChild of 10 exceeds ThreadLimit of 8 threads, decreasing to 8. To increase, please see the ThreadLimit directive.', { threadsPerChild: 8, maxRequestWorkers: 8 }],
    ['winnt', 'ThreadsPerChild 0', 'AH00446', 'WARNING: ThreadsPerChild of 0 not allowed, increasing to 1.', { threadsPerChild: 1 }],
    ['netware', 'MaxThreads 5000', 'AH00228', 'WARNING: MaxThreads of 5000 exceeds compile-time limit of 2048 threads, decreasing to 2048. To increase, please see the HARD_THREAD_LIMIT define in server/mpm/netware/mpm_default.h.', { threadLimit: 2048 }],
    ['netware', 'MaxThreads 0', 'AH00230', 'WARNING: MaxThreads of 0 not allowed, increasing to 1.', { threadLimit: 1, startThreads: 1 }],
    ['netware', 'StartThreads -2', 'AH00231', 'WARNING: StartThreads of -2 not allowed, increasing to 1.', { startThreads: 1 }],
    ['netware', 'MinSpareThreads 0', 'AH00233', 'WARNING: MinSpareThreads of 0 not allowed, increasing to 1 to avoid almost certain server failure. Please read the documentation.', { minSpareThreads: 1 }],
    ['mpmt_os2', 'StartServers -1', 'AH00213', 'WARNING: StartServers of -1 not allowed, increasing to 1.', { startServers: 1 }],
    ['mpmt_os2', 'MinSpareThreads 0', 'AH00215', 'WARNING: MinSpareThreads of 0 not allowed, increasing to 1 to avoid almost certain server failure. Please read the documentation.', { minSpareThreads: 1 }],
  ] as const)('%s: %j → %s', (mpm, text, ah, message, effective) => {
    const r = check(mpm, text);
    expect(r.diagnostics.map((d) => [d.ah, d.text])).toEqual([[ah, message]]);
    expect(r.config).toMatchObject(effective);
  });

  it('on a restart the same fix is logged with the short wording and the other id', () => {
    const r = check('winnt', 'ThreadsPerChild 0', false);
    expect(r.diagnostics.map((d) => [d.ah, d.text])).toEqual([['AH00447', 'ThreadsPerChild of 0 not allowed, increasing to 1']]);
  });

  it('silently: netware MaxSpareThreads at least MinSpareThreads + 1; StartServers 0 / StartThreads 0 are kept (only negatives are raised)', () => {
    expect(check('netware', 'MinSpareThreads 20\nMaxSpareThreads 5').config).toMatchObject({ minSpareThreads: 20, maxSpareThreads: 21 });
    expect(check('netware', 'StartThreads 0').diagnostics).toEqual([]);
    expect(check('mpmt_os2', 'StartServers 0').config.startServers).toBe(0);
  });

  it('refuses the Unix pool directives the platform MPMs do not have', () => {
    expect(loadConfig({ mpm: 'winnt', text: 'MaxRequestWorkers 10', file: 't.conf', sets: [] })).toMatchObject({ ok: false });
    expect(loadConfig({ mpm: 'netware', text: 'ThreadsPerChild 10', file: 't.conf', sets: [] })).toMatchObject({ ok: false });
    expect(loadConfig({ mpm: 'mpmt_os2', text: 'ServerLimit 4', file: 't.conf', sets: [] })).toMatchObject({ ok: false });
  });
});
