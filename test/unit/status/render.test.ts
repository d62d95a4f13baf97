import { describe, expect, it } from 'vitest';
import { scoreboardString } from '../../../engine/mpm/scoreboard.js';
import {
  renderStatus,
  statusContentType,
  statusCounts,
  statusQuery,
} from '../../../engine/status/render.js';
import type { StatusRenderOptions } from '../../../engine/status/render.js';
import { eventSnapshot, preforkSnapshot, wideSnapshot } from './fixtures.js';

const AUTO: StatusRenderOptions = {
  auto: true,
  notable: false,
  localIp: '127.0.0.1',
  loadavg: [0.5, 0.25, 0.125],
  timeZone: 'UTC',
};
const HTML: StatusRenderOptions = { ...AUTO, auto: false };
const NOTABLE: StatusRenderOptions = { ...HTML, notable: true };

const PREFORK_AUTO = `localhost
ServerVersion: Apache/2.4.63 (Unix)
ServerMPM: prefork
Server Built: Oct 18 2024 13:21:27
CurrentTime: Sunday, 22-Nov-2026 05:38:37 UTC
RestartTime: Sunday, 22-Nov-2026 03:33:32 UTC
ParentServerConfigGeneration: 2
ParentServerMPMGeneration: 2
ServerUptimeSeconds: 7505
ServerUptime: 2 hours 5 minutes 5 seconds
Load1: 0.50
Load5: 0.25
Load15: 0.13
Total Accesses: 22
Total kBytes: 8
Total Duration: 440
CPUUser: .67
CPUSystem: .33
CPUChildrenUser: 1.2
CPUChildrenSystem: .3
CPULoad: .0333111
Uptime: 7505
ReqPerSec: .00293138
BytesPerSec: 1.09154
BytesPerReq: 372.364
DurationPerReq: 20
BusyWorkers: 1
GracefulWorkers: 1
IdleWorkers: 1
Scoreboard: WG__
`;

const EVENT_AUTO = `localhost
ServerVersion: Apache/2.4.63 (Unix)
ServerMPM: event
Server Built: Oct 18 2024 13:21:27
CurrentTime: Sunday, 22-Nov-2026 05:38:37 UTC
RestartTime: Sunday, 22-Nov-2026 03:33:32 UTC
ParentServerConfigGeneration: 3
ParentServerMPMGeneration: 3
ServerUptimeSeconds: 7505
ServerUptime: 2 hours 5 minutes 5 seconds
Load1: 0.50
Load5: 0.25
Load15: 0.13
Total Accesses: 18
Total kBytes: 71
Total Duration: 33
CPUUser: .55
CPUSystem: .24
CPUChildrenUser: 0
CPUChildrenSystem: 0
CPULoad: .0105263
Uptime: 7505
ReqPerSec: .0023984
BytesPerSec: 9.68741
BytesPerReq: 4039.11
DurationPerReq: 1.83333
BusyWorkers: 2
GracefulWorkers: 0
IdleWorkers: 1
Processes: 2
Stopping: 1
ConnsTotal: 7
ConnsAsyncWaitIO: 0
ConnsAsyncWriting: 1
ConnsAsyncKeepAlive: 3
ConnsAsyncClosing: 1
Scoreboard: W_RGG.
`;

describe('?auto', () => {
  it('prefork: the whole report', () => {
    expect(renderStatus(preforkSnapshot(), AUTO)).toBe(PREFORK_AUTO);
  });

  it('event: the whole report, with the async block', () => {
    expect(renderStatus(eventSnapshot(), AUTO)).toBe(EVENT_AUTO);
  });

  it('ignores notable', () => {
    expect(renderStatus(preforkSnapshot(), { ...AUTO, notable: true })).toBe(PREFORK_AUTO);
  });

  it('without ExtendedStatus: no totals', () => {
    const snap = { ...preforkSnapshot(), extendedStatus: false };
    const out = renderStatus(snap, AUTO);
    expect(out).toContain('Load15: 0.13\nBusyWorkers: 1\nGracefulWorkers: 1\nIdleWorkers: 1\nScoreboard: WG__\n');
    expect(out).not.toContain('Total Accesses');
  });

  it('omits CPULoad when no CPU was used, and the rates when nothing ran', () => {
    const snap = eventSnapshot();
    snap.parentCpu = { user: 0, system: 0, childrenUser: 0, childrenSystem: 0 };
    snap.parent.forEach((p) => {
      p.cpuUser = 0;
      p.cpuSystem = 0;
    });
    snap.servers.forEach((row) => row.forEach((w) => Object.assign(w, { accessCount: 0, bytesServed: 0, durationMs: 0 })));
    snap.now = snap.global.restartTime + 999; // uptime rounds down to 0
    const out = renderStatus(snap, AUTO);
    expect(out).toContain(
      'Total Accesses: 0\nTotal kBytes: 0\nTotal Duration: 0\n' +
        'CPUUser: 0\nCPUSystem: 0\nCPUChildrenUser: 0\nCPUChildrenSystem: 0\n' +
        'Uptime: 0\nBusyWorkers: 2\n',
    );
    expect(out).toContain('ServerUptimeSeconds: 0\nServerUptime:\n');
  });

  it('counts only the CPU of processes with a used slot', () => {
    const snap = preforkSnapshot();
    snap.parent[2].cpuUser = 5; // pid 103: idle and never used
    expect(renderStatus(snap, AUTO)).toContain('CPUUser: .67\n');
    snap.servers[2][0].accessCount = 1;
    expect(renderStatus(snap, AUTO)).toContain('CPUUser: 5.67\n');
  });
});

describe('statusCounts', () => {
  it('prefork: old-generation idle children are not idle; G is graceful', () => {
    expect(statusCounts(preforkSnapshot())).toEqual({ busy: 1, graceful: 1, idle: 1 });
  });

  it('event: threads of a quiescing process are left out', () => {
    expect(statusCounts(eventSnapshot())).toEqual({ busy: 2, graceful: 0, idle: 1 });
    const snap = eventSnapshot();
    snap.parent[1].quiescing = false;
    expect(statusCounts(snap)).toEqual({ busy: 2, graceful: 2, idle: 1 });
  });

  it('S and I are not busy; a slot without a pid counts nothing', () => {
    const snap = preforkSnapshot();
    snap.servers[0][0].status = 1; // SERVER_STARTING
    snap.servers[1][0].status = 10; // SERVER_IDLE_KILL
    expect(statusCounts(snap)).toEqual({ busy: 0, graceful: 0, idle: 1 });
    snap.parent[2].pid = 0;
    expect(statusCounts(snap)).toEqual({ busy: 0, graceful: 0, idle: 0 });
  });
});

describe('scoreboard string', () => {
  it('skips dead slots past MaxRequestWorkers / ThreadsPerChild, but not live ones', () => {
    const prefork = preforkSnapshot();
    expect(renderStatus(prefork, AUTO)).toMatch(/\nScoreboard: WG__\n$/);
    prefork.servers[4][0].status = 5; // a live K in slot 4, past the limit
    expect(renderStatus(prefork, AUTO)).toMatch(/\nScoreboard: WG__K\n$/);
    expect(renderStatus(eventSnapshot(), AUTO)).toMatch(/\nScoreboard: W_RGG\.\n$/);
  });

  it('agrees with scoreboard.ts', () => {
    for (const snap of [preforkSnapshot(), eventSnapshot(), wideSnapshot(70)]) {
      expect(renderStatus(snap, AUTO)).toContain(`\nScoreboard: ${scoreboardString(snap)}\n`);
    }
  });

  it('HTML wraps it every 64 characters', () => {
    const out = renderStatus(wideSnapshot(130), HTML);
    const line = '_WK.'.repeat(16);
    expect(out).toContain(`</dl><pre>${line}\n${line}\n_W</pre>\n<p>Scoreboard Key:`);
  });

  it('HTML: exactly 64 characters end with the newline', () => {
    expect(renderStatus(wideSnapshot(64), HTML)).toContain(`<pre>${'_WK.'.repeat(16)}\n</pre>\n`);
  });
});

describe('HTML page', () => {
  it('starts with the 2.4 doctype and the header list', () => {
    const out = renderStatus({ ...preforkSnapshot(), serverName: 'a&b' }, HTML);
    expect(out.startsWith(
      '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<html><head>\n<title>Apache Status</title>\n' +
        '</head><body>\n<h1>Apache Server Status for a&amp;b (via 127.0.0.1)</h1>\n\n' +
        '<dl><dt>Server Version: Apache/2.4.63 (Unix)</dt>\n<dt>Server MPM: prefork</dt>\n' +
        '<dt>Server Built: Oct 18 2024 13:21:27\n</dt></dl><hr /><dl>\n' +
        '<dt>Current Time: Sunday, 22-Nov-2026 05:38:37 UTC</dt>\n' +
        '<dt>Restart Time: Sunday, 22-Nov-2026 03:33:32 UTC</dt>\n' +
        '<dt>Parent Server Config. Generation: 2</dt>\n<dt>Parent Server MPM Generation: 2</dt>\n' +
        '<dt>Server uptime:  2 hours 5 minutes 5 seconds</dt>\n<dt>Server load: 0.50 0.25 0.13</dt>\n',
    )).toBe(true);
  });

  it('prints the extended summary and the counters', () => {
    expect(renderStatus(preforkSnapshot(), HTML)).toContain(
      '<dt>Total accesses: 22 - Total Traffic: 8 kB - Total Duration: 440</dt>\n' +
        '<dt>CPU Usage: u.67 s.33 cu1.2 cs.3 - .0333% CPU load</dt>\n' +
        '<dt>.00293 requests/sec - 1 B/second - 372 B/request - 20 ms/request</dt>\n' +
        '<dt>1 requests currently being processed, 1 workers gracefully restarting, 1 idle workers</dt>\n' +
        '</dl><pre>WG__</pre>\n',
    );
  });

  it('has the Scoreboard Key paragraph, word for word', () => {
    expect(renderStatus(preforkSnapshot(), HTML)).toContain(
      '</pre>\n<p>Scoreboard Key:<br />\n' +
        '"<b><code>_</code></b>" Waiting for Connection, \n' +
        '"<b><code>S</code></b>" Starting up, \n' +
        '"<b><code>R</code></b>" Reading Request,<br />\n' +
        '"<b><code>W</code></b>" Sending Reply, \n' +
        '"<b><code>K</code></b>" Keepalive (read), \n' +
        '"<b><code>D</code></b>" DNS Lookup,<br />\n' +
        '"<b><code>C</code></b>" Closing connection, \n' +
        '"<b><code>L</code></b>" Logging, \n' +
        '"<b><code>G</code></b>" Gracefully finishing,<br /> \n' +
        '"<b><code>I</code></b>" Idle cleanup of worker, \n' +
        '"<b><code>.</code></b>" Open slot with no current process<br />\n' +
        '</p>\n',
    );
  });

  it('per-worker table: row format, and never-used idle/dead slots left out', () => {
    const out = renderStatus(preforkSnapshot(), HTML);
    expect(out).toContain(
      '<tr><td><b>0-2</b></td><td>101</td><td>2/4/10</td><td><b>W</b>\n' +
        '</td><td>0.17</td><td>3</td><td>0</td><td>250</td><td>1.5</td><td>0.00</td><td>0.00\n' +
        '</td><td>127.0.0.1</td><td>HTTP/1.1</td><td nowrap>localhost:8080</td>' +
        '<td nowrap>GET /big?a=1&amp;b=&lt;2&gt; HTTP/1.1</td></tr>\n\n',
    );
    // a dead slot that was used: no PID, generation of the (empty) process record
    expect(out).toContain('<tr><td><b>4-0</b></td><td>-</td><td>0/0/2</td><td>.\n</td><td>0.00</td><td>89</td><td>10</td><td>30</td>');
    expect(out).not.toContain('<td><b>2-');
    const rows = out.match(/<tr><td><b>\d+-\d+<\/b>/g) ?? [];
    expect(rows).toEqual(['<tr><td><b>0-2</b>', '<tr><td><b>1-1</b>', '<tr><td><b>3-1</b>', '<tr><td><b>4-0</b>']);
  });

  it('per-worker table: Conn in kB with one decimal, Child and Slot in MB with two', () => {
    expect(renderStatus(eventSnapshot(), HTML)).toContain(
      '<tr><td><b>0-3</b></td><td>201</td><td>1/4/4</td><td><b>W</b>\n' +
        '</td><td>0.43</td><td>0</td><td>0</td><td>9</td><td>68.4</td><td>0.07</td><td>0.07\n',
    );
  });

  it('ends with the legend table and no signature', () => {
    expect(renderStatus(preforkSnapshot(), HTML).endsWith(
      '</table>\n <hr /> <table>\n <tr><th>Srv</th><td>Child Server number - generation</td></tr>\n' +
        ' <tr><th>PID</th><td>OS process ID</td></tr>\n' +
        ' <tr><th>Acc</th><td>Number of accesses this connection / this child / this slot</td></tr>\n' +
        ' <tr><th>M</th><td>Mode of operation</td></tr>\n' +
        '<tr><th>CPU</th><td>CPU usage, number of seconds</td></tr>\n' +
        '<tr><th>SS</th><td>Seconds since beginning of most recent request</td></tr>\n' +
        ' <tr><th>Req</th><td>Milliseconds required to process most recent request</td></tr>\n' +
        ' <tr><th>Dur</th><td>Sum of milliseconds required to process all requests</td></tr>\n' +
        ' <tr><th>Conn</th><td>Kilobytes transferred this connection</td></tr>\n' +
        ' <tr><th>Child</th><td>Megabytes transferred this child</td></tr>\n' +
        ' <tr><th>Slot</th><td>Total megabytes transferred this slot</td></tr>\n' +
        ' </table>\n</body></html>\n',
    )).toBe(true);
  });

  it('notable: per-worker details as text, no tables', () => {
    const out = renderStatus(preforkSnapshot(), NOTABLE);
    expect(out).toContain(
      '</p>\n<hr /><h2>Server Details</h2>\n\n' +
        '<b>Server 0-2</b> (101): 2|4|10 [<b>Write</b>] u.12 s.05 cu0 cs0\n' +
        ' 3 0 250(1500 B|3000 B|5000 B)\n' +
        ' <i>127.0.0.1 {GET /big?a=1&amp;b=&lt;2&gt; HTTP/1.1}</i> <i>(HTTP/1.1)</i> <b>[localhost:8080]</b><br />\n\n',
    );
    expect(out).toContain('<b>Server 4-0</b> (-): 0|0|2 [Dead] u0 s0 cu0 cs0\n');
    expect(out).not.toContain('<table');
    expect(out.endsWith('<br />\n\n</body></html>\n')).toBe(true);
  });

  it('event: the per-process table with its Sum row', () => {
    expect(renderStatus(eventSnapshot(), HTML)).toContain(
      '</dl>\n\n<table rules="all" cellpadding="1%">\n' +
        '<tr><th rowspan="2">Slot</th><th rowspan="2">PID</th><th rowspan="2">Stopping</th><th colspan="2">Connections</th>\n' +
        '<th colspan="3">Threads</th><th colspan="4">Async connections</th></tr>\n' +
        '<tr><th>total</th><th>accepting</th><th>busy</th><th>graceful</th><th>idle</th>' +
        '<th>wait-io</th><th>writing</th><th>keep-alive</th><th>closing</th></tr>\n' +
        '<tr><td>0</td><td>201</td><td>no</td><td>5</td><td>yes</td><td>2</td><td>0</td><td>1</td>' +
        '<td>0</td><td>1</td><td>2</td><td>0</td></tr>\n' +
        '<tr><td>1</td><td>202</td><td>yes (old gen)</td><td>2</td><td>no</td><td>0</td><td>0</td><td>0</td>' +
        '<td>0</td><td>0</td><td>1</td><td>1</td></tr>\n' +
        '<tr><td>Sum</td><td>2</td><td>1</td><td>7</td><td>&nbsp;</td><td>2</td><td>0</td><td>1</td>' +
        '<td>0</td><td>1</td><td>3</td><td>1</td></tr>\n</table>\n<pre>W_RGG.</pre>\n',
    );
  });

  it('without ExtendedStatus: the PID Key (disabled slots included, as in C) and the hint', () => {
    const out = renderStatus({ ...eventSnapshot(), extendedStatus: false }, HTML);
    expect(out).toContain(
      '</p>\nPID Key: <br />\n<pre>\n' +
        '   201 in state: W ,   201 in state: _ ,   201 in state: R \n' +
        '   201 in state:   ,   202 in state: G ,   202 in state: G \n' +
        '   202 in state:   ,   0 in state:   ,   0 in state:   \n' +
        '   0 in state:   ,   0 in state:   ,\n</pre>\n' +
        '<hr />To obtain a full report with current status information you need to use the ' +
        '<code>ExtendedStatus On</code> directive.\n</body></html>\n',
    );
    expect(out).not.toContain('Total accesses');
  });
});

describe('statusQuery', () => {
  it.each([
    ['', { auto: false, notable: false }],
    ['auto', { auto: true, notable: false }],
    ['?auto', { auto: true, notable: false }],
    ['notable', { auto: false, notable: true }],
    ['refresh', { auto: false, notable: false, refresh: 10 }],
    ['refresh=5', { auto: false, notable: false, refresh: 5 }],
    ['refresh=0', { auto: false, notable: false, refresh: 10 }],
    ['refresh=-3', { auto: false, notable: false, refresh: 10 }],
    ['refresh=x', { auto: false, notable: false, refresh: 10 }],
    ['refresh=2s&auto', { auto: true, notable: false, refresh: 2 }],
    ['notable&refresh=30', { auto: false, notable: true, refresh: 30 }],
    ['autorefresh=4', { auto: true, notable: false, refresh: 4 }],
    ['refresh5', { auto: false, notable: false, refresh: 10 }],
  ])('%j', (query, expected) => {
    expect(statusQuery(query)).toEqual(expected);
  });

  it('content types', () => {
    expect(statusContentType(true)).toBe('text/plain; charset=ISO-8859-1');
    expect(statusContentType(false)).toBe('text/html; charset=ISO-8859-1');
  });
});
