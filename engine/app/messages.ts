// Between the pool's master and its processes (IPC, JSON).
import type { PoolStatus } from './status.js';

export type MasterToWorker =
  /** a connection (the socket comes as the message's handle) */
  | { t: 'conn' }
  /** finish the current request, then exit (php-fpm's SIGQUIT) */
  | { t: 'quit' }
  | { t: 'status'; id: number; status: PoolStatus };

export type WorkerToMaster =
  | { t: 'ready' }
  | { t: 'busy'; method: string; uri: string }
  | { t: 'done'; durationUs: number }
  | { t: 'status?'; id: number };
