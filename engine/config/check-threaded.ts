// worker's and event's process/thread limits: worker_check_config
// (server/mpm/worker/worker.c) and event_check_config (server/mpm/event/event.c)
// are the same steps with different AH ids and ThreadLimit maximum, followed by
// the silent fixes at the top of worker_run / event_run. Spec §5.3.

import type { CheckLog } from './check-log.js';
import { defaultValue } from './directives.js';
import type { RawConfig } from './load.js';

type Ids = readonly [string, string];
interface ThreadedIds {
  serverLimitHigh: Ids; serverLimitLow: Ids; serverLimitRestart: string;
  threadLimitHigh: Ids; threadLimitLow: Ids; threadLimitRestart: string;
  threadsHigh: Ids; threadsLow: Ids;
  workersBelowThreads: Ids; workersNotMultiple: Ids; workersOverServerLimit: Ids;
  startServersLow: Ids; minSpareLow: Ids;
}

/** [startup, restart] message ids of each step, per MPM. */
const IDS: Record<'worker' | 'event', ThreadedIds> = {
  worker: {
    serverLimitHigh: ['AH00300', 'AH00301'], serverLimitLow: ['AH00302', 'AH00303'], serverLimitRestart: 'AH00304',
    threadLimitHigh: ['AH00305', 'AH00306'], threadLimitLow: ['AH00307', 'AH00308'], threadLimitRestart: 'AH00309',
    threadsHigh: ['AH00310', 'AH00311'], threadsLow: ['AH00312', 'AH00313'],
    workersBelowThreads: ['AH00314', 'AH00315'], workersNotMultiple: ['AH00316', 'AH00317'],
    workersOverServerLimit: ['AH00318', 'AH00319'],
    startServersLow: ['AH00320', 'AH00321'], minSpareLow: ['AH00322', 'AH00323'],
  },
  event: {
    serverLimitHigh: ['AH00497', 'AH00498'], serverLimitLow: ['AH00499', 'AH00500'], serverLimitRestart: 'AH00501',
    threadLimitHigh: ['AH00502', 'AH00503'], threadLimitLow: ['AH00504', 'AH00505'], threadLimitRestart: 'AH00506',
    threadsHigh: ['AH00507', 'AH00508'], threadsLow: ['AH00509', 'AH00510'],
    workersBelowThreads: ['AH00511', 'AH00512'], workersNotMultiple: ['AH00513', 'AH00514'],
    workersOverServerLimit: ['AH00515', 'AH00516'],
    startServersLow: ['AH00517', 'AH00518'], minSpareLow: ['AH00519', 'AH00520'],
  },
};

/** MAX_SERVER_LIMIT / MAX_THREAD_LIMIT of worker.c and event.c. */
export const THREADED_MAX_SERVER_LIMIT = 20000;
export const MAX_THREAD_LIMIT: Record<'worker' | 'event', number> = { worker: 20000, event: 100000 };

export interface ThreadedLimits {
  serverLimit: number;
  threadLimit: number;
  threadsPerChild: number;
  /** max_workers: rounded to a multiple of ThreadsPerChild, NOT lowered by the ServerLimit cap */
  maxWorkers: number;
  /** ap_daemons_limit (worker) / active_daemons_limit (event) */
  daemonsLimit: number;
  startServers: number;
  minSpareThreads: number;
  maxSpareThreads: number;
}

export interface ThreadedCheckInput {
  firstServerLimit?: number;
  firstThreadLimit?: number;
  numBuckets: number;
}

export function threadedLimits(
  mpm: 'worker' | 'event', raw: RawConfig, input: ThreadedCheckInput, log: CheckLog,
): ThreadedLimits {
  const ids = IDS[mpm];
  const serverLimit = clampServerLimit(raw.ServerLimit ?? defaultValue('ServerLimit', mpm), ids, input, log);
  const threadLimit = clampThreadLimit(raw.ThreadLimit ?? defaultValue('ThreadLimit', mpm), mpm, ids, input, log);
  let threads = raw.ThreadsPerChild ?? defaultValue('ThreadsPerChild', mpm);
  // pre_config: max_workers = DEFAULT_SERVER_LIMIT × DEFAULT_THREADS_PER_CHILD (400), whatever else is configured
  let maxWorkers = raw.MaxRequestWorkers ?? defaultValue('MaxRequestWorkers', mpm);
  let toStart = raw.StartServers ?? defaultValue('StartServers', mpm);
  let minSpare = raw.MinSpareThreads ?? defaultValue('MinSpareThreads', mpm);
  let maxSpare = raw.MaxSpareThreads ?? defaultValue('MaxSpareThreads', mpm);

  // 3. ThreadsPerChild within 1..ThreadLimit
  if (threads > threadLimit) {
    log.fix('ThreadsPerChild', ids.threadsHigh,
      `WARNING: ThreadsPerChild of ${threads} exceeds ThreadLimit of ${threadLimit} threads, decreasing to `
      + `${threadLimit}. To increase, please see the ThreadLimit directive.`,
      `ThreadsPerChild of ${threads} exceeds ThreadLimit of ${threadLimit}, decreasing to match`);
    threads = threadLimit;
  } else if (threads < 1) {
    threads = log.raiseToOne('ThreadsPerChild', ids.threadsLow, threads);
  }

  // 4. at least one full child's worth of threads
  if (maxWorkers < threads) {
    log.fix('MaxRequestWorkers', ids.workersBelowThreads,
      `WARNING: MaxRequestWorkers of ${maxWorkers} is less than ThreadsPerChild of ${threads}, increasing to `
      + `${threads}. MaxRequestWorkers must be at least as large as the number of threads in a single server.`,
      `MaxRequestWorkers of ${maxWorkers} is less than ThreadsPerChild of ${threads}, increasing to match`);
    maxWorkers = threads;
  }

  // 5. whole children only: round MaxRequestWorkers down to a multiple of ThreadsPerChild
  let daemonsLimit = Math.floor(maxWorkers / threads);
  if (maxWorkers % threads !== 0) {
    const rounded = daemonsLimit * threads;
    log.fix('MaxRequestWorkers', ids.workersNotMultiple,
      `WARNING: MaxRequestWorkers of ${maxWorkers} is not an integer multiple of ThreadsPerChild of ${threads}, `
      + `decreasing to nearest multiple ${rounded}, for a maximum of ${daemonsLimit} servers.`,
      `MaxRequestWorkers of ${maxWorkers} is not an integer multiple of ThreadsPerChild of ${threads}, `
      + `decreasing to nearest multiple ${rounded}`);
    maxWorkers = rounded;
  }

  // 6. the scoreboard has ServerLimit process slots. httpd lowers only the
  //    process limit here; max_workers keeps its value (spec §5.3 step 6).
  if (daemonsLimit > serverLimit) {
    const capped = serverLimit * threads;
    log.fix('MaxRequestWorkers', ids.workersOverServerLimit,
      `WARNING: MaxRequestWorkers of ${maxWorkers} would require ${daemonsLimit} servers and would exceed `
      + `ServerLimit of ${serverLimit}, decreasing to ${capped}. To increase, please see the ServerLimit directive.`,
      `MaxRequestWorkers of ${maxWorkers} would require ${daemonsLimit} servers and exceed ServerLimit of `
      + `${serverLimit}, decreasing to ${capped}`);
    daemonsLimit = serverLimit;
  }

  // 7. StartServers and MinSpareThreads at least 1
  if (toStart < 1) {
    toStart = log.raiseToOne('StartServers', ids.startServersLow, toStart);
  }
  if (minSpare < 1) {
    minSpare = log.raiseToOne('MinSpareThreads', ids.minSpareLow, minSpare, true);
  }

  // 8. worker_run / event_run, silently: a child per bucket, and MaxSpareThreads a
  //    whole child (+1 thread per bucket) above MinSpareThreads, so that starting
  //    one child never immediately makes the threads "too many" again
  const b = input.numBuckets;
  if (daemonsLimit < b) daemonsLimit = b;
  if (toStart < b) toStart = b;
  if (minSpare < threads * (b - 1) + b) minSpare = threads * (b - 1) + b;
  if (maxSpare < minSpare + (threads + 1) * b) maxSpare = minSpare + (threads + 1) * b;
  const startServers = Math.min(toStart, daemonsLimit); // remaining_children_to_start

  return {
    serverLimit, threadLimit, threadsPerChild: threads, maxWorkers, daemonsLimit, startServers,
    minSpareThreads: minSpare, maxSpareThreads: maxSpare,
  };
}

/** Steps 1–2: ServerLimit within 1..20000, and fixed after the first start. */
function clampServerLimit(value: number, ids: ThreadedIds, input: ThreadedCheckInput, log: CheckLog): number {
  let serverLimit = value;
  const max = THREADED_MAX_SERVER_LIMIT;
  if (serverLimit > max) {
    log.fix('ServerLimit', ids.serverLimitHigh,
      `WARNING: ServerLimit of ${serverLimit} exceeds compile-time limit of ${max} servers, decreasing to ${max}.`,
      `ServerLimit of ${serverLimit} exceeds compile-time limit of ${max}, decreasing to match`);
    serverLimit = max;
  } else if (serverLimit < 1) {
    serverLimit = log.raiseToOne('ServerLimit', ids.serverLimitLow, serverLimit);
  }
  const first = input.firstServerLimit;
  if (first && serverLimit !== first) {
    log.restartOnly('ServerLimit', ids.serverLimitRestart,
      `changing ServerLimit to ${serverLimit} from original value of ${first} not allowed during restart`);
    serverLimit = first;
  }
  return serverLimit;
}

/** Step 2b: ThreadLimit within 1..MAX_THREAD_LIMIT, and fixed after the first start. */
function clampThreadLimit(
  value: number, mpm: 'worker' | 'event', ids: ThreadedIds, input: ThreadedCheckInput, log: CheckLog,
): number {
  let threadLimit = value;
  const max = MAX_THREAD_LIMIT[mpm];
  if (threadLimit > max) {
    log.fix('ThreadLimit', ids.threadLimitHigh,
      `WARNING: ThreadLimit of ${threadLimit} exceeds compile-time limit of ${max} threads, decreasing to ${max}.`,
      `ThreadLimit of ${threadLimit} exceeds compile-time limit of ${max}, decreasing to match`);
    threadLimit = max;
  } else if (threadLimit < 1) {
    threadLimit = log.raiseToOne('ThreadLimit', ids.threadLimitLow, threadLimit);
  }
  const first = input.firstThreadLimit;
  if (first && threadLimit !== first) {
    log.restartOnly('ThreadLimit', ids.threadLimitRestart,
      `changing ThreadLimit to ${threadLimit} from original value of ${first} not allowed during restart`);
    threadLimit = first;
  }
  return threadLimit;
}
