// A lesson's experiment: the config an engine starts with, the steps that drive
// it, the claims the lesson makes (checked in CI against the node engine and
// real httpd) and the "predict" question whose answer is read from the live run.
// Browser-safe: the page runs the same file. Claims are predicates over what the
// run produced — never stored pids or strings.
import type { EngineEvent } from '../../engine/protocol/events.js';
import type { AppSpec, DriverRequestResult, DriverStepInput, DriverStepResult } from '../../engine/protocol/messages.js';
import type { TraceLine } from '../../engine/protocol/trace.js';

export type Mpm = 'prefork' | 'worker' | 'event' | 'winnt' | 'netware' | 'mpmt_os2';
export type Backend = 'node' | 'httpd';

/** What the steps do besides sending requests (each is a control-socket request or a pause). */
export type Action =
  | { action: 'wait'; ms: number }
  | { action: 'restart'; mode: 'graceful' | 'hard' }
  /** signal one live child of the current generation: the one that served the last request, or the lowest slot */
  | { action: 'kill'; signal: 'SIGTERM' | 'SIGKILL' | 'SIGSEGV'; which: 'last-served' | 'first' };

/** Steps started at the same time, each after its own delay (each driver step is its own drive request). */
export interface Together {
  together: Array<{ afterMs?: number; step: DriverStepInput | Action }>;
}

export type Step = DriverStepInput | Action | Together;

export interface Claim {
  /** the sentence the lesson states, as a reader would check it */
  says: string;
  /** null when it holds; otherwise what the run showed instead */
  check(run: Run): string | null;
}

export interface Predict {
  question: string;
  choices: Array<{ id: string; text: string }>;
  /** the choice the run proves right */
  answer(run: Run): string;
}

export interface Experiment {
  /** "basics/01-which-child": the lesson's path under lessons/ */
  id: string;
  mpm: Mpm;
  /** Apache-syntax configuration the engine starts with */
  config: string;
  /** what runs /app/: a PHP-FPM-style pool (php-fpm pool syntax) or mod_php in the MPM's children */
  app?: AppSpec;
  /** pause after the engine is up, so its pool settles (ms) */
  settleMs?: number;
  steps: Step[];
  claims: Claim[];
  predict?: Predict;
  /**
   * false: real httpd's scoreboard is not read during the run — each reading is a
   * connection to httpd, and would count (MaxConnectionsPerChild)
   */
  statusPoll?: boolean;
  /** where the experiment is checked; the platform models have no real httpd here */
  backends?: Backend[];
  /** the exercise: its solution config (shown as a diff against the learner's), and how a run shows it is solved */
  solution?: { task: string; config: string; solved: Claim['check'] };
}

export function defineExperiment(x: Experiment): Experiment {
  return x;
}

export function isAction(s: Step | Together['together'][number]['step']): s is Action {
  return 'action' in s;
}

export function isTogether(s: Step): s is Together {
  return 'together' in s;
}

/** One request as the server logged it (request.end), on either backend. */
export type Served = Extract<EngineEvent, { type: 'request.end' }>;

/** What a run produced: the instance's events and the driver's results. */
export class Run {
  /** The run a recorded trace holds (replay mode): the lesson's engine's events, its drives in the order they started. */
  static fromTrace(lines: readonly TraceLine[], backend: Backend = 'node'): Run {
    const drives = lines.filter((l): l is Extract<TraceLine, { type: 'drive' }> => l.type === 'drive');
    const started = lines.find((l) => l.type === 'instance.start');
    const instance = started?.type === 'instance.start' ? started.instance.id : drives[0]?.instance;
    const events = lines.flatMap((l) => (l.type === 'events' && l.instance === instance ? l.events : []));
    const results = [...drives].sort((a, b) => (a.started ?? a.ts) - (b.started ?? b.ts)).flatMap((d) => d.results);
    return new Run(backend, events, results);
  }

  constructor(
    readonly backend: Backend,
    readonly events: readonly EngineEvent[],
    /** per driver step, in the order the steps were listed (Together: each inner driver step) */
    readonly results: readonly DriverStepResult[],
  ) {}

  /** every request the client sent, in order: status, identity headers, timing */
  get requests(): DriverRequestResult[] {
    return this.results.flatMap((r) => r.requests);
  }

  /** requests the server logged, oldest first (without httpd's internal dummy connections) */
  get served(): Served[] {
    return this.events.filter((e): e is Served => e.type === 'request.end' && !e.userAgent.includes('(internal dummy connection)'));
  }

  /** the server's parent process (httpd's, for the httpd backend) */
  get parentPid(): number | null {
    const s = this.events.find((e) => e.type === 'engine.state' && e.state === 'running');
    return s && s.type === 'engine.state' ? s.pid : null;
  }

  /** error-log lines, in order */
  get log(): string[] {
    return this.events.flatMap((e) => (e.type === 'log' ? [e.line] : []));
  }

  /** AH ids the error log showed, each once, in order */
  get ahIds(): string[] {
    return [...new Set(this.events.flatMap((e) => (e.type === 'log' && e.ah ? [e.ah] : [])))];
  }

  /** /app/ requests the client got an answer to from the application (X-App-Pid) */
  get appRequests(): Array<DriverRequestResult & { appPid: number }> {
    return this.requests.filter((q): q is DriverRequestResult & { appPid: number } => typeof q.appPid === 'number');
  }

  /** the application pool's status, once a second (php-fpm's status page as numbers) */
  poolStatus(): Array<Extract<EngineEvent, { type: 'pool.status' }>> {
    return this.events.filter((e): e is Extract<EngineEvent, { type: 'pool.status' }> => e.type === 'pool.status');
  }

  spawns(): Array<Extract<EngineEvent, { type: 'child.spawn' }>> {
    return this.events.filter((e): e is Extract<EngineEvent, { type: 'child.spawn' }> => e.type === 'child.spawn');
  }

  exits(): Array<Extract<EngineEvent, { type: 'child.exit' }>> {
    return this.events.filter((e): e is Extract<EngineEvent, { type: 'child.exit' }> => e.type === 'child.exit');
  }
}

// ---- small pure helpers the claims are written with ----------------------------

export function distinct<T>(xs: readonly T[]): number {
  return new Set(xs).size;
}

/** pids that served, as letters in order of first appearance: [9,7,9] → "ABA" — a pattern, not pids */
export function pattern(xs: readonly unknown[]): string {
  const names = new Map<unknown, string>();
  return xs.map((x) => names.get(x) ?? (names.set(x, String.fromCharCode(65 + names.size)), names.get(x)!)).join('');
}

/** true when xs repeats one cycle of k distinct values: ABCABC */
export function rotates(xs: readonly unknown[], k: number): boolean {
  return xs.length > k && distinct(xs.slice(0, k)) === k && xs.every((x, i) => x === xs[i % k]);
}

/** A check's verdict on a run: null when it holds, else what was seen (a check that throws has not held). */
export function verdictOf(check: Claim['check'], run: Run): string | null {
  try {
    return check(run);
  } catch (e) {
    return `the check failed: ${(e as Error).message}`;
  }
}

/** a claim from a predicate and a description of what was seen */
export function claim(says: string, holds: (run: Run) => boolean, saw: (run: Run) => string): Claim {
  return { says, check: (run) => (holds(run) ? null : saw(run)) };
}
