// worker's idle-thread maintenance (worker.c perform_idle_server_maintenance,
// one bucket), as a pure function: (scoreboard, config, retained) → actions.
// Run by the parent once per quiet second.
import { SERVER_DEAD, SERVER_GRACEFUL, SERVER_READY } from '../scoreboard.js';
import {
  MAX_SPAWN_RATE,
  capLog,
  growSpawnRate,
  sickChildCheck,
  type ThreadedMaintenanceInput,
  type ThreadedMaintenanceResult,
  type ThreadedRetained,
} from '../threaded/slots.js';

export function performIdleServerMaintenance(input: ThreadedMaintenanceInput, prev: ThreadedRetained): ThreadedMaintenanceResult {
  const retained = { ...prev };
  const freeSlots: number[] = [];
  let totallyFreeLength = 0;
  let idleThreadCount = 0;
  let activeThreadCount = 0;
  let lastNonDead = -1;
  let totalNonDead = 0;
  let cappedOut = false;

  for (let i = 0; i < input.daemonsLimit; i++) {
    // short cut once every process has been seen and enough empty slots found
    if (i >= retained.maxDaemonsLimit && totallyFreeLength === retained.idleSpawnRate) break;
    const ps = input.slots[i];
    let anyDyingThreads = false;
    let anyDeadThreads = false;
    let allDeadThreads = true;
    let childThreadsActive = 0;
    for (let j = 0; j < input.threadsPerChild; j++) {
      const status = ps?.statuses[j] ?? SERVER_DEAD;
      anyDyingThreads ||= status === SERVER_GRACEFUL;
      anyDeadThreads ||= status === SERVER_DEAD;
      allDeadThreads &&= status === SERVER_DEAD || status === SERVER_GRACEFUL;
      if (ps && ps.pid !== 0) {
        // a starting thread counts as idle: forking more while it starts would only swamp things
        if (status <= SERVER_READY && !ps.quiescing && ps.generation === input.generation) idleThreadCount++;
        if (status >= SERVER_READY && status < SERVER_GRACEFUL) childThreadsActive++;
      }
    }
    activeThreadCount += childThreadsActive;
    const pid = ps?.pid ?? 0;
    if (anyDeadThreads && totallyFreeLength < retained.idleSpawnRate && freeSlots.length < MAX_SPAWN_RATE && (pid === 0 || ps!.quiescing)) {
      if (i >= input.processCap) {
        cappedOut = true;
      } else if (allDeadThreads) {
        // preferred: a new process can start all its threads at once here, so
        // it goes ahead of slots whose old process still has busy threads
        if (totallyFreeLength === freeSlots.length) freeSlots.push(i);
        else {
          freeSlots.push(freeSlots[totallyFreeLength]);
          freeSlots[totallyFreeLength] = i;
        }
        totallyFreeLength++;
      } else {
        // still in use by a quiescing process: back of the bus
        freeSlots.push(i);
      }
    } else if (childThreadsActive === input.threadsPerChild) {
      retained.hadHealthyChild = true;
    }
    if (!anyDyingThreads) totalNonDead++;
    if (pid !== 0) lastNonDead = i;
  }
  retained.maxDaemonsLimit = lastNonDead + 1;

  const result: ThreadedMaintenanceResult = { killOne: false, spawnSlots: [], giveUp: false, quiescingCounted: [], logs: [], idleThreadCount, activeThreadCount, retained };

  const sick = sickChildCheck(retained, 'AH02325');
  if (sick) {
    result.giveUp = true;
    result.logs.push(sick);
    return result;
  }

  if (idleThreadCount > input.maxSpareThreads) {
    // one child stops gracefully, in case it picked up a connection while we counted
    result.killOne = true;
    retained.idleSpawnRate = 1;
  } else if (idleThreadCount < input.minSpareThreads) {
    if (freeSlots.length === 0) {
      // the scoreboard is full: nothing can be forked
      if (cappedOut) {
        if (!retained.capReported) result.logs.push(capLog(input.processCap, input.daemonsLimit));
        retained.capReported = true;
      } else if (activeThreadCount >= input.maxWorkers) {
        if (idleThreadCount === 0) {
          if (!retained.maxclientsReported) {
            result.logs.push({ ah: 'AH00286', level: 'error', text: 'server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting' });
            retained.maxclientsReported = true;
          }
        } else if (!retained.nearMaxclientsReported) {
          result.logs.push({ ah: 'AH00287', level: 'error', text: 'server is within MinSpareThreads of MaxRequestWorkers, consider raising the MaxRequestWorkers setting' });
          retained.nearMaxclientsReported = true;
        }
      } else {
        result.logs.push({ ah: 'AH00288', level: 'error', text: 'scoreboard is full, not at MaxRequestWorkers' });
      }
      retained.idleSpawnRate = 1;
    } else {
      const n = Math.min(freeSlots.length, retained.idleSpawnRate);
      if (retained.idleSpawnRate >= 8) {
        result.logs.push({
          ah: 'AH00289',
          level: 'info',
          text:
            'server seems busy, (you may need to increase StartServers, ThreadsPerChild or Min/MaxSpareThreads), ' +
            `spawning ${n} children, there are around ${idleThreadCount} idle threads, and ${totalNonDead} total children`,
        });
      }
      result.spawnSlots = freeSlots.slice(0, n);
      growSpawnRate(retained);
    }
  } else {
    retained.idleSpawnRate = 1;
  }
  return result;
}
