// What differs between the control processes of prefork, worker and event: the
// child program, the module name in the error log, and their message ids and
// wording (each from its own .c file on the 2.4.x branch — prefork's SIGHUP
// lines have two spaces after the period, as in the source).
import { fileURLToPath } from 'node:url';

export type MpmName = 'prefork' | 'worker' | 'event';

export interface MpmKind {
  mpm: MpmName;
  module: string;
  childMain: string;
  threaded: boolean;
  /** AP_MPMQ_IS_ASYNC: event's extra mod_status fields */
  isAsync: boolean;
  ah: {
    configured: string;
    built: string;
    /** "Accept mutex: …" (event has none: it never uses the mpm-accept mutex) */
    mutex: string | null;
    stop: string;
    gracefulStop: string;
    gracefulRestart: string;
    hardRestart: string;
    ignoringFatal: string;
    fork: string;
    /** "children are killed successively!" (threaded only) */
    killedSuccessively: string | null;
  };
  text: { gracefulRestart: string; hardRestart: string };
  /** where the debug lines come from (printed at LogLevel debug, as httpd's %7F) */
  src: { mutex: string | null };
}

const child = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

export const KINDS: Record<MpmName, MpmKind> = {
  prefork: {
    mpm: 'prefork',
    module: 'mpm_prefork',
    childMain: child('./prefork/child.js'),
    threaded: false,
    isAsync: false,
    ah: { configured: 'AH00163', built: 'AH00164', mutex: 'AH00165', stop: 'AH00169', gracefulStop: 'AH00170', gracefulRestart: 'AH00171', hardRestart: 'AH00173', ignoringFatal: 'AH00166', fork: 'AH00159', killedSuccessively: null },
    text: { gracefulRestart: 'Graceful restart requested, doing restart', hardRestart: 'SIGHUP received.  Attempting to restart' },
    src: { mutex: 'prefork.c(970)' },
  },
  worker: {
    mpm: 'worker',
    module: 'mpm_worker',
    childMain: child('./threaded/child.js'),
    threaded: true,
    isAsync: false,
    ah: { configured: 'AH00292', built: 'AH00293', mutex: 'AH00294', stop: 'AH00295', gracefulStop: 'AH00296', gracefulRestart: 'AH00297', hardRestart: 'AH00298', ignoringFatal: 'AH00290', fork: 'AH00283', killedSuccessively: 'AH10393' },
    text: { gracefulRestart: 'SIGUSR1 received.  Doing graceful restart', hardRestart: 'SIGHUP received.  Attempting to restart' },
    src: { mutex: 'worker.c(1817)' },
  },
  event: {
    mpm: 'event',
    module: 'mpm_event',
    childMain: child('./threaded/child.js'),
    threaded: true,
    isAsync: true,
    ah: { configured: 'AH00489', built: 'AH00490', mutex: null, stop: 'AH00491', gracefulStop: 'AH00492', gracefulRestart: 'AH00493', hardRestart: 'AH00494', ignoringFatal: 'AH00487', fork: 'AH00481', killedSuccessively: 'AH10392' },
    text: { gracefulRestart: 'SIGUSR1 received.  Doing graceful restart', hardRestart: 'SIGHUP received.  Attempting to restart' },
    src: { mutex: null },
  },
};
