// prefork's idle-server maintenance (prefork.c perform_idle_server_maintenance),
// as a pure function: (scoreboard statuses, config, retained state) → actions.
// The parent runs it once per quiet second and carries out what it returns.
import { SERVER_DEAD, SERVER_READY, type ServerStatus } from '../scoreboard.js';

export const MAX_SPAWN_RATE = 32;

/** prefork_retained_data: what survives between passes (and restarts). */
export interface PreforkRetained {
  idleSpawnRate: number;
  /** one past the highest slot ever seen alive: bounds the scan */
  maxDaemonsLimit: number;
  holdOffOnExponentialSpawning: number;
  maxclientsReported: boolean;
  /** MPM Lab's own process cap reported (same once-only rule as AH00161) */
  capReported: boolean;
}

export function initialRetained(): PreforkRetained {
  return { idleSpawnRate: 1, maxDaemonsLimit: 0, holdOffOnExponentialSpawning: 0, maxclientsReported: false, capReported: false };
}

export interface MaintenanceInput {
  /** status of each process slot (thread 0), index = slot */
  statuses: readonly ServerStatus[];
  /** ap_daemons_limit = MaxRequestWorkers */
  daemonsLimit: number;
  minSpareServers: number;
  maxSpareServers: number;
  /** MPM Lab's hard cap on child processes; slots at or past it are never used */
  processCap: number;
}

export type MaintenanceLog =
  | { ah: 'AH00161'; level: 'error'; text: string }
  | { ah: 'AH00162'; level: 'info'; text: string }
  | { ah: ''; level: 'error'; text: string };

export interface MaintenanceResult {
  /** signal the pipe of death once: one child (normally the longest-idle) exits */
  killOne: boolean;
  /** fork one child into each of these slots, lowest first */
  spawnSlots: number[];
  logs: MaintenanceLog[];
  idleCount: number;
  totalNonDead: number;
  retained: PreforkRetained;
}

export function performIdleServerMaintenance(input: MaintenanceInput, prev: PreforkRetained): MaintenanceResult {
  const retained = { ...prev };
  const freeSlots: number[] = [];
  let idleCount = 0;
  let lastNonDead = -1;
  let totalNonDead = 0;

  for (let i = 0; i < input.daemonsLimit; i++) {
    if (i >= retained.maxDaemonsLimit && freeSlots.length === retained.idleSpawnRate) break;
    const status = input.statuses[i] ?? SERVER_DEAD;
    if (status === SERVER_DEAD) {
      // try to keep children numbers as low as possible; slots past the lab's
      // process cap are never offered
      if (freeSlots.length < retained.idleSpawnRate && i < input.processCap) freeSlots.push(i);
    } else {
      // A starting child counts as idle: it was forked at least a pass ago, and
      // forking more while it starts would only swamp things worse.
      if (status <= SERVER_READY) idleCount++;
      totalNonDead++;
      lastNonDead = i;
    }
  }
  retained.maxDaemonsLimit = lastNonDead + 1;

  const result: MaintenanceResult = { killOne: false, spawnSlots: [], logs: [], idleCount, totalNonDead, retained };

  if (idleCount > input.maxSpareServers) {
    // kill off one child via the pod, so it shuts down gracefully in case it
    // picked up a request while we were counting
    result.killOne = true;
    retained.idleSpawnRate = 1;
  } else if (idleCount < input.minSpareServers) {
    if (freeSlots.length === 0) {
      if (input.processCap < input.daemonsLimit && totalNonDead < input.daemonsLimit) {
        if (!retained.capReported) {
          result.logs.push({
            ah: '',
            level: 'error',
            text: `MPM Lab: server reached its process cap of ${input.processCap} (--max-processes) before MaxRequestWorkers ${input.daemonsLimit}; raise --max-processes to allow more children`,
          });
          retained.capReported = true;
        }
      } else if (!retained.maxclientsReported) {
        // only report this condition once per parent lifetime
        result.logs.push({
          ah: 'AH00161',
          level: 'error',
          text: 'server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting',
        });
        retained.maxclientsReported = true;
      }
      retained.idleSpawnRate = 1;
    } else {
      if (retained.idleSpawnRate >= 8) {
        result.logs.push({
          ah: 'AH00162',
          level: 'info',
          text:
            'server seems busy, (you may need to increase StartServers, or Min/MaxSpareServers), ' +
            `spawning ${retained.idleSpawnRate} children, there are ${idleCount} idle, and ${totalNonDead} total children`,
        });
      }
      result.spawnSlots = freeSlots;
      // the next time around spawn twice as many if this wasn't good enough,
      // but not right after a graceful restart
      if (retained.holdOffOnExponentialSpawning > 0) {
        retained.holdOffOnExponentialSpawning--;
      } else if (retained.idleSpawnRate < MAX_SPAWN_RATE) {
        retained.idleSpawnRate = Math.min(retained.idleSpawnRate * 2, MAX_SPAWN_RATE);
      }
    }
  } else {
    retained.idleSpawnRate = 1;
  }
  return result;
}
