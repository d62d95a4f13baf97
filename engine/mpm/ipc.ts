// Messages between an MPM parent and its children over the IPC channel.
// This channel plays the part of httpd's shared memory (the scoreboard) and
// pipe of death. Children batch what happens within one tick into one array
// (see child/reporter.ts): the parent sits on every accept, so fewer
// messages per connection is where prefork throughput is won.
import type { LogEntry } from '../log/error-log.js';
import type { ScoreboardSnapshot } from './scoreboard.js';

/** Who did something: a worker of a child. */
export interface WorkerRef {
  slot: number;
  thread: number;
  pid: number;
  tid: number;
}

export type ChildMessage =
  /** first listen() of this child succeeded: the socket is in LISTEN state */
  | { t: 'listening'; ts: number }
  /** the accept turn was used: pass it on */
  | { t: 'accepted'; ts: number }
  /** a scoreboard transition (status number as in scoreboard.ts) */
  | { t: 'status'; ts: number; thread: number; status: number; connId?: string; client?: string; request?: string; protocol?: string }
  | { t: 'conn.open'; ts: number; thread: number; tid: number; connId: string; client: string }
  | { t: 'request.start'; ts: number; thread: number; tid: number; connId: string; reqId: number; method: string; path: string; version: string; request: string }
  | {
      t: 'request.end';
      ts: number;
      thread: number;
      tid: number;
      connId: string;
      reqId: number;
      method: string;
      path: string;
      version: string;
      request: string;
      status: number;
      bytes: number;
      durationMs: number;
      keepalive: number;
      connStatus: 'X' | '+' | '-';
      connection: 'keep' | 'close';
      userAgent: string;
      client: string;
      startTime: number;
    }
  | { t: 'conn.close'; ts: number; thread: number; tid: number; connId: string; requests: number; reason: 'done' | 'client-closed' | 'keepalive-timeout' | 'timeout' | 'error' | 'aborted' | 'stopping' }
  /** this child finished a connection (or started) and is at the top of its loop: ready for the turn, unless the pod says die */
  | { t: 'idle'; ts: number }
  /** the child is about to exit on its own, and why */
  | { t: 'exiting'; ts: number; reason: 'max-connections' | 'graceful' | 'idle-kill' | 'sick' | 'fatal' }
  | { t: 'log'; entry: Omit<LogEntry, 'pid'> }
  /** read the scoreboard (mod_status) */
  | { t: 'scoreboard?'; id: number };

export type ParentMessage =
  /** take the accept turn: listen on the handle(s) that come with `index` of `count` */
  | { t: 'turn'; index: number; count: number }
  /** the pipe of death had a byte for you */
  | { t: 'die' }
  /** AP_SIG_GRACEFUL: close your listeners, finish the connection, exit. Sent over IPC, not as SIGUSR1:
   *  a Node process that gets SIGUSR1 before its handler is installed opens the inspector instead */
  | { t: 'graceful' }
  | { t: 'scoreboard'; id: number; snapshot: ScoreboardSnapshot };

/** What a child needs to start, passed on its command line (no extra round trip). */
export interface ChildInit {
  mpm: string;
  slot: number;
  generation: number;
  /** the effective configuration, as resolved by the parent */
  config: unknown;
  listen: string[];
}
