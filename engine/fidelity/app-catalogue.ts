// Fidelity experiments for the application pool: MPM Lab's php-fpm model
// (`--app fpm:` on the node engine) against real php-fpm behind real httpd,
// with the same pool config. Patterns come from the events both give
// (pool.spawn/exit/status, request.end's appPid) and php-fpm's own log lines.
import { drive } from '../lab/driver.js';
import { DriverStep, type DriverStepInput, type DriverStepResult } from '../protocol/messages.js';
import type { RunningEngine } from '../cli/engine-process.js';
import type { EventOf } from '../protocol/events.js';
import { bursts, type Experiment } from './catalogue.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const step = async (e: RunningEngine, s: DriverStepInput): Promise<DriverStepResult> => (await drive(e.port, [DriverStep.parse(s)]))[0];
const of = <T extends 'pool.spawn' | 'pool.exit' | 'pool.status'>(e: RunningEngine, type: T) => e.events.filter((x) => x.type === type) as Array<EventOf<T>>;
const live = (e: RunningEngine) => of(e, 'pool.spawn').length - of(e, 'pool.exit').length;
const count = (text: string, re: RegExp) => (text.match(new RegExp(re, 'g')) ?? []).length;

async function until(f: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) return false;
    await sleep(50);
  }
  return true;
}

/** enough MPM workers for every connection an experiment opens: the pool, not the MPM, is what is measured */
const MPM = { StartServers: 2, ThreadsPerChild: 5, MinSpareThreads: 1, MaxSpareThreads: 10 };

export const APP_CATALOGUE: Experiment[] = [
  {
    name: 'fpm-dynamic-spares',
    what: 'dynamic: 6 slow requests on 2 processes — spares spawned at the doubling idle_spawn_rate, once a second',
    mpm: 'event',
    sets: MPM,
    app: '[www]\npm = dynamic\npm.max_children = 8\npm.start_servers = 2\npm.min_spare_servers = 2\npm.max_spare_servers = 4\n',
    async run(e) {
      await until(() => live(e) === 2, 5000);
      await sleep(1200);
      if (live(e) !== 2) return `${live(e)} processes at start`;
      // busy through the four passes of the manager (the first within 1 s): spares are spawned at 1, 2, 4… per pass
      const load = step(e, { mode: 'burst', connections: 6, requests: 1, path: '/app/sleep?ms=4600' });
      const samples: Array<[number, number]> = [];
      const t0 = Date.now();
      while (Date.now() - t0 < 4400) {
        samples.push([Date.now(), live(e)]);
        await sleep(50);
      }
      const r = await load;
      const served = r.requests.filter((x) => x.status === 200).length;
      return `spawned ${bursts(samples).join(',')} (peak ${Math.max(...samples.map((x) => x[1]))} processes); "seems busy" ×${count(e.stderr(), /\] seems busy/)}; ${served} of 6 served`;
    },
  },
  {
    name: 'fpm-ondemand-idle',
    what: 'ondemand: no process until requests come, one forked per arrival while none is idle; idle ones leave one a second after pm.process_idle_timeout',
    mpm: 'event',
    sets: MPM,
    app: '[www]\npm = ondemand\npm.max_children = 3\npm.process_idle_timeout = 1s\n',
    async run(e) {
      await sleep(1500);
      const atStart = live(e);
      // arrivals 200 ms apart: each is its own wake-up of php-fpm's master (connections arriving
      // together are one edge-triggered event, and one fork: engine/README.md)
      const rs = await Promise.all([0, 200, 400].map(async (d) => {
        await sleep(d);
        return step(e, { mode: 'single', version: '1.0', path: '/app/sleep?ms=700' });
      }));
      const pids = new Set(rs.map((r) => r.requests[0].appPid));
      const spawned = of(e, 'pool.spawn').length;
      await until(() => live(e) === 0, 8000);
      const exits = of(e, 'pool.exit');
      const gaps = exits.slice(1).map((x, i) => Math.round((x.ts - exits[i].ts) / 1000));
      return `${atStart} at start; ${spawned} spawned, ${pids.size} served the 3; exits ${exits.map((x) => x.reason).join(',')} ${gaps.join(',')} s apart; ${live(e)} left`;
    },
  },
  {
    name: 'fpm-max-requests',
    what: 'static, pm.max_requests 3: each process serves 3 requests, exits, and php-fpm starts another',
    mpm: 'event',
    sets: MPM,
    app: '[www]\npm = static\npm.max_children = 1\npm.max_requests = 3\n',
    async run(e) {
      await until(() => live(e) === 1, 5000);
      const r = await step(e, { mode: 'sequential', n: 7, version: '1.0', path: '/app/' });
      const runs: number[] = [];
      r.requests.forEach((x, i) => (i > 0 && x.appPid === r.requests[i - 1].appPid ? runs[runs.length - 1]++ : runs.push(1)));
      await until(() => of(e, 'pool.exit').length >= 2, 3000);
      const err = e.stderr();
      return `runs of ${runs.join(',')} requests per process; exits ${of(e, 'pool.exit').map((x) => x.reason).join(',')}; logged "exited with code 0" ×${count(err, /\] child \d+ exited with code 0 after/)}, "started" ×${count(err, /\] child \d+ started/)}`;
    },
  },
  {
    name: 'fpm-max-children-reached',
    what: 'dynamic at pm.max_children: requests wait in the listen queue, the warning is logged and counted once',
    mpm: 'event',
    sets: MPM,
    app: '[www]\npm = dynamic\npm.max_children = 2\npm.start_servers = 1\npm.min_spare_servers = 1\npm.max_spare_servers = 2\n',
    async run(e) {
      await until(() => live(e) === 1, 5000);
      await sleep(1200);
      const from = of(e, 'pool.status').length;
      const r = await step(e, { mode: 'burst', connections: 5, requests: 1, path: '/app/sleep?ms=1500' });
      await sleep(1100);
      const st = of(e, 'pool.status').slice(from);
      const pids = new Set(r.requests.map((x) => x.appPid));
      const queued = st.some((x) => x.listenQueue > 0);
      return `${r.requests.filter((x) => x.status === 200).length} served by ${pids.size} processes; listen queue seen: ${queued ? 'yes' : 'no'}; warned ×${count(e.stderr(), /\] server reached pm\.max_children setting \(2\), consider raising it/)}; max children reached ${st.at(-1)?.maxChildrenReached ?? '?'}`;
    },
  },
];
