// `mpm-lab lessons` (npm run lessons): every lesson's experiment, headless,
// against the node engine and — where installed — real httpd, through a lab
// server of its own (the same control socket the page uses). Each claim the
// lesson makes is checked; `--record` also keeps the node run as the lesson's
// trace for replay mode (lessons/<id>.trace.jsonl).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { EXPERIMENTS } from '../../lessons/index.js';
import { execute } from '../../lessons/lib/execute.js';
import { verdictOf, type Backend, type Experiment } from '../../lessons/lib/experiment.js';
import { findHttpd } from '../httpd/find.js';
import { LabServer } from '../lab/server.js';
import { projectRoot } from '../platform/paths.js';
import { connectLive, type LabClient } from '../protocol/client.js';

export interface LessonOutcome {
  id: string;
  backend: Backend;
  /** each claim and, when it failed, what the run showed */
  claims: Array<{ says: string; failure: string | null }>;
  /** the predict question's answer as the run showed it */
  answer: string | null;
  /** the run could not be made (engine refused, driver error…) */
  error: string | null;
}

export const outcomeOk = (o: LessonOutcome) => !o.error && o.claims.every((c) => c.failure === null);

/** A lab of our own for the runs; stop() stops it and every engine it started. */
export async function lessonLab(): Promise<{ client: LabClient; record(id: string, f: () => Promise<void>): Promise<void>; stop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-lessons-'));
  const lab = new LabServer({ port: 0, siteDir: path.join(projectRoot(), 'dist'), tracesDir: dir, allowOrigins: [], maxProcesses: 64 });
  await lab.start();
  const ws = new WebSocket(`ws://127.0.0.1:${lab.port}/control?token=${lab.token}`, { headers: { Origin: `http://127.0.0.1:${lab.port}` } });
  const client = await connectLive(ws as never);
  return {
    client,
    async record(id, f) {
      const name = id.replace(/\//g, '--');
      await client.request({ type: 'record.start', name });
      try {
        await f();
      } finally {
        await client.request({ type: 'record.stop' });
      }
      fs.copyFileSync(path.join(dir, `${name}.jsonl`), tracePath(id));
    },
    async stop() {
      client.close();
      await lab.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function tracePath(id: string): string {
  return path.join(projectRoot(), 'lessons', `${id}.trace.jsonl`);
}

/** One experiment on one backend: run it on a fresh engine, stop the engine, check every claim. */
export async function runLesson(client: LabClient, x: Experiment, backend: Backend): Promise<LessonOutcome> {
  let instance: string | null = null;
  try {
    const { run, instance: id } = await execute(client, x, backend, { step: () => undefined, started: (i) => (instance = i) });
    instance = id;
    const claims = x.claims.map((c) => ({ says: c.says, failure: verdictOf(c.check, run) }));
    return { id: x.id, backend, claims, answer: x.predict ? x.predict.answer(run) : null, error: null };
  } catch (e) {
    return { id: x.id, backend, claims: [], answer: null, error: (e as Error).message };
  } finally {
    if (instance) await client.request({ type: 'engine.stop', instance }).catch(() => undefined);
  }
}

/** The exercise: the experiment run with its solution config must show it solved. */
export async function runSolution(client: LabClient, x: Experiment, backend: Backend): Promise<LessonOutcome> {
  const s = x.solution!;
  return runLesson(client, { ...x, config: s.config, claims: [{ says: s.task, check: s.solved }], predict: undefined }, backend);
}

export function backendsFor(x: Experiment, httpd: boolean): Backend[] {
  return (x.backends ?? ['node', 'httpd']).filter((b) => b === 'node' || httpd);
}

export async function lessons(argv: string[]): Promise<number> {
  const arg = (name: string) => (argv.indexOf(name) >= 0 ? argv[argv.indexOf(name) + 1] ?? null : null);
  const only = arg('--only');
  const record = argv.includes('--record');
  const found = findHttpd();
  const httpd = !('error' in found);
  if (!httpd) {
    console.log(`*** real httpd not found (${'error' in found ? found.error : ''}): lessons run on the node engine only ***`);
    if (process.env.CI) return 1;
  }
  const lab = await lessonLab();
  let failed = 0;
  try {
    for (const x of EXPERIMENTS.filter((e) => !only || e.id.includes(only))) {
      for (const backend of backendsFor(x, httpd)) {
        let o!: LessonOutcome;
        const once = async () => void (o = await runLesson(lab.client, x, backend));
        if (record && backend === 'node') await lab.record(x.id, once);
        else await once();
        const ok = outcomeOk(o);
        if (!ok) failed++;
        console.log(`${ok ? 'ok  ' : 'FAIL'}  ${x.id.padEnd(34)} ${backend.padEnd(6)} ${o.answer !== null ? `answer: ${o.answer}` : ''}`);
        if (o.error) console.log(`        error: ${o.error}`);
        for (const c of o.claims) if (c.failure) console.log(`        "${c.says}" — saw: ${c.failure}`);
        if (x.solution) {
          const s = await runSolution(lab.client, x, backend);
          if (!outcomeOk(s)) failed++;
          console.log(`${outcomeOk(s) ? 'ok  ' : 'FAIL'}  ${`${x.id} solution`.padEnd(34)} ${backend}`);
          if (s.error) console.log(`        error: ${s.error}`);
          for (const c of s.claims) if (c.failure) console.log(`        not solved — saw: ${c.failure}`);
        }
      }
    }
  } finally {
    await lab.stop();
  }
  console.log(failed ? `\n${failed} lesson runs failed` : '\nevery lesson claim holds');
  return failed ? 1 : 0;
}
