// What differs between the control processes of prefork, worker and event: the
// child program, the module name in the error log, and their message ids and
// wording (each from its own .c file on the 2.4.x branch — prefork's SIGHUP
// lines have two spaces after the period, as in the source).
import { fileURLToPath } from 'node:url';

export type MpmName = 'prefork' | 'worker' | 'event' | 'winnt' | 'netware' | 'mpmt_os2';

export interface MpmKind {
  mpm: MpmName;
  /** ap_mpm_get_name(): mod_status's ServerMPM */
  name: string;
  /** X-MPM: the platform MPMs say they are models */
  label: string;
  /** the seed platform MPMs, emulated on this OS (engine/README.md says how each departs) */
  platform: 'winnt' | 'netware' | 'mpmt_os2' | null;
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
  /** what the parent logs on a restart request and on SIGTERM; null: nothing */
  text: { gracefulRestart: string | null; hardRestart: string | null; stop: string };
  /** where the debug lines come from (printed at LogLevel debug, as httpd's %7F) */
  src: { mutex: string | null };
}

const child = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

export const KINDS: Record<MpmName, MpmKind> = {
  prefork: {
    mpm: 'prefork',
    name: 'prefork',
    label: 'prefork',
    platform: null,
    module: 'mpm_prefork',
    childMain: child('./prefork/child.js'),
    threaded: false,
    isAsync: false,
    ah: { configured: 'AH00163', built: 'AH00164', mutex: 'AH00165', stop: 'AH00169', gracefulStop: 'AH00170', gracefulRestart: 'AH00171', hardRestart: 'AH00173', ignoringFatal: 'AH00166', fork: 'AH00159', killedSuccessively: null },
    text: { gracefulRestart: 'Graceful restart requested, doing restart', hardRestart: 'SIGHUP received.  Attempting to restart', stop: 'caught SIGTERM, shutting down' },
    src: { mutex: 'prefork.c(970)' },
  },
  worker: {
    mpm: 'worker',
    name: 'worker',
    label: 'worker',
    platform: null,
    module: 'mpm_worker',
    childMain: child('./threaded/child.js'),
    threaded: true,
    isAsync: false,
    ah: { configured: 'AH00292', built: 'AH00293', mutex: 'AH00294', stop: 'AH00295', gracefulStop: 'AH00296', gracefulRestart: 'AH00297', hardRestart: 'AH00298', ignoringFatal: 'AH00290', fork: 'AH00283', killedSuccessively: 'AH10393' },
    text: { gracefulRestart: 'SIGUSR1 received.  Doing graceful restart', hardRestart: 'SIGHUP received.  Attempting to restart', stop: 'caught SIGTERM, shutting down' },
    src: { mutex: 'worker.c(1817)' },
  },
  event: {
    mpm: 'event',
    name: 'event',
    label: 'event',
    platform: null,
    module: 'mpm_event',
    childMain: child('./threaded/child.js'),
    threaded: true,
    isAsync: true,
    ah: { configured: 'AH00489', built: 'AH00490', mutex: null, stop: 'AH00491', gracefulStop: 'AH00492', gracefulRestart: 'AH00493', hardRestart: 'AH00494', ignoringFatal: 'AH00487', fork: 'AH00481', killedSuccessively: 'AH10392' },
    text: { gracefulRestart: 'SIGUSR1 received.  Doing graceful restart', hardRestart: 'SIGHUP received.  Attempting to restart', stop: 'caught SIGTERM, shutting down' },
    src: { mutex: null },
  },
  // The platform MPMs (mpm_winnt.c, mpm_netware.c, mpmt_os2.c): their ids and
  // wording; what they never log is null or ''.
  winnt: {
    mpm: 'winnt',
    name: 'WinNT',
    label: 'winnt (model of mpm_winnt)',
    platform: 'winnt',
    module: 'mpm_winnt',
    childMain: child('./threaded/child.js'),
    threaded: true,
    isAsync: false,
    ah: { configured: 'AH00455', built: 'AH00456', mutex: null, stop: 'AH00422', gracefulStop: 'AH00422', gracefulRestart: 'AH00424', hardRestart: 'AH00424', ignoringFatal: '', fork: 'AH00417', killedSuccessively: null },
    // Windows has no signals: -k restart and -k graceful are the same restart event
    text: { gracefulRestart: 'Parent: Received restart signal -- Restarting the server.', hardRestart: 'Parent: Received restart signal -- Restarting the server.', stop: 'Parent: Received shutdown signal -- Shutting down the server.' },
    src: { mutex: null },
  },
  netware: {
    mpm: 'netware',
    name: 'NetWare',
    label: 'netware (model of mpm_netware)',
    platform: 'netware',
    module: 'mpm_netware',
    childMain: child('./threaded/child.js'),
    threaded: true,
    isAsync: false,
    ah: { configured: 'AH00224', built: 'AH00225', mutex: null, stop: 'AH00226', gracefulStop: 'AH00226', gracefulRestart: 'AH00227', hardRestart: 'AH00227', ignoringFatal: '', fork: '', killedSuccessively: null },
    text: { gracefulRestart: 'Graceful restart requested, doing restart', hardRestart: 'Graceful restart requested, doing restart', stop: 'caught SIGTERM, shutting down' },
    src: { mutex: null },
  },
  mpmt_os2: {
    mpm: 'mpmt_os2',
    name: 'mpmt_os2',
    label: 'mpmt_os2 (model of mpmt_os2)',
    platform: 'mpmt_os2',
    module: 'mpm_mpmt_os2',
    childMain: child('./threaded/child.js'),
    threaded: true,
    isAsync: false,
    ah: { configured: 'AH00206', built: 'AH00207', mutex: null, stop: 'AH00201', gracefulStop: 'AH00201', gracefulRestart: '', hardRestart: '', ignoringFatal: '', fork: 'AH00208', killedSuccessively: null },
    // mpmt_os2's signal handlers only set flags: a restart is not logged
    text: { gracefulRestart: null, hardRestart: null, stop: 'caught SIGTERM, shutting down' },
    src: { mutex: null },
  },
};
