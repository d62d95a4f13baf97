// Messages between a worker/event child's listener (main thread) and its
// worker threads. Socket bytes travel as RelayToThread / RelayToListener
// (child/socket-proxy.ts); these are the rest.
import type { CarriedState, OneOutcome } from '../../child/connection.js';
import type { RelayToListener } from '../../child/socket-proxy.js';
import type { ChildMessage } from '../ipc.js';
import type { ScoreboardSnapshot } from '../scoreboard.js';

import type { AppBinding } from '../../app/binding.js';

export interface ThreadInit {
  mpm: string;
  slot: number;
  thread: number;
  generation: number;
  config: unknown;
  /** memory every thread of the process sees: a library's global state (/counter) */
  shared: SharedArrayBuffer;
  events: boolean;
  /** /app/: the application pool (a threaded MPM never runs mod_php) */
  app: AppBinding | null;
}

export type ListenerToThread =
  /** worker: serve this connection for its whole life */
  | { t: 'conn'; id: string; client: string }
  /** event: serve one request of this connection (state null = its first) */
  | { t: 'request'; id: string; client: string; state: CarriedState | null }
  /** the child is stopping: no more keep-alive */
  | { t: 'graceful' }
  | { t: 'scoreboard'; id: number; snapshot: ScoreboardSnapshot };

export type ThreadToListener =
  | RelayToListener
  /** ready for work (after start-up and after each connection or request) */
  | { t: 'idle' }
  | { t: 'done'; id: string; outcome: OneOutcome | { kind: 'finished'; readySince: number } }
  /** data / end that arrived after the thread handed the connection back */
  | { t: 'bounce'; id: string; buf: Uint8Array }
  | { t: 'bounce-end'; id: string }
  /** for the parent: status, request and log events of this thread */
  | { t: 'reports'; ms: ChildMessage[] }
  | { t: 'scoreboard?'; id: number }
  | { t: 'crash' };
