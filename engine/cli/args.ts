// Command-line parsing for `mpm-lab`, as a pure function: argv → a command or a
// message a person can act on.

export const MPMS = ['prefork', 'worker', 'event', 'winnt', 'netware', 'mpmt_os2'] as const;
export type MpmName = (typeof MPMS)[number];

export const DEFAULT_MAX_PROCESSES = 64;
/** A Node worker thread costs ~8 MiB: 512 keep httpd's defaults (16 × 25) startable and the machine safe. */
export const DEFAULT_MAX_THREADS = 512;

export interface RunArgs {
  command: 'run';
  mpm: MpmName;
  backend: 'node' | 'httpd';
  config?: string;
  sets: string[];
  listen?: string;
  events: 'jsonl' | 'none';
  maxProcesses: number;
  maxThreads: number;
  /** --backend httpd: the Apache binary to use (else found on this machine) */
  httpd?: string;
  /** --backend httpd as root: honour User/Group of the config */
  allowUser?: boolean;
  /** --app mod_php | fpm:POOL.conf: how /app/ paths reach the application */
  app?: { mode: 'fpm'; poolConfig: string } | { mode: 'mod_php' };
}

export interface StartArgs {
  command: 'start';
  port: number;
  open: boolean;
  /** origins besides the lab's own allowed on the control socket (a hosted copy of the site) */
  allowOrigins: string[];
  tracesDir?: string;
  maxProcesses: number;
  maxThreads: number;
  /** --classroom [--host ADDRESS]: students join from their browsers with a code */
  classroom?: { host: string };
}

import type { RecordArgs } from './record.js';

export type Parsed = RunArgs | StartArgs | RecordArgs | { command: 'fidelity' } | { command: 'lessons' } | { command: 'bench' } | { command: 'fpm' } | { command: 'help' } | { command: 'version' } | { command: 'error'; message: string };

export const USAGE = `Usage:
  mpm-lab start [--port 4321] [--open] [--allow-origin https://site.example]...
                [--traces DIR] [--max-processes N] [--max-threads N] [--classroom [--host ADDRESS]]
  mpm-lab run --mpm prefork|worker|event|winnt|netware|mpmt_os2 [--backend node|httpd [--httpd PATH]]
              [--config FILE.conf] [--set Directive=Value]... [--listen 127.0.0.1:PORT]
              [--events jsonl|none] [--max-processes N] [--max-threads N] [--allow-user]
              [--app mod_php|fpm:POOL.conf]

  mpm-lab fidelity [--only NAME] [--json REPORT.json]
  mpm-lab lessons [--only ID] [--record]
  mpm-lab bench [--quick] [--only throughput,spawn,memory,stream,browser] [--json FILE] [--svg FILE]
  mpm-lab record --steps '[{"mode":"sequential","n":6,"version":"1.0"}]' --out trace.jsonl
  mpm-lab record --compare keepalive-and-burst --out compare.jsonl
               [--mpm prefork] [--config FILE.conf] [--set Directive=Value]... [--pause-ms 800]
  mpm-lab fpm --config POOL.conf [--listen 127.0.0.1:PORT] [--events jsonl]

  run    the MPM engine in the foreground, like httpd -DFOREGROUND (winnt, netware
         and mpmt_os2 are labelled models of the platform MPMs): error_log on
         stderr, "listening on 127.0.0.1:PORT" on stdout when ready; signals as
         httpd: TERM stop, USR1 graceful restart, HUP restart, WINCH graceful stop.
  start  the lab: the site and its control socket on 127.0.0.1.
         --app: /app/ paths reach a PHP-FPM pool (php-fpm's pool syntax; real php-fpm
         with --backend httpd) or run inside each child (mod_php: prefork only).
  record run driver steps on a real engine and save the stream as a trace (for replay).
  fpm    the application pool alone, in the foreground like php-fpm -F.
  fidelity  the experiment catalogue on the engine and on real Apache httpd: agree/differ.
  lessons   every lesson's experiment on the engine (and real httpd): each claim checked;
            --record keeps the engine's run as the lesson's replay trace.`;

export function parseArgs(argv: readonly string[]): Parsed {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'version' || command === '--version' || command === '-v') return { command: 'version' };
  // its own options (--only NAME) are read by the fidelity runner
  if (command === 'fidelity') return { command: 'fidelity' };
  if (command === 'lessons') return { command: 'lessons' };
  if (command === 'bench') return { command: 'bench' };
  if (command === 'fpm') return { command: 'fpm' };

  const flags = new Map<string, string[]>();
  const booleans = new Set(['--open', '--allow-user', '--classroom']);
  for (let i = 0; i < rest.length; i++) {
    let arg = rest[i];
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (!arg.startsWith('--')) return { command: 'error', message: `unexpected argument '${arg}'\n\n${USAGE}` };
    if (booleans.has(arg)) {
      flags.set(arg, ['true']);
      continue;
    }
    if (value === undefined) {
      value = rest[++i];
      if (value === undefined) return { command: 'error', message: `${arg} needs a value\n\n${USAGE}` };
    }
    flags.set(arg, [...(flags.get(arg) ?? []), value]);
  }
  const one = (name: string) => flags.get(name)?.at(-1);

  const maxProcesses = one('--max-processes') ?? String(DEFAULT_MAX_PROCESSES);
  if (!/^\d+$/.test(maxProcesses) || Number(maxProcesses) < 1) {
    return { command: 'error', message: `--max-processes must be a whole number ≥ 1, not '${maxProcesses}'` };
  }
  const maxThreads = one('--max-threads') ?? String(DEFAULT_MAX_THREADS);
  if (!/^\d+$/.test(maxThreads) || Number(maxThreads) < 1) {
    return { command: 'error', message: `--max-threads must be a whole number ≥ 1, not '${maxThreads}'` };
  }

  if (command === 'start') {
    const unknown = [...flags.keys()].filter((k) => !['--port', '--open', '--allow-origin', '--traces', '--max-processes', '--max-threads', '--classroom', '--host'].includes(k));
    if (unknown.length) return { command: 'error', message: `unknown option ${unknown[0]} for start\n\n${USAGE}` };
    const port = one('--port') ?? '4321';
    if (!/^\d+$/.test(port) || Number(port) > 65535) return { command: 'error', message: `--port must be a port number (0-65535), not '${port}'` };
    const allowOrigins = flags.get('--allow-origin') ?? [];
    for (const o of allowOrigins) {
      if (!/^https?:\/\/[^/\s]+$/.test(o)) return { command: 'error', message: `--allow-origin takes an origin like https://lab.example.org (scheme and host, no path), not '${o}'` };
    }
    const host = one('--host');
    if (host !== undefined && !flags.has('--classroom')) return { command: 'error', message: '--host is for the classroom: mpm-lab start --classroom --host ADDRESS (without --classroom nothing listens beyond 127.0.0.1)' };
    if (host !== undefined && !/^[0-9a-fA-F.:]+$|^[A-Za-z0-9.-]+$/.test(host)) return { command: 'error', message: `--host takes an address of this machine (e.g. 192.168.1.20), not '${host}'` };
    return {
      command: 'start',
      port: Number(port),
      open: flags.has('--open'),
      allowOrigins,
      tracesDir: one('--traces'),
      maxProcesses: Number(maxProcesses),
      maxThreads: Number(maxThreads),
      ...(flags.has('--classroom') ? { classroom: { host: host ?? '127.0.0.1' } } : {}),
    };
  }

  if (command === 'run') {
    const known = ['--mpm', '--backend', '--httpd', '--config', '--set', '--listen', '--events', '--max-processes', '--max-threads', '--allow-user', '--app'];
    const unknown = [...flags.keys()].filter((k) => !known.includes(k));
    if (unknown.length) return { command: 'error', message: `unknown option ${unknown[0]} for run\n\n${USAGE}` };
    const mpm = one('--mpm') ?? 'prefork';
    if (!(MPMS as readonly string[]).includes(mpm)) return { command: 'error', message: `--mpm must be one of ${MPMS.join(', ')}, not '${mpm}'` };
    const backend = one('--backend') ?? 'node';
    if (backend !== 'node' && backend !== 'httpd') return { command: 'error', message: `--backend must be node or httpd, not '${backend}'` };
    const events = one('--events') ?? 'none';
    if (events !== 'jsonl' && events !== 'none') return { command: 'error', message: `--events must be jsonl or none, not '${events}'` };
    for (const s of flags.get('--set') ?? []) {
      if (!/^[A-Za-z][A-Za-z0-9]*=/.test(s)) return { command: 'error', message: `--set takes Directive=Value (e.g. --set StartServers=3), not '${s}'` };
    }
    const appArg = one('--app');
    let app: RunArgs['app'];
    if (appArg !== undefined) {
      if (appArg === 'mod_php') app = { mode: 'mod_php' };
      else if (appArg.startsWith('fpm:') && appArg.length > 4) app = { mode: 'fpm', poolConfig: appArg.slice(4) };
      else return { command: 'error', message: `--app takes mod_php or fpm:POOL.conf, not '${appArg}'` };
    }
    return {
      command: 'run',
      mpm: mpm as MpmName,
      backend,
      config: one('--config'),
      sets: flags.get('--set') ?? [],
      listen: one('--listen'),
      events,
      maxProcesses: Number(maxProcesses),
      maxThreads: Number(maxThreads),
      ...(one('--httpd') ? { httpd: one('--httpd') } : {}),
      ...(flags.has('--allow-user') ? { allowUser: true } : {}),
      ...(app ? { app } : {}),
    };
  }
  if (command === 'record') {
    const known = ['--mpm', '--config', '--set', '--steps', '--out', '--pause-ms', '--compare'];
    const unknown = [...flags.keys()].filter((k) => !known.includes(k));
    if (unknown.length) return { command: 'error', message: `unknown option ${unknown[0]} for record\n\n${USAGE}` };
    const out = one('--out');
    const compare = one('--compare');
    if (compare && out) return { command: 'record', mpm: '', sets: [], steps: '', out, pauseMs: 0, compare };
    const steps = one('--steps');
    if (!steps || !out) return { command: 'error', message: `record needs --steps (or --compare PRESET) and --out\n\n${USAGE}` };
    const pause = one('--pause-ms') ?? '800';
    if (!/^\d+$/.test(pause)) return { command: 'error', message: `--pause-ms must be a whole number, not '${pause}'` };
    return { command: 'record', mpm: one('--mpm') ?? 'prefork', config: one('--config'), sets: flags.get('--set') ?? [], steps, out, pauseMs: Number(pause) };
  }
  return { command: 'error', message: `unknown command '${command}'\n\n${USAGE}` };
}
