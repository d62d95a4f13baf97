// Every claim a lesson makes, checked by running its experiment headless on a
// real engine — and on real Apache httpd where installed (required under
// CI=true) — through the lab's control socket, as the lesson page runs it.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsFor, lessonLab, runLesson, runSolution, tracePath } from '../../engine/lessons/runner.js';
import { EXPERIMENTS } from '../../lessons/index.js';
import { Run } from '../../lessons/lib/experiment.js';
import { parseTrace } from '../../engine/protocol/trace.js';
import { HTTPD } from '../helpers/httpd.js';
import { CHROMIUM } from '../helpers/browser.js';

let lab: Awaited<ReturnType<typeof lessonLab>>;
beforeAll(async () => {
  lab = await lessonLab();
});
afterAll(async () => {
  await lab?.stop();
});

// A lesson with a page runs on the node engine in Chromium too (test/e2e/lessons.test.ts,
// which checks every claim on that run): with a browser here, that run is the one.
const onPage = (x: (typeof EXPERIMENTS)[number]) => !!x.predict && !!CHROMIUM;

describe('lesson experiments', () => {
  for (const x of EXPERIMENTS) {
    for (const backend of backendsFor(x, !!HTTPD).filter((b) => b !== 'node' || !onPage(x))) {
      it(`${x.id} on ${backend}: every claim holds`, async () => {
        const o = await runLesson(lab.client, x, backend);
        expect(o.error).toBeNull();
        expect(o.claims.filter((c) => c.failure).map((c) => `${c.says} — saw: ${c.failure}`)).toEqual([]);
        if (x.predict) expect(x.predict.choices.map((c) => c.id)).toContain(o.answer);
      }, 60_000);
    }
  }
});

describe('lesson exercises', () => {
  for (const x of EXPERIMENTS.filter((e) => e.solution)) {
    for (const backend of backendsFor(x, !!HTTPD)) {
      it(`${x.id} on ${backend}: the solution's config solves the exercise`, async () => {
        const o = await runSolution(lab.client, x, backend);
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
