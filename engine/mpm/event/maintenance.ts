// event's idle-thread maintenance (event.c perform_idle_server_maintenance,
// one bucket), as a pure function. Unlike worker it scans every ServerLimit
// slot, only forks into a slot with no process, caps *active* processes at
// MaxRequestWorkers/ThreadsPerChild (stopping ones may use the other slots) and
// stops a child only when none is already stopping, or the scoreboard has room.
import { SERVER_GRACEFUL, SERVER_READY } from '../scoreboard.js';
import {
  capLog,
  growSpawnRate,
  sickChildCheck,
  type ThreadedMaintenanceInput,
  type ThreadedMaintenanceResult,
  type ThreadedRetained,
} from '../threaded/slots.js';

export function performIdleServerMaintenance(input: ThreadedMaintenanceInput, prev: ThreadedRetained): ThreadedMaintenanceResult {
  const retained = { ...prev };
  const result: ThreadedMaintenanceResult = { killOne: false, spawnSlots: [], giveUp: false, quiescingCounted: [], logs: [], idleThreadCount: 0, activeThreadCount: 0, retained };
  const freeSlots: number[] = [];
  let idleThreadCount = 0;
  let activeThreadCount = 0;
  let lastNonDead = -1;
  let cappedOut = false;

  // retained->total_daemons / active_daemons: live processes, and those not stopping
  let totalDaemons = 0;
  let activeDaemons = 0;
  for (const ps of input.slots) {
    if (!ps.pid) continue;
    totalDaemons++;
    if (ps.quiescing !== 2) activeDaemons++;
  }

  for (let i = 0; i < input.serverLimit; i++) {
    if (i >= retained.maxDaemonsLimit && freeSlots.length === retained.idleSpawnRate) break;
    const ps = input.slots[i];
    if (ps && ps.pid !== 0) {
      if (ps.quiescing === 1) {
        // first time the parent sees this child stopping: it no longer counts as active
        result.quiescingCounted.push(i);
        activeDaemons--;
        result.logs.push({
          ah: '',
          level: 'debug',
          src: 'event.c(2937)',
          text: `Child ${i} quiescing: pid ${ps.pid}, gen ${ps.generation}, active ${activeDaemons}/${input.daemonsLimit}, total ${totalDaemons}/${retained.maxDaemonsLimit}/${input.serverLimit}`,
        });
      }
      let childThreadsActive = 0;
      for (let j = 0; j < input.threadsPerChild; j++) {
        const status = ps.statuses[j];
        if (status <= SERVER_READY && !ps.quiescing && !ps.notAccepting && ps.generation === input.generation) idleThreadCount++;
        if (status >= SERVER_READY && status < SERVER_GRACEFUL) childThreadsActive++;
      }
      activeThreadCount += childThreadsActive;
      if (childThreadsActive === input.threadsPerChild) retained.hadHealthyChild = true;
      lastNonDead = i;
    } else if (freeSlots.length < retained.idleSpawnRate) {
      if (i < input.processCap) freeSlots.push(i);
      else cappedOut = true;
    }
  }
  if (retained.maxDaemonsLimit < lastNonDead + 1) retained.maxDaemonsLimit = lastNonDead + 1;
  result.idleThreadCount = idleThreadCount;
  result.activeThreadCount = activeThreadCount;

  const sick = sickChildCheck(retained, 'AH02324');
  if (sick) {
    result.giveUp = true;
    result.logs.push(sick);
    return result;
  }

  if (idleThreadCount > input.maxSpareThreads) {
    // Children asked to stop may linger while they finish; don't stop more
    // while some are still stopping, unless the scoreboard has room to spare.
    const doKill = activeDaemons === totalDaemons || input.serverLimit - totalDaemons > input.daemonsLimit;
    result.logs.push({
      ah: '',
      level: 'trace5',
      src: 'event.c(3027)',
      text:
        `${doKill ? 'S' : 'Not s'}hutting down one child: active ${activeDaemons}/${input.daemonsLimit}, ` +
        `total ${totalDaemons}/${retained.maxDaemonsLimit}/${input.serverLimit}, idle threads ${idleThreadCount}, max workers ${input.maxWorkers}`,
    });
    result.killOne = doKill;
    retained.idleSpawnRate = 1;
  } else if (idleThreadCount < input.minSpareThreads) {
    if (activeThreadCount >= input.maxWorkers) {
      if (idleThreadCount === 0) {
        if (!retained.maxclientsReported) {
          result.logs.push({ ah: 'AH00484', level: 'error', text: 'server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting' });
          retained.maxclientsReported = true;
        }
      } else if (!retained.nearMaxclientsReported) {
        result.logs.push({ ah: 'AH10159', level: 'error', text: 'server is within MinSpareThreads of MaxRequestWorkers, consider raising the MaxRequestWorkers setting' });
        retained.nearMaxclientsReported = true;
      }
      retained.idleSpawnRate = 1;
    } else if (freeSlots.length === 0) {
      if (cappedOut) {
        if (!retained.capReported) result.logs.push(capLog(input.processCap, input.daemonsLimit));
        retained.capReported = true;
      } else {
        // (sic: no space after the period, as in event.c)
        result.logs.push({ ah: 'AH03490', level: 'error', text: 'scoreboard is full, not at MaxRequestWorkers.Increase ServerLimit.' });
      }
      retained.idleSpawnRate = 1;
    } else {
      let n = Math.min(freeSlots.length, retained.idleSpawnRate);
      if (n + activeDaemons > input.daemonsLimit) {
        if (activeDaemons < input.daemonsLimit) {
          n = input.daemonsLimit - activeDaemons;
        } else {
          result.logs.push({
            ah: '',
            level: 'trace1',
            src: 'event.c(3081)',
            text: `server is at active daemons limit, spawning of ${n} children cancelled: active ${activeDaemons}/${input.daemonsLimit}, total ${totalDaemons}/${retained.maxDaemonsLimit}/${input.serverLimit}, rate ${retained.idleSpawnRate}`,
          });
          // reset the spawning rate and keep it from growing below
          retained.idleSpawnRate = 1;
          retained.holdOffOnExponentialSpawning++;
          n = 0;
        }
      }
      if (retained.idleSpawnRate >= 8) {
        result.logs.push({
          ah: 'AH00486',
          level: 'info',
          text:
            'server seems busy, (you may need to increase StartServers, ThreadsPerChild or Min/MaxSpareThreads), ' +
            `spawning ${n} children, there are around ${idleThreadCount} idle threads, ${activeDaemons} active children, and ${totalDaemons} children that are shutting down`,
        });
      }
      result.spawnSlots = freeSlots.slice(0, n);
      if (result.spawnSlots.length && retained.maxDaemonsLimit < result.spawnSlots[n - 1] + 1) retained.maxDaemonsLimit = result.spawnSlots[n - 1] + 1;
      growSpawnRate(retained);
    }
  } else {
    retained.idleSpawnRate = 1;
  }
  return result;
}
