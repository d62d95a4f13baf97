// Messages between an MPM parent and its children over the IPC channel.
// This channel plays the part of httpd's shared memory (the scoreboard) and
// pipe of death. Children batch what happens within one tick into one array
// (see child/reporter.ts): the parent sits on every accept, so fewer
// messages per connection is where prefork throughput is won.
import type { AppBinding } from '../app/binding.js';
import type { LogEntry } from '../log/error-log.js';
import type { ScoreboardSnapshot } from './scoreboard.js';

/**
 * When a blocked httpd child is back in accept(): the end of its lingering close.
 * httpd's child wakes on the client's FIN within microseconds; ours needs the CPU
 * for a few hundred, and on a busy 2-core machine may get it milliseconds late,
 * behind a child that finished later. So when the client's FIN follows within
 * this window, the moment the child started closing stands for the moment
 * httpd's child would have been back (see PreforkParent.grantTurn); a client
 * that lingers longer keeps the child out as long as it lingers.
 */
export const PROMPT_FIN_MS = 20;

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
      /** X-App-Pid of the response (/app/ only) */
      appPid?: number;
    }
  | { t: 'conn.close'; ts: number; thread: number; tid: number; connId: string; requests: number; reason: 'done' | 'client-closed' | 'keepalive-timeout' | 'timeout' | 'error' | 'aborted' | 'stopping' }
  /** this child finished a connection (or started) and is at the top of its loop: ready for the turn, unless the pod says die */
  | { t: 'idle'; ts: number; /** when it became ready, as httpd's child would (connection.ts PROMPT_FIN_MS) */ since?: number }
  /** worker/event: a thread is idle (event: and admission allows), so this child wants the accept turn */
  | { t: 'want-turn'; ts: number }
  /** event: this child no longer wants (or holds) the turn, though it still polls the socket */
  | { t: 'release'; ts: number }
  /** worker/event: this child has started its graceful stop (the process record's quiescing) */
  | { t: 'quiescing'; ts: number }
  /** event: listening disabled (all workers busy / too many connections) or enabled again */
  | { t: 'accepting'; ts: number; on: boolean }
  /** event: the process record's connection counters, as the listener refreshes them */
  | { t: 'counters'; ts: number; connections: number; writeCompletion: number; keepAlive: number; lingeringClose: number }
  /** the child is about to exit on its own, and why */
  | { t: 'exiting'; ts: number; reason: 'max-connections' | 'graceful' | 'idle-kill' | 'sick' | 'fatal' }
  | { t: 'log'; entry: Omit<LogEntry, 'pid'> }
  /** read the scoreboard (mod_status) */
  | { t: 'scoreboard?'; id: number }
  /** a worker child that took over a finishing child's slot: which of its thread entries are free now? */
  | { t: 'threads?' }
  /** mpmt_os2: the child started threads of its own in these entries */
  | { t: 'threads.add'; ts: number; indexes: number[] };

export type ParentMessage =
  /** take the accept turn: listen on the handle(s) that come with `index` of `count` */
  | { t: 'turn'; index: number; count: number }
  /** the pipe of death had a byte for you */
  | { t: 'die' }
  /** AP_SIG_GRACEFUL: close your listeners, finish the connection, exit. Sent over IPC, not as SIGUSR1:
   *  a Node process that gets SIGUSR1 before its handler is installed opens the inspector instead */
  | { t: 'graceful' }
  | { t: 'scoreboard'; id: number; snapshot: ScoreboardSnapshot }
  /** event: a connection arrived at the shared socket (every polling listener wakes) */
  | { t: 'arrival' }
  /** answer to threads?: start these threads (entries the old child has left) */
  | { t: 'threads'; free: number[] }
  /** the lab changed the slow-motion factor */
  | { t: 'slowmo'; factor: number }
  /** netware: this thread is to stop once idle (the scoreboard shows I) */
  | { t: 'idle-kill'; thread: number };

/** What a child needs to start, passed on its command line (no extra round trip). */
export interface ChildInit {
  mpm: string;
  slot: number;
  generation: number;
  /** the effective configuration, as resolved by the parent */
  config: unknown;
  listen: string[];
  /** the thread entries to start now (fewer than ThreadsPerChild in a taken-over slot; netware: StartThreads; mpmt_os2: none) */
  threads: number[];
  /** mpmt_os2: the most threads this child may run (HARD_THREAD_LIMIT within the lab's cap) */
  threadCap?: number;
  /** someone watches the events: report request.start and conn.close too (nothing else needs them) */
  events: boolean;
  /** the lab's slow-motion factor (common/slowmo.ts); 1 or absent = real time */
  slowmo?: number;
  /** /app/: the application pool or mod_php (app/binding.ts) */
  app?: AppBinding | null;
}
