// A small starting configuration per MPM: few processes and threads, so every
// one of them fits on the scoreboard. Switching MPM swaps an untouched default
// for the new MPM's (prefork's directives are invalid under worker, and back).
export type Mpm = 'prefork' | 'worker' | 'event' | 'winnt' | 'netware' | 'mpmt_os2';

const THREADED = 'StartServers 2\nThreadsPerChild 4\nMinSpareThreads 2\nMaxSpareThreads 8\nMaxRequestWorkers 16\nLogLevel info\n';

export const DEFAULT_CONFIG: Record<Mpm, string> = {
  prefork: 'StartServers 3\nMinSpareServers 1\nMaxSpareServers 5\nLogLevel info\n',
  worker: THREADED,
  event: THREADED,
  winnt: 'ThreadsPerChild 8\nLogLevel info\n',
  netware: 'StartThreads 4\nMinSpareThreads 2\nMaxSpareThreads 6\nMaxThreads 32\nLogLevel info\n',
  mpmt_os2: 'StartServers 2\nMinSpareThreads 2\nMaxSpareThreads 4\nLogLevel info\n',
};

/** The config to show after switching from `from` to `to`: the learner's own text is kept. */
export function configAfterSwitch(text: string, from: Mpm, to: Mpm): string {
  return text.trim() === DEFAULT_CONFIG[from].trim() ? DEFAULT_CONFIG[to] : text;
}
