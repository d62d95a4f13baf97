// Raw directive values → the configuration an MPM runs with, plus httpd's
// warnings. Pure: the caller keeps the "retained" state (the first ServerLimit
// and ThreadLimit) between restarts and logs the diagnostics.
//
// Per MPM this is <mpm>_check_config followed by the silent adjustments at the
// top of <mpm>_run; the other directives only get their defaults and units.

import type { Diagnostic } from './diagnostic.js';
import { checkLog } from './check-log.js';
import { netwareLimits, os2Limits, winntLimits } from './check-platform.js';
import { preforkLimits } from './check-prefork.js';
import { threadedLimits } from './check-threaded.js';
import type { DirectiveName, DirectiveValues, MpmName } from './directives.js';
import { defaultValue } from './directives.js';
import type { EffectiveConfig } from './effective.js';
import type { RawConfig } from './load.js';

export type { EffectiveConfig } from './effective.js';
export { describeEffective } from './effective.js';

export interface CheckOptions {
  /** true for the first start (console "WARNING:" texts); false for a restart (error_log texts) */
  startup: boolean;
  /** ServerLimit the server first started with; a different value on restart is refused (AH00179 …) */
  firstServerLimit?: number;
  /** ThreadLimit the server first started with (worker/event: AH00309 / AH00506) */
  firstThreadLimit?: number;
  /** listener buckets; httpd has more than 1 only with ListenCoresBucketsRatio. @default 1 */
  numBuckets?: number;
}

export interface CheckResult {
  config: EffectiveConfig;
  diagnostics: Diagnostic[];
}

/** AsyncRequestWorkerFactor is kept ×16 in an unsigned int (WORKER_FACTOR_SCALE). */
const WORKER_FACTOR_SCALE = 16;

export function checkConfig(mpm: MpmName, raw: RawConfig, opts: CheckOptions): CheckResult {
  const diagnostics: Diagnostic[] = [];
  const log = checkLog(`mpm_${mpm}`, opts.startup, diagnostics);
  const numBuckets = opts.numBuckets ?? 1;
  const common = commonSettings(mpm, raw);

  if (mpm === 'prefork') {
    const p = preforkLimits(raw, { firstServerLimit: opts.firstServerLimit, numBuckets }, log);
    const config: EffectiveConfig = {
      mpm, ...common,
      serverLimit: p.serverLimit, threadLimit: 1, threadsPerChild: 1,
      maxRequestWorkers: p.daemonsLimit, processLimit: p.daemonsLimit, startServers: p.startServers,
      minSpareServers: p.minSpareServers, maxSpareServers: p.maxSpareServers,
      minSpareThreads: null, maxSpareThreads: null, startThreads: null, asyncRequestWorkerFactor: null, asyncFactorEffective: null,
    };
    return { config, diagnostics };
  }

  if (mpm === 'winnt' || mpm === 'netware' || mpm === 'mpmt_os2') {
    const p = mpm === 'winnt' ? winntLimits(raw, { firstThreadLimit: opts.firstThreadLimit }, log) : mpm === 'netware' ? netwareLimits(raw, log) : os2Limits(raw, log);
    const config: EffectiveConfig = {
      mpm, ...common,
      serverLimit: p.serverLimit, threadLimit: p.threadLimit, threadsPerChild: p.threadsPerChild,
      maxRequestWorkers: p.maxWorkers, processLimit: p.processLimit, startServers: p.startServers,
      minSpareServers: null, maxSpareServers: null, minSpareThreads: p.minSpareThreads, maxSpareThreads: p.maxSpareThreads,
      startThreads: p.startThreads, asyncRequestWorkerFactor: null, asyncFactorEffective: null,
    };
    return { config, diagnostics };
  }

  const t = threadedLimits(mpm, raw, {
    firstServerLimit: opts.firstServerLimit, firstThreadLimit: opts.firstThreadLimit, numBuckets,
  }, log);
  const factor = mpm === 'event' ? setting(raw, 'AsyncRequestWorkerFactor', mpm) : null;
  const config: EffectiveConfig = {
    mpm, ...common,
    serverLimit: t.serverLimit, threadLimit: t.threadLimit, threadsPerChild: t.threadsPerChild,
    maxRequestWorkers: t.maxWorkers, processLimit: t.daemonsLimit, startServers: t.startServers,
    minSpareServers: null, maxSpareServers: null, startThreads: null,
    minSpareThreads: t.minSpareThreads, maxSpareThreads: t.maxSpareThreads,
    asyncRequestWorkerFactor: factor, asyncFactorEffective: factor === null ? null : asyncFactorEffective(factor),
  };
  return { config, diagnostics };
}

/**
 * The factor event.c really uses: set_worker_factor stores
 * (unsigned)(value × 16), raised to at least 16, and every use divides by 16
 * again in integer arithmetic, so 1.5 acts as 1 and 0.5 as 1.
 */
export function asyncFactorEffective(factor: number): number {
  const scaled = Math.max(Math.trunc(factor * WORKER_FACTOR_SCALE), WORKER_FACTOR_SCALE);
  return Math.floor(scaled / WORKER_FACTOR_SCALE);
}

type CommonSettings = Omit<EffectiveConfig,
  | 'mpm' | 'serverLimit' | 'threadLimit' | 'threadsPerChild' | 'maxRequestWorkers' | 'processLimit'
  | 'startServers' | 'minSpareServers' | 'maxSpareServers' | 'minSpareThreads' | 'maxSpareThreads'
  | 'startThreads' | 'asyncRequestWorkerFactor' | 'asyncFactorEffective'>;

/** Directives that no check_config touches: defaults and units only. */
function commonSettings(mpm: MpmName, raw: RawConfig): CommonSettings {
  const get = <K extends DirectiveName>(name: K) => setting(raw, name, mpm);
  return {
    maxConnectionsPerChild: get('MaxConnectionsPerChild'),
    gracefulShutdownTimeoutMs: get('GracefulShutdownTimeout') * 1000,
    listenBacklog: get('ListenBacklog'),
    listen: [...get('Listen')],
    timeoutMs: get('Timeout') * 1000,
    keepAlive: get('KeepAlive'),
    keepAliveTimeoutMs: get('KeepAliveTimeout'),
    maxKeepAliveRequests: get('MaxKeepAliveRequests'),
    logLevel: get('LogLevel'),
    extendedStatus: get('ExtendedStatus'),
    serverName: get('ServerName'),
    limitRequestLine: get('LimitRequestLine'),
    limitRequestFieldSize: get('LimitRequestFieldSize'),
    limitRequestFields: get('LimitRequestFields'),
    limitRequestBody: get('LimitRequestBody'),
  };
}

function setting<K extends DirectiveName>(raw: RawConfig, name: K, mpm: MpmName): DirectiveValues[K] {
  const v = raw[name];
  return v === undefined ? defaultValue(name, mpm) : (v as DirectiveValues[K]);
}
