// The configuration an MPM actually runs with: every directive's value after
// check_config's clamps and the run-time silent adjustments, in one flat
// object. Timeouts are in milliseconds, On/Off are booleans.

import type { LogLevel } from '../log/error-log.js';
import type { DirectiveName, MpmName } from './directives.js';
import { DIRECTIVES, appliesTo } from './directives.js';
import type { ListenAddr } from './listen.js';
import { formatListen } from './listen.js';

export interface EffectiveConfig {
  mpm: MpmName;
  /** clamped ServerLimit: scoreboard size in processes. Pass it back as firstServerLimit on a restart. */
  serverLimit: number;
  /** clamped ThreadLimit (prefork: 1). Pass it back as firstThreadLimit on a restart. */
  threadLimit: number;
  /** prefork: 1 */
  threadsPerChild: number;
  /**
   * prefork: the most children (ap_daemons_limit). worker/event: max_workers,
   * the "reached MaxRequestWorkers" threshold. When ServerLimit caps the
   * processes (AH00318/AH00515) it keeps its value, so it can exceed
   * processLimit × threadsPerChild and then is never reached (spec §5.3 step 6).
   */
  maxRequestWorkers: number;
  /** the most child processes: ap_daemons_limit (prefork, worker) / active_daemons_limit (event) */
  processLimit: number;
  /** children forked at start: StartServers, capped at processLimit */
  startServers: number;
  /** prefork only (null otherwise) */
  minSpareServers: number | null;
  maxSpareServers: number | null;
  /** worker/event only (null for prefork) */
  minSpareThreads: number | null;
  maxSpareThreads: number | null;
  /** netware only: threads started with the server */
  startThreads: number | null;
  /** event only: as configured, e.g. 1.5 */
  asyncRequestWorkerFactor: number | null;
  /** event only: what 2.4's code uses, worker_factor / WORKER_FACTOR_SCALE, a whole number ≥ 1 */
  asyncFactorEffective: number | null;
  /** 0 = unlimited (negative acts as unlimited too) */
  maxConnectionsPerChild: number;
  /** 0 = wait forever */
  gracefulShutdownTimeoutMs: number;
  listenBacklog: number;
  /**
   * Listen lines, in order. Empty when the config has none: there is no
   * built-in default (httpd's stock config says Listen 80, which we could not
   * bind anyway); the caller uses --listen or picks a port itself.
   */
  listen: ListenAddr[];
  /** Timeout × 1000. (APR reads 0 as "never block" and a negative value as "no timeout".) */
  timeoutMs: number;
  keepAlive: boolean;
  keepAliveTimeoutMs: number;
  /** 0 = unlimited */
  maxKeepAliveRequests: number;
  logLevel: LogLevel;
  extendedStatus: boolean;
  /** null = not set (httpd falls back to the host name) */
  serverName: string | null;
  limitRequestLine: number;
  limitRequestFieldSize: number;
  limitRequestFields: number;
  /** bytes; 0 = unlimited */
  limitRequestBody: number;
}

const onOff = (b: boolean) => (b ? 'On' : 'Off');
const seconds = (ms: number) => (ms % 1000 === 0 ? String(ms / 1000) : `${ms}ms`);

/** How each directive's effective value is shown; null/[] = nothing to show. */
const SHOW: Record<DirectiveName, (c: EffectiveConfig) => string | string[] | null> = {
  StartServers: (c) => String(c.startServers),
  MinSpareServers: (c) => nullable(c.minSpareServers),
  MaxSpareServers: (c) => nullable(c.maxSpareServers),
  MaxRequestWorkers: (c) => String(c.maxRequestWorkers),
  ServerLimit: (c) => String(c.serverLimit),
  ThreadsPerChild: (c) => String(c.threadsPerChild),
  ThreadLimit: (c) => String(c.threadLimit),
  MinSpareThreads: (c) => nullable(c.minSpareThreads),
  MaxSpareThreads: (c) => nullable(c.maxSpareThreads),
  StartThreads: (c) => nullable(c.startThreads),
  MaxThreads: (c) => (c.mpm === 'netware' ? String(c.threadLimit) : null),
  AsyncRequestWorkerFactor: (c) => nullable(c.asyncRequestWorkerFactor),
  MaxConnectionsPerChild: (c) => String(c.maxConnectionsPerChild),
  GracefulShutdownTimeout: (c) => String(c.gracefulShutdownTimeoutMs / 1000),
  ListenBacklog: (c) => String(c.listenBacklog),
  Listen: (c) => c.listen.map(formatListen),
  Timeout: (c) => String(c.timeoutMs / 1000),
  KeepAlive: (c) => onOff(c.keepAlive),
  KeepAliveTimeout: (c) => seconds(c.keepAliveTimeoutMs),
  MaxKeepAliveRequests: (c) => String(c.maxKeepAliveRequests),
  LogLevel: (c) => c.logLevel,
  ExtendedStatus: (c) => onOff(c.extendedStatus),
  ServerName: (c) => c.serverName,
  LimitRequestLine: (c) => String(c.limitRequestLine),
  LimitRequestFieldSize: (c) => String(c.limitRequestFieldSize),
  LimitRequestFields: (c) => String(c.limitRequestFields),
  LimitRequestBody: (c) => String(c.limitRequestBody),
};

/**
 * [directive, value] pairs in registry order, written as in a config file
 * (KeepAliveTimeout "5" or "300ms", KeepAlive "On"), for the directives the
 * MPM has. Listen gives one pair per address; unset ServerName is left out.
 */
export function describeEffective(config: EffectiveConfig): [string, string][] {
  const pairs: [string, string][] = [];
  for (const spec of DIRECTIVES) {
    if (spec.kind === 'ignored' || !appliesTo(spec, config.mpm)) continue;
    const shown = SHOW[spec.name as DirectiveName](config);
    for (const v of Array.isArray(shown) ? shown : shown === null ? [] : [shown]) pairs.push([spec.name, v]);
  }
  return pairs;
}

function nullable(n: number | null): string | null {
  return n === null ? null : String(n);
}
