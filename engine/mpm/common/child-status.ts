// ap_process_child_status (server/mpm_common.c): what the parent says when it
// reaps a child. Pure: (exit code, signal) → the log line and the verdict.
import os from 'node:os';

export const APEXIT_OK = 0x0;
export const APEXIT_CHILDSICK = 0x7;
export const APEXIT_CHILDFATAL = 0xf;

/** apr_signal_description_get / strsignal() on Linux. */
const SIGNAL_DESCRIPTION: Record<string, string> = {
  SIGHUP: 'Hangup',
  SIGINT: 'Interrupt',
  SIGQUIT: 'Quit',
  SIGILL: 'Illegal instruction',
  SIGTRAP: 'Trace/breakpoint trap',
  SIGABRT: 'Aborted',
  SIGBUS: 'Bus error',
  SIGFPE: 'Floating point exception',
  SIGKILL: 'Killed',
  SIGUSR1: 'User defined signal 1',
  SIGSEGV: 'Segmentation fault',
  SIGUSR2: 'User defined signal 2',
  SIGPIPE: 'Broken pipe',
  SIGALRM: 'Alarm clock',
  SIGTERM: 'Terminated',
  SIGSTKFLT: 'Stack fault',
  SIGXCPU: 'CPU time limit exceeded',
  SIGXFSZ: 'File size limit exceeded',
  SIGVTALRM: 'Virtual timer expired',
  SIGPROF: 'Profiling timer expired',
  SIGSYS: 'Bad system call',
};

export function signalNumber(signal: string): number {
  return (os.constants.signals as Record<string, number>)[signal] ?? 0;
}

export function signalDescription(signal: string): string {
  return SIGNAL_DESCRIPTION[signal] ?? signal;
}

export interface ChildStatusVerdict {
  /** APEXIT_* seen (CHILDSICK / CHILDFATAL matter to the caller) */
  status: number;
  log: { level: 'notice' | 'alert'; module: 'core'; ah: string; text: string } | null;
}

/**
 * Signals the parent itself uses to stop children (TERM, HUP, the graceful
 * USR1) and KILL are not worth a line; any other signal is a crash (AH00052).
 * Node cannot tell whether a core was dumped, so AH00051 never appears.
 */
export function processChildStatus(pid: number, code: number | null, signal: string | null): ChildStatusVerdict {
  if (signal) {
    if (['SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGKILL'].includes(signal)) return { status: APEXIT_OK, log: null };
    return {
      status: APEXIT_OK,
      log: { level: 'notice', module: 'core', ah: 'AH00052', text: `child pid ${pid} exit signal ${signalDescription(signal)} (${signalNumber(signal)})` },
    };
  }
  if (code === APEXIT_CHILDFATAL) {
    return {
      status: APEXIT_CHILDFATAL,
      log: { level: 'alert', module: 'core', ah: 'AH00050', text: `Child ${pid} returned a Fatal error... Apache is exiting!` },
    };
  }
  return { status: code === APEXIT_CHILDSICK ? APEXIT_CHILDSICK : APEXIT_OK, log: null };
}
