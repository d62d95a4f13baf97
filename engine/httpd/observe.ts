// Reading real httpd's error_log lines and its scoreboard (as mpm-lab.lua
// prints it) into the fields of the engine's events.

export interface ErrorLine {
  level: string;
  module: string;
  ah: string;
  text: string;
  pid: number;
}

// [Sun Nov 22 11:05:55.116475 2026] [mpm_event:notice] [pid 1353:tid 1353] AH00489: Apache/2.4.71 … configured
const ERROR = /^\[[^\]]+\] \[([\w.]+):(\w+)\] \[pid (\d+)(?::tid \d+)?\](?: [^\s]+\(\d+\):)?(?: \[client [^\]]+\])? (?:(AH\d{5}): )?(.*)$/;

export function parseErrorLine(line: string): ErrorLine | null {
  const m = ERROR.exec(line);
  if (!m) return null;
  return { module: m[1], level: m[2], pid: Number(m[3]), ah: m[4] ?? '', text: m[5] };
}

/** httpd's scoreboard as mpm-lab.lua's /mpm-lab-scoreboard prints it. */
export interface LabScoreboard {
  /** the cells ?auto's Scoreboard line shows, in its order */
  scoreboard: string;
  threadsPerChild: number;
  processes: Array<{ slot: number; pid: number; quiescing: boolean; notAccepting: boolean; connections: number; keepalive: number }>;
  workers: Array<{ slot: number; thread: number; letter: string; pid: number; generation: number | null; accessCount: number; client: string; request: string }>;
}

const unescape = (s: string) => s.replace(/\\([\\tn])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : '\\'));

export function parseLabScoreboard(body: string): LabScoreboard {
  const out: LabScoreboard = { scoreboard: '', threadsPerChild: 1, processes: [], workers: [] };
  for (const line of body.split('\n')) {
    const f = line.split('\t');
    const n = (k: number) => Number(f[k]);
    switch (f[0]) {
      case 'Scoreboard':
        out.scoreboard = f[1] ?? '';
        break;
      case 'ThreadsPerChild':
        out.threadsPerChild = n(1);
        break;
      case 'P':
        out.processes.push({ slot: n(1), pid: n(2), quiescing: f[3] === '1', notAccepting: f[4] === '1', connections: n(5), keepalive: n(6) });
        break;
      case 'W':
        out.workers.push({
          slot: n(1), thread: n(2), letter: f[3], pid: n(4), generation: f[5] === '-' ? null : n(5), accessCount: n(6),
          client: unescape(f[7] ?? ''), request: unescape(f[8] ?? ''),
        });
        break;
    }
  }
  return out;
}

/** BusyWorkers / IdleWorkers / GracefulWorkers as mod_status counts them: live, non-quiescing processes only; idle only in the current generation. */
export function countWorkers(sb: LabScoreboard, generationOf: (pid: number) => number, generation: number): { busy: number; idle: number; graceful: number } {
  const counts = { busy: 0, idle: 0, graceful: 0 };
  const live = new Map(sb.processes.filter((p) => p.pid && !p.quiescing).map((p) => [p.slot, p.pid]));
  for (const w of sb.workers) {
    const pid = live.get(w.slot);
    if (pid === undefined) continue;
    if (w.letter === '_') {
      if (generationOf(pid) === generation) counts.idle++;
    } else if (w.letter === 'G') counts.graceful++;
    else if (w.letter !== '.' && w.letter !== 'S' && w.letter !== 'I') counts.busy++;
  }
  return counts;
}
