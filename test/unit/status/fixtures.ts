// Hand-built scoreboard snapshots for the mod_status tests.

import {
  SERVER_BUSY_READ,
  SERVER_BUSY_WRITE,
  SERVER_DEAD,
  SERVER_GRACEFUL,
  SERVER_READY,
  emptyProcess,
  emptyWorker,
} from '../../../engine/mpm/scoreboard.js';
import type { ProcessScore, ScoreboardSnapshot, WorkerScore } from '../../../engine/mpm/scoreboard.js';

/** Sunday, 22-Nov-2026 03:33:32 UTC */
export const RESTART = Date.UTC(2026, 10, 22, 3, 33, 32);
/** Sunday, 22-Nov-2026 05:38:37 UTC: 2 hours 5 minutes 5 seconds later */
export const NOW = Date.UTC(2026, 10, 22, 5, 38, 37, 250);

export function worker(fields: Partial<WorkerScore>): WorkerScore {
  return { ...emptyWorker(), ...fields };
}

export function proc(fields: Partial<ProcessScore>): ProcessScore {
  return { ...emptyProcess(), ...fields };
}

function base(): Omit<ScoreboardSnapshot, 'global' | 'parent' | 'servers' | 'maxDaemons' | 'threadsPerChild' | 'mpm' | 'isAsync'> {
  return {
    serverVersion: 'Apache/2.4.63 (Unix)',
    serverBuilt: 'Oct 18 2024 13:21:27',
    serverName: 'localhost',
    configGeneration: 2,
    extendedStatus: true,
    parentCpu: { user: 0.5, system: 0.25, childrenUser: 1.2, childrenSystem: 0.3 },
    now: NOW,
  };
}

/**
 * prefork, ServerLimit 5, MaxRequestWorkers 3 (so slots 3 and 4 are
 * "disabled" while dead), generation 2 after one graceful restart:
 *   0  W  pid 101, gen 2, busy
 *   1  G  pid 102, gen 1, finishing its last request
 *   2  _  pid 103, gen 2, idle, never used
 *   3  _  pid 104, gen 1: an old-generation idle child, still alive past the new limit
 *   4  .  dead past the limit (disabled), but used before: it still counts in the totals
 */
export function preforkSnapshot(): ScoreboardSnapshot {
  return {
    ...base(),
    mpm: 'prefork',
    isAsync: false,
    maxDaemons: 3,
    threadsPerChild: 1,
    global: { serverLimit: 5, threadLimit: 1, runningGeneration: 2, restartTime: RESTART },
    parent: [
      proc({ pid: 101, generation: 2, cpuUser: 0.12, cpuSystem: 0.05 }),
      proc({ pid: 102, generation: 1, cpuUser: 0.03, cpuSystem: 0.01 }),
      proc({ pid: 103, generation: 2, cpuUser: 0.01, cpuSystem: 0 }),
      proc({ pid: 104, generation: 1, cpuUser: 0.02, cpuSystem: 0.02 }),
      proc({}),
    ],
    servers: [
      [
        worker({
          status: SERVER_BUSY_WRITE, pid: 101, generation: 2,
          accessCount: 10, bytesServed: 5000, myAccessCount: 4, myBytesServed: 3000,
          connCount: 2, connBytes: 1500, durationMs: 250,
          startTime: NOW - 1250, stopTime: NOW - 1262, lastUsed: NOW - 3400,
          client: '127.0.0.1', protocol: 'HTTP/1.1', vhost: 'localhost:8080',
          request: 'GET /big?a=1&b=<2> HTTP/1.1',
        }),
      ],
      [
        worker({
          status: SERVER_GRACEFUL, pid: 102, generation: 1,
          accessCount: 3, bytesServed: 1200, myAccessCount: 3, myBytesServed: 1200,
          connCount: 1, connBytes: 400, durationMs: 40,
          startTime: NOW - 5000, stopTime: NOW - 4990, lastUsed: NOW - 5000,
          client: '127.0.0.1', protocol: 'HTTP/1.0', vhost: 'localhost:8080', request: 'GET / HTTP/1.0',
        }),
      ],
      [worker({ status: SERVER_READY, pid: 103, generation: 2 })],
      [
        worker({
          status: SERVER_READY, pid: 104, generation: 1,
          accessCount: 7, bytesServed: 2048, myAccessCount: 7, myBytesServed: 2048,
          durationMs: 120, startTime: NOW - 60000, stopTime: NOW - 59985, lastUsed: NOW - 59000,
          client: '::1', protocol: 'HTTP/1.1', vhost: 'localhost:8080', request: 'GET /x HTTP/1.1',
        }),
      ],
      [
        worker({
          status: SERVER_DEAD, pid: 0, generation: 1,
          accessCount: 2, bytesServed: 900, durationMs: 30,
          startTime: NOW - 90000, stopTime: NOW - 89990, lastUsed: NOW - 89000,
          client: '127.0.0.1', protocol: 'HTTP/1.1', vhost: 'localhost:8080', request: 'GET /old HTTP/1.1',
        }),
      ],
    ],
  };
}

/**
 * event, ServerLimit 3 × ThreadLimit 4, 2 processes × ThreadsPerChild 3:
 *   slot 0  pid 201, gen 3:              W _ R   (thread 3 disabled)
 *   slot 1  pid 202, gen 2, quiescing:   G G .   (left out of busy/graceful/idle)
 *   slot 2  no process                   (all disabled)
 */
export function eventSnapshot(): ScoreboardSnapshot {
  const dead = () => worker({});
  return {
    ...base(),
    mpm: 'event',
    isAsync: true,
    maxDaemons: 2,
    threadsPerChild: 3,
    configGeneration: 3,
    parentCpu: { user: 0.04, system: 0.02, childrenUser: 0, childrenSystem: 0 },
    global: { serverLimit: 3, threadLimit: 4, runningGeneration: 3, restartTime: RESTART },
    parent: [
      proc({ pid: 201, generation: 3, connections: 5, writeCompletion: 1, keepAlive: 2, cpuUser: 0.31, cpuSystem: 0.12 }),
      proc({ pid: 202, generation: 2, quiescing: true, notAccepting: true, connections: 2, keepAlive: 1, lingeringClose: 1, cpuUser: 0.2, cpuSystem: 0.1 }),
      proc({}),
    ],
    servers: [
      [
        worker({ status: SERVER_BUSY_WRITE, pid: 201, tid: 1, generation: 3, accessCount: 4, bytesServed: 70000, myAccessCount: 4, myBytesServed: 70000, connCount: 1, connBytes: 70000, durationMs: 9, startTime: NOW - 10, stopTime: NOW - 12, lastUsed: NOW - 10, client: '127.0.0.1', protocol: 'HTTP/1.1', vhost: 'localhost:8080', request: 'GET /file HTTP/1.1' }),
        worker({ status: SERVER_READY, pid: 201, tid: 2, generation: 3, accessCount: 2, bytesServed: 600, myAccessCount: 2, myBytesServed: 600, durationMs: 3, startTime: NOW - 20000, stopTime: NOW - 19998, lastUsed: NOW - 19998, client: '127.0.0.1', protocol: 'HTTP/1.1', vhost: 'localhost:8080', request: 'GET / HTTP/1.1' }),
        worker({ status: SERVER_BUSY_READ, pid: 201, tid: 3, generation: 3, client: '127.0.0.1', lastUsed: NOW - 500 }),
        dead(),
      ],
      [
        worker({ status: SERVER_GRACEFUL, pid: 202, tid: 1, generation: 2, accessCount: 11, bytesServed: 3000, myAccessCount: 11, myBytesServed: 3000, durationMs: 20, startTime: NOW - 30000, stopTime: NOW - 29990, lastUsed: NOW - 29990 }),
        worker({ status: SERVER_GRACEFUL, pid: 202, tid: 2, generation: 2, accessCount: 1, bytesServed: 100, myAccessCount: 1, myBytesServed: 100, durationMs: 1, startTime: NOW - 31000, stopTime: NOW - 30999, lastUsed: NOW - 30999 }),
        dead(),
        dead(),
      ],
      [dead(), dead(), dead(), dead()],
    ],
  };
}

/** prefork with `n` slots, all within MaxRequestWorkers, cycling through _ W K . */
export function wideSnapshot(n: number): ScoreboardSnapshot {
  const cycle = [SERVER_READY, SERVER_BUSY_WRITE, 5 /* K */, SERVER_DEAD];
  const snap = preforkSnapshot();
  snap.extendedStatus = false;
  snap.maxDaemons = n;
  snap.global.serverLimit = n;
  snap.parent = Array.from({ length: n }, (_, i) => proc({ pid: cycle[i % 4] === SERVER_DEAD ? 0 : 1000 + i, generation: 2 }));
  snap.servers = Array.from({ length: n }, (_, i) => [worker({ status: cycle[i % 4] })]);
  return snap;
}
