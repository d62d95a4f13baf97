// Reading real httpd back: access-log lines (our LogFormat), error_log lines and
// httpd's scoreboard as mpm-lab.lua prints it — samples taken from Debian's httpd 2.4.71.
import { describe, expect, it } from 'vitest';
import { parseAccessLine } from '../../../engine/httpd/access-log.js';
import { countWorkers, parseErrorLine, parseLabScoreboard } from '../../../engine/httpd/observe.js';

describe('parseAccessLine', () => {
  it.each([
    ['10256 10256 0 - 46778 200 45 1278 1.0 0 - "GET / HTTP/1.0" "curl/7.88.1"',
      { pid: 10256, tid: 10256, keepalive: 0, connStatus: '-', clientPort: 46778, status: 200, bytes: 45, durationMs: 1.278, slot: 1, thread: 0, generation: 0, appPid: null, method: 'GET', path: '/', version: 'HTTP/1.0', userAgent: 'curl/7.88.1' }],
    ['9699 9703 2 + 51000 200 13 101552 - 1 - "GET /sleep?ms=100 HTTP/1.1" "-"',
      { pid: 9699, tid: 9703, keepalive: 2, connStatus: '+', slot: null, thread: null, generation: 1, path: '/sleep', durationMs: 101.552, userAgent: '-' }],
    // /app/ through php-fpm: %{X-App-Pid}o is the pool process that ran it
    ['11926 11962 0 - 55420 200 24 21876 1.5 0 11922 "GET /app/sleep?ms=20 HTTP/1.1" "curl/7.88.1"',
      { pid: 11926, tid: 11962, slot: 1, thread: 5, appPid: 11922, path: '/app/sleep' }],
    // a request that never reached the handler: no identity headers
    ['9699 - 0 - 51002 400 226 310 - - - "GET /%zz HTTP/1.1" "-"', { tid: null, status: 400, generation: null }],
    ['9699 - 0 X 51004 200 0 90 - - - "OPTIONS * HTTP/1.0" "Apache/2.4.71 (Debian) (internal dummy connection)"',
      { connStatus: 'X', method: 'OPTIONS', path: '*', userAgent: 'Apache/2.4.71 (Debian) (internal dummy connection)' }],
  ] as const)('%s', (line, expected) => {
    expect(parseAccessLine(line)).toMatchObject(expected);
  });

  it('refuses what is not our format', () => {
    expect(parseAccessLine('127.0.0.1 - - [22/Nov/2026:12:00:00 +0000] "GET / HTTP/1.1" 200 45')).toBeNull();
  });
});

describe('parseErrorLine', () => {
  it.each([
    ['[Sun Nov 22 12:13:52.031095 2026] [mpm_prefork:notice] [pid 10253:tid 10253] AH00163: Apache/2.4.71 (Debian) configured -- resuming normal operations',
      { module: 'mpm_prefork', level: 'notice', pid: 10253, ah: 'AH00163', text: 'Apache/2.4.71 (Debian) configured -- resuming normal operations' }],
    ['[Sun Nov 22 11:05:56.141002 2026] [core:notice] [pid 1353:tid 1353] AH00052: child pid 1360 exit signal Segmentation fault (11)',
      { module: 'core', ah: 'AH00052', text: 'child pid 1360 exit signal Segmentation fault (11)' }],
    ['[Sun Nov 22 11:05:56.141002 2026] [mpm_event:debug] [pid 1353:tid 1360] event.c(1961): Too many open connections (6), not accepting new conns in this process',
      { level: 'debug', ah: '', text: 'Too many open connections (6), not accepting new conns in this process' }],
    ['[Sun Nov 22 11:05:56.141002 2026] [core:error] [pid 1360:tid 1362] [client 127.0.0.1:51000] AH00135: Invalid method in request FOO / HTTP/1.1',
      { level: 'error', ah: 'AH00135', text: 'Invalid method in request FOO / HTTP/1.1' }],
  ] as const)('%s', (line, expected) => {
    expect(parseErrorLine(line)).toMatchObject(expected);
  });
});

// GET /mpm-lab-scoreboard from Debian's httpd 2.4.71, worker, ServerLimit 4, ThreadsPerChild 4
const WORKER_SAMPLE = [
  'Scoreboard\t_____W__........',
  'ThreadsPerChild\t4',
  'P\t0\t25000\t0\t0\t0\t0',
  'W\t0\t0\t_\t25000\t0\t1\t127.0.0.1\tGET / HTTP/1.1',
  'W\t0\t1\t_\t25000\t0\t1\t127.0.0.1\tGET / HTTP/1.1',
  'W\t0\t2\t_\t25000\t0\t0\t\t',
  'W\t0\t3\t_\t25000\t0\t0\t\t',
  'P\t1\t25001\t0\t0\t0\t0',
  'W\t1\t0\t_\t25001\t0\t1\t127.0.0.1\tGET / HTTP/1.1',
  'W\t1\t1\tW\t25001\t0\t0\t127.0.0.1\tGET /mpm-lab-scoreboard HTTP/1.1',
  'W\t1\t2\t_\t25001\t0\t0\t\t',
  'W\t1\t3\t_\t25001\t0\t0\t\t',
  '',
].join('\n');

describe('parseLabScoreboard', () => {
  it('reads every process and worker, with pids, from a real sample', () => {
    const sb = parseLabScoreboard(WORKER_SAMPLE);
    expect(sb.scoreboard).toBe('_____W__........');
    expect(sb.threadsPerChild).toBe(4);
    expect(sb.processes).toEqual([
      { slot: 0, pid: 25000, quiescing: false, notAccepting: false, connections: 0, keepalive: 0 },
      { slot: 1, pid: 25001, quiescing: false, notAccepting: false, connections: 0, keepalive: 0 },
    ]);
    expect(sb.workers).toHaveLength(8);
    expect(sb.workers[5]).toEqual({ slot: 1, thread: 1, letter: 'W', pid: 25001, generation: 0, accessCount: 0, client: '127.0.0.1', request: 'GET /mpm-lab-scoreboard HTTP/1.1' });
  });

  it.each([
    ['prefork has no per-worker generation', 'W\t3\t0\t_\t900\t-\t2\t127.0.0.1\tGET / HTTP/1.0', { generation: null, pid: 900 }],
    ['escaped tab, newline and backslash in the request', 'W\t0\t0\tR\t900\t1\t0\t127.0.0.1\tGET /a\\tb\\\\c\\n HTTP/1.1', { request: 'GET /a\tb\\c\n HTTP/1.1' }],
  ] as const)('%s', (_, line, expected) => {
    expect(parseLabScoreboard(line).workers[0]).toMatchObject(expected);
  });
});

describe('countWorkers (as mod_status counts BusyWorkers, IdleWorkers, GracefulWorkers)', () => {
  const sb = (procs: string, workers: string[]) =>
    parseLabScoreboard([...procs.split(',').filter(Boolean).map((p) => { const [slot, pid, q] = p.split(':'); return `P\t${slot}\t${pid}\t${q ?? 0}\t0\t0\t0`; }),
      ...workers.map((w) => { const [slot, thread, letter, pid] = w.split(':'); return `W\t${slot}\t${thread}\t${letter}\t${pid}\t0\t0\t\t`; })].join('\n'));
  it.each([
    ['idle and busy of live processes', sb('0:10', ['0:0:_:10', '0:1:W:10', '0:2:K:10', '0:3:R:10']), 0, { busy: 3, idle: 1, graceful: 0 }],
    ['starting, dead and idle-kill count as neither', sb('0:10', ['0:0:S:10', '0:1:.:10', '0:2:I:10']), 0, { busy: 0, idle: 0, graceful: 0 }],
    ['G counts as graceful', sb('0:10', ['0:0:G:10', '0:1:G:10']), 0, { busy: 0, idle: 0, graceful: 2 }],
    ['a quiescing process counts for nothing', sb('0:10:1', ['0:0:W:10', '0:1:_:10']), 0, { busy: 0, idle: 0, graceful: 0 }],
    ['idle of an old generation is not idle', sb('0:10', ['0:0:_:10']), 1, { busy: 0, idle: 0, graceful: 0 }],
  ] as const)('%s', (_, board, generation, expected) => {
    expect(countWorkers(board, () => 0, generation)).toEqual(expected);
  });
});
