// PHP-FPM's process manager as pure decisions (sapi/fpm/fpm/fpm_process_ctl.c):
// what the master does once a second (fpm_pctl_perform_idle_server_maintenance)
// and, for ondemand, when a connection arrives (fpm_pctl_on_socket_accept). The
// pool executor forks and kills; these functions only say what to do, so each
// rule is a row in a table test.
import type { PoolConfig, PoolLog } from './pool-config.js';

export interface PoolChild {
  pid: number;
  /** when the process started (ms): the oldest idle one is the one to stop */
  started: number;
  idle: boolean;
  /** when it last finished a request, or started (ms) */
  lastActivity: number;
}

/** What the master keeps between passes (struct fpm_worker_pool_s). */
export interface PmState {
  idleSpawnRate: number;
  warnMaxChildren: boolean;
  /** the status page's "max children reached" */
  maxChildrenReached: number;
}

export interface PmDecision {
  spawn: number;
  /** the idle child to stop (SIGQUIT in php-fpm), or null */
  kill: number | null;
  logs: PoolLog[];
  state: PmState;
}

export const initialPmState = (): PmState => ({ idleSpawnRate: 1, warnMaxChildren: false, maxChildrenReached: 0 });

/** Children forked when the pool starts (fpm_children_create_initial). */
export function childrenAtStart(c: PoolConfig): number {
  return c.pm === 'static' ? c.maxChildren : c.pm === 'dynamic' ? c.startServers : 0;
}

/** The idle child started first ("last_idle_child" in php-fpm: the oldest by start time). */
function oldestIdle(children: readonly PoolChild[]): PoolChild | null {
  let oldest: PoolChild | null = null;
  for (const ch of children) if (ch.idle && (!oldest || ch.started < oldest.started)) oldest = ch;
  return oldest;
}

/** One pass of the once-a-second maintenance. `nowMs` is the master's clock. */
export function performIdleServerMaintenance(c: PoolConfig, st: PmState, children: readonly PoolChild[], nowMs: number): PmDecision {
  const state = { ...st };
  const logs: PoolLog[] = [];
  const idle = children.filter((ch) => ch.idle).length;
  const running = children.length;
  const last = oldestIdle(children);
  const none = (): PmDecision => ({ spawn: 0, kill: null, logs, state });

  if (c.pm === 'ondemand') {
    // whole seconds, as php-fpm compares tv_sec
    if (last && Math.floor(last.lastActivity / 1000) < Math.floor(nowMs / 1000) - c.processIdleTimeoutS) return { spawn: 0, kill: last.pid, logs, state };
    return none();
  }
  if (c.pm !== 'dynamic') return none();

  if (idle > c.maxSpareServers && last) {
    state.idleSpawnRate = 1;
    return { spawn: 0, kill: last.pid, logs, state };
  }
  if (idle < c.minSpareServers) {
    const reached = () => {
      if (!state.warnMaxChildren) {
        state.maxChildrenReached++;
        logs.push({ level: 'WARNING', text: `[pool ${c.name}] server reached pm.max_children setting (${c.maxChildren}), consider raising it` });
        state.warnMaxChildren = true;
      }
      state.idleSpawnRate = 1;
      return none();
    };
    if (running >= c.maxChildren) return reached();
    if (state.idleSpawnRate >= 8) {
      logs.push({ level: 'WARNING', text: `[pool ${c.name}] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning ${state.idleSpawnRate} children, there are ${idle} idle, and ${running} total children` });
    }
    const toFork = Math.min(state.idleSpawnRate, c.minSpareServers - idle, c.maxChildren - running);
    if (toFork <= 0) return reached();
    state.warnMaxChildren = false;
    if (state.idleSpawnRate < c.maxSpawnRate) state.idleSpawnRate *= 2;
    return { spawn: toFork, kill: null, logs, state };
  }
  state.idleSpawnRate = 1;
  return none();
}

/** ondemand: a connection arrived at the pool's socket. */
export function onSocketAccept(c: PoolConfig, st: PmState, children: readonly PoolChild[]): PmDecision {
  const state = { ...st };
  const logs: PoolLog[] = [];
  if (children.length >= c.maxChildren) {
    if (!state.warnMaxChildren) {
      state.maxChildrenReached++;
      // ondemand's own wording: "max_children", without "pm."
      logs.push({ level: 'WARNING', text: `[pool ${c.name}] server reached max_children setting (${c.maxChildren}), consider raising it` });
      state.warnMaxChildren = true;
    }
    return { spawn: 0, kill: null, logs, state };
  }
  // an idle child will take it
  if (children.some((ch) => ch.idle)) return { spawn: 0, kill: null, logs, state };
  state.warnMaxChildren = false;
  return { spawn: 1, kill: null, logs, state };
}
