// netware's perform_idle_server_maintenance (mpm_netware.c) as a pure function:
// prefork's algorithm applied to the threads of the one server process. Too
// many idle: the last live thread is marked I (it ends when next idle); too
// few: start min(rate, free entries) threads, the rate doubling up to 64.
import { SERVER_DEAD, SERVER_IDLE_KILL, SERVER_READY, type ServerStatus } from '../scoreboard.js';

export const NETWARE_MAX_SPAWN_RATE = 64;

export interface NetwareRetained {
  idleSpawnRate: number;
  /** ap_max_workers_limit: one past the highest thread entry in use */
  maxWorkersLimit: number;
  holdOffOnExponentialSpawning: number;
  maxclientsReported: boolean;
}

export function initialNetwareRetained(): NetwareRetained {
  return { idleSpawnRate: 1, maxWorkersLimit: 0, holdOffOnExponentialSpawning: 0, maxclientsReported: false };
}

export interface NetwareInput {
  /** one status per thread entry, MaxThreads long */
  statuses: readonly ServerStatus[];
  minSpareThreads: number;
  maxSpareThreads: number;
}

export interface NetwareResult {
  /** the thread entry to mark I, or -1 */
  idleKill: number;
  /** start a thread in each of these entries */
  spawn: number[];
  logs: { ah: string; level: 'error' | 'info'; text: string }[];
  retained: NetwareRetained;
}

export function performIdleServerMaintenance(input: NetwareInput, prev: NetwareRetained): NetwareResult {
  const retained = { ...prev };
  const free: number[] = [];
  let idle = 0;
  let lastNonDead = -1;
  let totalNonDead = 0;
  for (let i = 0; i < input.statuses.length; i++) {
    if (i >= retained.maxWorkersLimit && free.length === retained.idleSpawnRate) break;
    const status = input.statuses[i];
    if (status === SERVER_DEAD) {
      if (free.length < retained.idleSpawnRate) free.push(i);
    } else if (status === SERVER_IDLE_KILL) {
      continue; // already marked to die
    } else {
      // a starting thread counts as idle: more would only swamp things
      if (status <= SERVER_READY) idle++;
      totalNonDead++;
      lastNonDead = i;
    }
  }
  retained.maxWorkersLimit = lastNonDead + 1;
  const result: NetwareResult = { idleKill: -1, spawn: [], logs: [], retained };
  if (idle > input.maxSpareThreads) {
    retained.idleSpawnRate = 1;
    result.idleKill = lastNonDead;
  } else if (idle < input.minSpareThreads) {
    if (free.length === 0) {
      if (!retained.maxclientsReported) {
        result.logs.push({ ah: 'AH00220', level: 'error', text: 'server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting' });
        retained.maxclientsReported = true;
      }
      retained.idleSpawnRate = 1;
    } else {
      if (retained.idleSpawnRate >= 8) {
        // (sic: prefork's wording, and the rate rather than the number started)
        result.logs.push({
          ah: 'AH00221',
          level: 'info',
          text: `server seems busy, (you may need to increase StartServers, or Min/MaxSpareServers), spawning ${retained.idleSpawnRate} children, there are ${idle} idle, and ${totalNonDead} total children`,
        });
      }
      result.spawn = free;
      if (retained.holdOffOnExponentialSpawning) retained.holdOffOnExponentialSpawning--;
      else if (retained.idleSpawnRate < NETWARE_MAX_SPAWN_RATE) retained.idleSpawnRate *= 2;
    }
  } else {
    retained.idleSpawnRate = 1;
  }
  return result;
}
