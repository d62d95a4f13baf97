// prefork's process limits: prefork_check_config (server/mpm/prefork/prefork.c)
// followed by the silent fixes at the top of prefork_run. Spec §5.2.

import type { CheckLog } from './check-log.js';
import { defaultValue } from './directives.js';
import type { RawConfig } from './load.js';

/** MAX_SERVER_LIMIT in prefork.c: the scoreboard cannot grow beyond this. */
export const PREFORK_MAX_SERVER_LIMIT = 200000;

export interface PreforkLimits {
  serverLimit: number;
  /** ap_daemons_limit: MaxRequestWorkers, which for prefork is also the process limit */
  daemonsLimit: number;
  startServers: number;
  minSpareServers: number;
  maxSpareServers: number;
}

export interface PreforkCheckInput {
  /** ServerLimit of the first start (retained->first_server_limit); absent on the first start */
  firstServerLimit?: number;
  /** listener buckets (ListenCoresBucketsRatio); 1 unless the caller emulates several */
  numBuckets: number;
}

export function preforkLimits(raw: RawConfig, input: PreforkCheckInput, log: CheckLog): PreforkLimits {
  let serverLimit = raw.ServerLimit ?? defaultValue('ServerLimit', 'prefork');
  // pre_config sets ap_daemons_limit = DEFAULT_SERVER_LIMIT (256), not the configured ServerLimit
  let daemonsLimit = raw.MaxRequestWorkers ?? defaultValue('MaxRequestWorkers', 'prefork');
  let toStart = raw.StartServers ?? defaultValue('StartServers', 'prefork');
  let minFree = raw.MinSpareServers ?? defaultValue('MinSpareServers', 'prefork');
  let maxFree = raw.MaxSpareServers ?? defaultValue('MaxSpareServers', 'prefork');
  const max = PREFORK_MAX_SERVER_LIMIT;

  // 1. ServerLimit within 1..MAX_SERVER_LIMIT
  if (serverLimit > max) {
    log.fix('ServerLimit', ['AH00175', 'AH00176'],
      `WARNING: ServerLimit of ${serverLimit} exceeds compile-time limit of ${max} servers, decreasing to ${max}.`,
      `ServerLimit of ${serverLimit} exceeds compile-time limit of ${max}, decreasing to match`);
    serverLimit = max;
  } else if (serverLimit < 1) {
    serverLimit = log.raiseToOne('ServerLimit', ['AH00177', 'AH00178'], serverLimit);
  }

  // 2. the scoreboard was sized at the first start: a new ServerLimit waits for a full stop
  const first = input.firstServerLimit;
  if (first && serverLimit !== first) {
    log.restartOnly('ServerLimit', 'AH00179',
      `changing ServerLimit to ${serverLimit} from original value of ${first} not allowed during restart`);
    serverLimit = first;
  }

  // 3. MaxRequestWorkers within 1..ServerLimit
  if (daemonsLimit > serverLimit) {
    log.fix('MaxRequestWorkers', ['AH00180', 'AH00181'],
      `WARNING: MaxRequestWorkers of ${daemonsLimit} exceeds ServerLimit value of ${serverLimit} servers, `
      + `decreasing MaxRequestWorkers to ${serverLimit}. To increase, please see the ServerLimit directive.`,
      `MaxRequestWorkers of ${daemonsLimit} exceeds ServerLimit value of ${serverLimit}, decreasing to match`);
    daemonsLimit = serverLimit;
  } else if (daemonsLimit < 1) {
    daemonsLimit = log.raiseToOne('MaxRequestWorkers', ['AH00182', 'AH00183'], daemonsLimit);
  }

  // 4. StartServers and MinSpareServers at least 1
  if (toStart < 1) {
    toStart = log.raiseToOne('StartServers', ['AH00184', 'AH00185'], toStart);
  }
  if (minFree < 1) {
    minFree = log.raiseToOne('MinSpareServers', ['AH00186', 'AH00187'], minFree, true);
  }

  // 5. prefork_run, silently: each bucket needs a child, and MaxSpareServers must
  //    leave room above MinSpareServers or maintenance would spawn and kill forever
  const b = input.numBuckets;
  if (daemonsLimit < b) daemonsLimit = b;
  if (toStart < b) toStart = b;
  if (minFree < b) minFree = b;
  if (maxFree < minFree + b) maxFree = minFree + b;
  // remaining_children_to_start is capped at ap_daemons_limit
  const startServers = Math.min(toStart, daemonsLimit);

  return { serverLimit, daemonsLimit, startServers, minSpareServers: minFree, maxSpareServers: maxFree };
}
