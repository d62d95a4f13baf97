// Engine events: the one tagged union shared by the engine, the lab server and
// the site (DESIGN §4). This file must stay free of Node imports: the browser
// imports it too. `ts` is a monotonic clock in milliseconds (CLOCK_MONOTONIC,
// the same in every process of the machine), so events from the parent and
// from children order correctly.
import { z } from 'zod';
import { STATUS_LETTER } from './scoreboard.js';

export const PROTOCOL_VERSION = 1;

const letter = z.enum(STATUS_LETTER);
const base = { ts: z.number() };
const who = {
  pid: z.number().int(),
  tid: z.number().int(),
  /** scoreboard process slot; -1 where real httpd did not say */
  slot: z.number().int(),
  /** scoreboard thread index within the slot (0 for prefork); -1 where real httpd did not say */
  thread: z.number().int(),
};

export const EngineStateEvent = z.object({
  type: z.literal('engine.state'),
  ...base,
  state: z.enum(['starting', 'running', 'restarting', 'stopping', 'stopped']),
  mpm: z.string(),
  backend: z.enum(['node', 'httpd']),
  generation: z.number().int(),
  pid: z.number().int(),
  listen: z.array(z.string()),
});

export const ChildSpawnEvent = z.object({
  type: z.literal('child.spawn'),
  ...base,
  pid: z.number().int(),
  slot: z.number().int(),
  generation: z.number().int(),
});

export const ChildExitEvent = z.object({
  type: z.literal('child.exit'),
  ...base,
  pid: z.number().int(),
  slot: z.number().int(),
  generation: z.number().int(),
  code: z.number().int().nullable(),
  signal: z.string().nullable(),
  /** why it exited, as far as the parent knows */
  reason: z.enum(['max-connections', 'idle-kill', 'graceful', 'crash', 'stop', 'restart', 'fatal', 'sick', 'exit']),
});

export const WorkerStatusEvent = z.object({
  type: z.literal('worker.status'),
  ...base,
  slot: z.number().int(),
  thread: z.number().int(),
  pid: z.number().int(),
  status: letter,
  connId: z.string().optional(),
});

export const ConnOpenEvent = z.object({
  type: z.literal('conn.open'),
  ...base,
  ...who,
  connId: z.string(),
  client: z.string(),
});

export const RequestStartEvent = z.object({
  type: z.literal('request.start'),
  ...base,
  ...who,
  connId: z.string(),
  /** 1-based index of the request on its connection */
  reqId: z.number().int(),
  method: z.string(),
  path: z.string(),
  version: z.string(),
});

export const RequestEndEvent = z.object({
  type: z.literal('request.end'),
  ...base,
  ...who,
  connId: z.string(),
  reqId: z.number().int(),
  method: z.string(),
  path: z.string(),
  version: z.string(),
  /** the request line as logged by %r */
  request: z.string(),
  status: z.number().int(),
  bytes: z.number().int(),
  durationMs: z.number(),
  /** %k: keep-alive requests already served on this connection */
  keepalive: z.number().int(),
  /** %X: X aborted, + stays open, - closing */
  connStatus: z.enum(['X', '+', '-']),
  connection: z.enum(['keep', 'close']),
  userAgent: z.string(),
  client: z.string(),
  /** /app/ only: X-App-Pid, the process that ran the application (a pool process, or this MPM child under mod_php) */
  appPid: z.number().int().optional(),
});

export const ConnCloseEvent = z.object({
  type: z.literal('conn.close'),
  ...base,
  ...who,
  connId: z.string(),
  requests: z.number().int(),
  reason: z.enum(['done', 'client-closed', 'keepalive-timeout', 'timeout', 'error', 'aborted', 'stopping']),
});

export const LogEvent = z.object({
  type: z.literal('log'),
  ...base,
  level: z.string(),
  module: z.string(),
  ah: z.string(),
  text: z.string(),
  pid: z.number().int(),
  /** the error_log line exactly as printed */
  line: z.string(),
});

export const ScoreboardEvent = z.object({
  type: z.literal('scoreboard'),
  ...base,
  generation: z.number().int(),
  /** mod_status's Scoreboard string */
  scoreboard: z.string(),
  processes: z.array(
    z.object({ slot: z.number().int(), pid: z.number().int(), generation: z.number().int(), quiescing: z.boolean(), workers: z.string() }),
  ),
  busy: z.number().int(),
  idle: z.number().int(),
  graceful: z.number().int(),
});

export const BacklogEvent = z.object({
  type: z.literal('backlog'),
  ...base,
  listen: z.string(),
  depth: z.number().int(),
});

/** The application pool (php-fpm model): a process started, ended, or finished a request. */
export const PoolSpawnEvent = z.object({ type: z.literal('pool.spawn'), ...base, pool: z.string(), pid: z.number().int() });
export const PoolExitEvent = z.object({
  type: z.literal('pool.exit'),
  ...base,
  pool: z.string(),
  pid: z.number().int(),
  /** pm.max_requests reached, stopped as idle by the process manager, died, or the pool stopping */
  reason: z.enum(['max-requests', 'idle', 'crash', 'stopping']),
});
export const PoolRequestEvent = z.object({ type: z.literal('pool.request'), ...base, pool: z.string(), pid: z.number().int(), method: z.string(), uri: z.string(), durationMs: z.number() });
/** Once a second: the pool's status page, as numbers. */
export const PoolStatusEvent = z.object({
  type: z.literal('pool.status'),
  ...base,
  pool: z.string(),
  pm: z.string(),
  idle: z.number().int(),
  active: z.number().int(),
  listenQueue: z.number().int(),
  maxChildrenReached: z.number().int(),
});

export const EngineEvent = z.discriminatedUnion('type', [
  EngineStateEvent,
  ChildSpawnEvent,
  ChildExitEvent,
  WorkerStatusEvent,
  ConnOpenEvent,
  RequestStartEvent,
  RequestEndEvent,
  ConnCloseEvent,
  LogEvent,
  ScoreboardEvent,
  BacklogEvent,
  PoolSpawnEvent,
  PoolExitEvent,
  PoolRequestEvent,
  PoolStatusEvent,
]);

export type EngineEvent = z.infer<typeof EngineEvent>;
export type EngineEventType = EngineEvent['type'];
export type EventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;
export type ChildExitReason = EventOf<'child.exit'>['reason'];
export type ConnCloseReason = EventOf<'conn.close'>['reason'];
