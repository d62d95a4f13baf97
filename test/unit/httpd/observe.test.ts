// Reading real httpd back: access-log lines (our LogFormat), error_log lines and
// mod_status ?auto — samples taken from Debian's httpd 2.4.71.
import { describe, expect, it } from 'vitest';
import { parseAccessLine } from '../../../engine/httpd/access-log.js';
import { parseErrorLine, parseStatusAuto } from '../../../engine/httpd/observe.js';

describe('parseAccessLine', () => {
  it.each([
    ['10256 10256 0 - 46778 200 45 1278 1.0 0 "GET / HTTP/1.0" "curl/7.88.1"',
      { pid: 10256, tid: 10256, keepalive: 0, connStatus: '-', clientPort: 46778, status: 200, bytes: 45, durationMs: 1.278, slot: 1, thread: 0, generation: 0, method: 'GET', path: '/', version: 'HTTP/1.0', userAgent: 'curl/7.88.1' }],
    ['9699 9703 2 + 51000 200 13 101552 - 1 "GET /sleep?ms=100 HTTP/1.1" "-"',
      { pid: 9699, tid: 9703, keepalive: 2, connStatus: '+', slot: null, thread: null, generation: 1, path: '/sleep', durationMs: 101.552, userAgent: '-' }],
    // a request that never reached the handler: no identity headers
    ['9699 - 0 - 51002 400 226 310 - - "GET /%zz HTTP/1.1" "-"', { tid: null, status: 400, generation: null }],
    ['9699 - 0 X 51004 200 0 90 - - "OPTIONS * HTTP/1.0" "Apache/2.4.71 (Debian) (internal dummy connection)"',
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

describe('parseStatusAuto', () => {
  it('reads the fields the dashboard needs from a real ?auto page', () => {
    const body = [
      '127.0.0.1', 'ServerVersion: Apache/2.4.71 (Debian)', 'ServerMPM: event', 'ParentServerConfigGeneration: 1',
      'ParentServerMPMGeneration: 0', 'BusyWorkers: 1', 'GracefulWorkers: 0', 'IdleWorkers: 3', 'Processes: 1', 'Stopping: 0',
      'ConnsTotal: 0', 'Scoreboard: W___', '',
    ].join('\n');
    expect(parseStatusAuto(body)).toEqual({ mpm: 'event', generation: 0, busy: 1, idle: 3, scoreboard: 'W___' });
  });
});
