// Reading real httpd's error_log lines and mod_status's ?auto page into the
// fields of the engine's events.

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

export interface StatusAuto {
  mpm: string | null;
  generation: number | null;
  busy: number;
  idle: number;
  scoreboard: string;
}

export function parseStatusAuto(body: string): StatusAuto {
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(body)?.[1] ?? null;
  const num = (name: string) => {
    const v = field(name);
    return v === null ? null : Number(v);
  };
  return {
    mpm: field('ServerMPM'),
    generation: num('ParentServerMPMGeneration'),
    busy: num('BusyWorkers') ?? 0,
    idle: num('IdleWorkers') ?? 0,
    scoreboard: field('Scoreboard') ?? '',
  };
}
