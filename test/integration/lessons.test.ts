// Every claim a lesson makes, checked by running its experiment headless on a
// real engine — and on real Apache httpd where installed (required under
// CI=true) — through the lab's control socket, as the lesson page runs it.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsFor, lessonLab, runLesson, runSolution, tracePath } from '../../engine/lessons/runner.js';
import { EXPERIMENTS } from '../../lessons/index.js';
import { Run, type Backend } from '../../lessons/lib/experiment.js';
import { parseTrace } from '../../engine/protocol/trace.js';
import { HTTPD } from '../helpers/httpd.js';
import { CHROMIUM } from '../helpers/browser.js';
import { Lanes } from '../helpers/lanes.js';

// A run is mostly waiting (settle times, paced steps, httpd's once-a-second
// maintenance; the whole file keeps well under one core busy), so three run at once
// (maxConcurrency in vitest.config.ts), each on its own engine in a lab of its own.
// Runs on the node engine still take turns: what they check depends on its processes
// getting the CPU on time, so at most one runs, next to real httpd's.
type Lab = Awaited<ReturnType<typeof lessonLab>>;
const labs = new Lanes<Lab>();
const nodeTurn = new Lanes<'node'>();
nodeTurn.add('node');
const withLab = <T>(backend: Backend, f: (lab: Lab) => Promise<T>): Promise<T> => (backend === 'node' ? nodeTurn.use(() => labs.use(f)) : labs.use(f));
beforeAll(async () => {
  for (const lab of await Promise.allSettled([lessonLab(), lessonLab(), lessonLab()])) if (lab.status === 'fulfilled') labs.add(lab.value);
  expect(labs.all).toHaveLength(3);
});
afterAll(async () => {
  await Promise.all(labs.all.map((l) => l.stop()));
});

// A lesson with a page runs on the node engine in Chromium too (test/e2e/lessons.test.ts,
// which checks every claim on that run): with a browser here, that run is the one.
const onPage = (x: (typeof EXPERIMENTS)[number]) => !!x.predict && !!CHROMIUM;

describe.concurrent('lesson experiments', () => {
  for (const x of EXPERIMENTS) {
    for (const backend of backendsFor(x, !!HTTPD).filter((b) => b !== 'node' || !onPage(x))) {
      it(`${x.id} on ${backend}: every claim holds`, async ({ expect }) => {
        const o = await withLab(backend, (lab) => runLesson(lab.client, x, backend));
        expect(o.error).toBeNull();
        expect(o.claims.filter((c) => c.failure).map((c) => `${c.says} — saw: ${c.failure}`)).toEqual([]);
        if (x.predict) expect(x.predict.choices.map((c) => c.id)).toContain(o.answer);
      }, 60_000);
    }
  }
});

describe.concurrent('lesson exercises', () => {
  for (const x of EXPERIMENTS.filter((e) => e.solution)) {
    for (const backend of backendsFor(x, !!HTTPD)) {
      it(`${x.id} on ${backend}: the solution's config solves the exercise`, async ({ expect }) => {
        const o = await withLab(backend, (lab) => runSolution(lab.client, x, backend));
        expect(o.error).toBeNull();
        expect(o.claims.filter((c) => c.failure).map((c) => `${c.says} — saw: ${c.failure}`)).toEqual([]);
      }, 60_000);
    }
  }
});

describe('lesson traces', () => {
  it.each(EXPERIMENTS.map((x) => [x.id, x] as const))('%s has a recorded trace for replay mode in which every claim holds', (_, x) => {
    const run = Run.fromTrace(parseTrace(fs.readFileSync(tracePath(x.id), 'utf8')).lines);
    expect(x.claims.map((c) => c.check(run)).filter((f) => f !== null)).toEqual([]);
  });
});
