// The platform MPMs' check_config (server/mpm/winnt/mpm_winnt.c,
// netware/mpm_netware.c, mpmt_os2/mpmt_os2.c), as far as MPM Lab models them:
// their clamps with their own ids and wording, then the silent fixes of their
// run functions. Each maps onto the same EffectiveConfig fields as the Unix MPMs.

import type { CheckLog } from './check-log.js';
import { defaultValue } from './directives.js';
import type { RawConfig } from './load.js';

export interface PlatformLimits {
  serverLimit: number;
  threadLimit: number;
  /** scoreboard width per process: winnt ThreadsPerChild, netware MaxThreads, mpmt_os2 HARD_THREAD_LIMIT */
  threadsPerChild: number;
  /** the most threads serving at once */
  maxWorkers: number;
  processLimit: number;
  startServers: number;
  startThreads: number | null;
  minSpareThreads: number | null;
  maxSpareThreads: number | null;
}

/** winnt MAX_THREAD_LIMIT; netware HARD_THREAD_LIMIT; mpmt_os2 HARD_SERVER_LIMIT / HARD_THREAD_LIMIT */
export const WINNT_MAX_THREAD_LIMIT = 15000;
export const NETWARE_HARD_THREAD_LIMIT = 2048;
export const OS2_HARD_SERVER_LIMIT = 10;
export const OS2_HARD_THREAD_LIMIT = 256;

/** winnt: one child with a fixed pool of ThreadsPerChild threads (mpm_winnt.c winnt_check_config). */
export function winntLimits(raw: RawConfig, input: { firstThreadLimit?: number }, log: CheckLog): PlatformLimits {
  let threadLimit = raw.ThreadLimit ?? defaultValue('ThreadLimit', 'winnt');
  let threads = raw.ThreadsPerChild ?? defaultValue('ThreadsPerChild', 'winnt');
  const max = WINNT_MAX_THREAD_LIMIT;
  if (threadLimit > max) {
    log.fix('ThreadLimit', ['AH00439', 'AH00440'],
      `WARNING: ThreadLimit of ${threadLimit} exceeds compile-time limit of ${max} threads, decreasing to ${max}.`,
      `ThreadLimit of ${threadLimit} exceeds compile-time limit of ${max}, decreasing to match`);
    threadLimit = max;
  } else if (threadLimit < 1) {
    threadLimit = log.raiseToOne('ThreadLimit', ['AH00441', 'AH00442'], threadLimit);
  }
  const first = input.firstThreadLimit;
  if (first && threadLimit !== first) {
    log.restartOnly('ThreadLimit', 'AH00443', `changing ThreadLimit to ${threadLimit} from original value of ${first} not allowed during restart`);
    threadLimit = first;
  }
  if (threads > threadLimit) {
    log.fix('ThreadsPerChild', ['AH00444', 'AH00445'],
      `WARNING: ThreadsPerChild of ${threads} exceeds ThreadLimit of ${threadLimit} threads, decreasing to ${threadLimit}. `
      + 'To increase, please see the ThreadLimit directive.',
      `ThreadsPerChild of ${threads} exceeds ThreadLimit of ${threadLimit}, decreasing to match`);
    threads = threadLimit;
  } else if (threads < 1) {
    threads = log.raiseToOne('ThreadsPerChild', ['AH00446', 'AH00447'], threads);
  }
  return {
    serverLimit: 1, threadLimit, threadsPerChild: threads, maxWorkers: threads, processLimit: 1, startServers: 1,
    startThreads: null, minSpareThreads: null, maxSpareThreads: null,
  };
}

/** netware: one process whose thread pool grows and shrinks (mpm_netware.c netware_check_config + netware_run). */
export function netwareLimits(raw: RawConfig, log: CheckLog): PlatformLimits {
  let limit = raw.MaxThreads ?? defaultValue('MaxThreads', 'netware');
  let toStart = raw.StartThreads ?? defaultValue('StartThreads', 'netware');
  let minFree = raw.MinSpareThreads ?? defaultValue('MinSpareThreads', 'netware');
  let maxFree = raw.MaxSpareThreads ?? defaultValue('MaxSpareThreads', 'netware');
  const hard = NETWARE_HARD_THREAD_LIMIT;
  if (limit > hard) {
    log.fix('MaxThreads', ['AH00228', 'AH00229'],
      `WARNING: MaxThreads of ${limit} exceeds compile-time limit of ${hard} threads, decreasing to ${hard}. `
      + 'To increase, please see the HARD_THREAD_LIMIT define in server/mpm/netware/mpm_default.h.',
      `MaxThreads of ${limit} exceeds compile-time limit of ${hard}, decreasing to match`);
    limit = hard;
  } else if (limit < 1) {
    limit = log.raiseToOne('MaxThreads', ['AH00230', 'AH02661'], limit);
  }
  // (sic: only a negative StartThreads is raised; 0 starts none)
  if (toStart < 0) {
    toStart = log.raiseToOne('StartThreads', ['AH00231', 'AH00232'], toStart);
  }
  if (minFree < 1) {
    minFree = log.raiseToOne('MinSpareThreads', ['AH00233', 'AH00234'], minFree, true);
  }
  // netware_run, silently: don't thrash
  if (maxFree < minFree + 1) maxFree = minFree + 1;
  return {
    serverLimit: 1, threadLimit: limit, threadsPerChild: limit, maxWorkers: limit, processLimit: 1, startServers: 1,
    startThreads: Math.min(toStart, limit), minSpareThreads: minFree, maxSpareThreads: maxFree,
  };
}

/** mpmt_os2: StartServers children, each with its own self-sizing thread pool (mpmt_os2.c mpmt_os2_check_config). */
export function os2Limits(raw: RawConfig, log: CheckLog): PlatformLimits {
  let toStart = raw.StartServers ?? defaultValue('StartServers', 'mpmt_os2');
  let minSpare = raw.MinSpareThreads ?? defaultValue('MinSpareThreads', 'mpmt_os2');
  const maxSpare = raw.MaxSpareThreads ?? defaultValue('MaxSpareThreads', 'mpmt_os2');
  // (sic: only a negative StartServers is raised; 0 starts no child)
  if (toStart < 0) {
    toStart = log.raiseToOne('StartServers', ['AH00213', 'AH00214'], toStart);
  }
  if (minSpare < 1) {
    minSpare = log.raiseToOne('MinSpareThreads', ['AH00215', 'AH00216'], minSpare, true);
  }
  // the parent fills at most HARD_SERVER_LIMIT slots
  const processLimit = Math.min(toStart, OS2_HARD_SERVER_LIMIT);
  return {
    serverLimit: OS2_HARD_SERVER_LIMIT, threadLimit: OS2_HARD_THREAD_LIMIT, threadsPerChild: OS2_HARD_THREAD_LIMIT,
    maxWorkers: OS2_HARD_SERVER_LIMIT * OS2_HARD_THREAD_LIMIT, processLimit, startServers: processLimit,
    startThreads: null, minSpareThreads: minSpare, maxSpareThreads: maxSpare,
  };
}
