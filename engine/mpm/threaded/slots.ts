// What worker's and event's idle-thread maintenance read from the scoreboard
// and keep between passes (worker.c / event.c retained data), shared by both.
import type { ServerStatus } from '../scoreboard.js';

export const MAX_SPAWN_RATE = 32;

/** One scoreboard process slot as the parent sees it. */
export interface ThreadedSlot {
  /** 0: no process in the slot */
  pid: number;
  generation: number;
  /** 0 running; 1 the child started its graceful stop; 2 the parent has counted that (event) */
  quiescing: 0 | 1 | 2;
  /** event: the child disabled listening (all workers busy / too many connections) */
  notAccepting: boolean;
  /** one status per thread, ThreadsPerChild long */
  statuses: readonly ServerStatus[];
}

export interface ThreadedRetained {
  idleSpawnRate: number;
  /** worker: max_daemons_limit, event: max_daemon_used — one past the highest slot in use */
  maxDaemonsLimit: number;
  holdOffOnExponentialSpawning: number;
  maxclientsReported: boolean;
  nearMaxclientsReported: boolean;
  /** a child exited APEXIT_CHILDSICK (or a fatal of an older generation) */
  sickChildDetected: boolean;
  /** some child once had all its threads started (a file-level static in httpd) */
  hadHealthyChild: boolean;
  /** MPM Lab's process cap reported (once, like AH00286) */
  capReported: boolean;
}

export function initialThreadedRetained(): ThreadedRetained {
  return {
    idleSpawnRate: 1,
    maxDaemonsLimit: 0,
    holdOffOnExponentialSpawning: 0,
    maxclientsReported: false,
    nearMaxclientsReported: false,
    sickChildDetected: false,
    hadHealthyChild: false,
    capReported: false,
  };
}

export interface ThreadedMaintenanceInput {
  slots: readonly ThreadedSlot[];
  /** MaxRequestWorkers / ThreadsPerChild: worker's ap_daemons_limit, event's active_daemons_limit */
  daemonsLimit: number;
  serverLimit: number;
  threadsPerChild: number;
  minSpareThreads: number;
  maxSpareThreads: number;
  /** MaxRequestWorkers */
  maxWorkers: number;
  /** the parent's my_generation */
  generation: number;
  /** MPM Lab's hard cap on child processes (threads included): slots at or past it are never used */
  processCap: number;
}

export interface ThreadedLog {
  ah: string;
  level: 'alert' | 'error' | 'info' | 'debug' | 'trace1' | 'trace5';
  text: string;
  /** where httpd logs it ("event.c(2937)"), printed at debug and trace levels */
  src?: string;
}

export interface ThreadedMaintenanceResult {
  /** write one graceful '!' into the pipe of death: one child stops gracefully */
  killOne: boolean;
  /** fork a child into each of these slots, in this order */
  spawnSlots: number[];
  /** AH02324/AH02325: no child ever started properly after a sick one; the server stops */
  giveUp: boolean;
  /** event: slots whose quiescing the parent has now counted (1 → 2) */
  quiescingCounted: number[];
  logs: ThreadedLog[];
  idleThreadCount: number;
  activeThreadCount: number;
  retained: ThreadedRetained;
}

/** The lab's own cap, reported once when it (not MaxRequestWorkers) is what stops a spawn. */
export function capLog(processCap: number, daemonsLimit: number): ThreadedLog {
  return {
    ah: '',
    level: 'error',
    text: `MPM Lab: server reached its process cap of ${processCap} (--max-processes, --max-threads) before MaxRequestWorkers allows ${daemonsLimit} children; raise the cap to allow more`,
  };
}

/** The sick-child check both MPMs run before deciding (worker AH02325, event AH02324). */
export function sickChildCheck(retained: ThreadedRetained, ah: string): ThreadedLog | null {
  if (!retained.sickChildDetected) return null;
  if (retained.hadHealthyChild) {
    // assume a transient error: leave the server up
    retained.sickChildDetected = false;
    return null;
  }
  return {
    ah,
    level: 'alert',
    text: 'A resource shortage or other unrecoverable failure was encountered before any child process initialized successfully... httpd is exiting!',
  };
}

/** After a spawn: the next time around twice as many, but not right after a graceful restart. */
export function growSpawnRate(retained: ThreadedRetained): void {
  if (retained.holdOffOnExponentialSpawning > 0) retained.holdOffOnExponentialSpawning--;
  else if (retained.idleSpawnRate < MAX_SPAWN_RATE) retained.idleSpawnRate *= 2;
}
