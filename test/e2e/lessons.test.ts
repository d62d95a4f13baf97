// Every lesson page in real Chromium against a real lab: the page opens, its
// playground runs the lesson's experiment, the claims it lists are checked
// against that run, and the "predict" check says right or wrong as the run
// decides (the test reads the run the page used and answers the question itself).
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../../lessons/index.js';
import { Run } from '../../lessons/lib/experiment.js';
import type { EngineEvent } from '../../engine/protocol/events.js';
import type { DriverStepResult } from '../../engine/protocol/messages.js';
import { CHROMIUM, artifact, page, withLabAndBrowser } from '../helpers/browser.js';
import { childrenOf } from '../helpers/engine.js';

const suite = CHROMIUM ? describe : describe.skip;
// a lesson page shows one experiment; the prefork half of the crash lesson is checked by the lesson runner
const PAGES = EXPERIMENTS.filter((x) => x.predict);

suite('lesson pages, live', () => {
  const live = withLabAndBrowser();

  it.each(PAGES.map((x, i) => [x.id, x, i] as const))('%s: runs its experiment; the predict check follows the run', async (_, x, i) => {
    const p = await page(live.browser);
    await p.goto(`${live.lab.url.origin}/${x.id}/?token=${live.lab.token}`);
    await p.locator('mpm-playground').scrollIntoViewIfNeeded();
    await p.waitForSelector('mpm-playground[data-mode="live"]', { timeout: 15_000 });
    // alternate between a first and a last choice, so both verdicts are seen
    const choices = x.predict!.choices;
    const choice = choices[i % 2 === 0 ? 0 : choices.length - 1].id;
    await p.check(`[data-ref="predict"] input[value="${choice}"]`);
    await p.waitForFunction(() => !(document.querySelector('[data-act="script"]') as HTMLButtonElement).disabled, null, { timeout: 15_000 });
    await p.click('[data-act="script"]');
    await p.waitForFunction(() => !!(document.querySelector('[data-ref="verdict"]') as HTMLElement).dataset.verdict, null, { timeout: 90_000 });
    const last = await p.evaluate(() => window.mpmLab![0].lastRun!);
    const run = new Run('node', last.events as EngineEvent[], last.results as DriverStepResult[]);
    const answer = x.predict!.answer(run);
    expect(await p.getAttribute('[data-ref="verdict"]', 'data-verdict')).toBe(choice === answer ? 'right' : 'wrong');
    // every claim holds on the page's own run (on the node engine this replaces the lesson
    // runner's run: test/integration/lessons.test.ts), and the page marked each as checked
    expect(x.claims.flatMap((c) => (c.check(run) === null ? [] : [`${c.says} — saw: ${c.check(run)}`]))).toEqual([]);
    expect(x.predict!.choices.map((c) => c.id)).toContain(answer);
    const holds = await p.$$eval('[data-claim]', (lis) => lis.map((li) => (li as HTMLElement).dataset.holds));
    expect(holds).toEqual(x.claims.map((c) => String(c.check(run) === null)));
    // the exercise says whether this run solved it (the lesson's own config does not)
    if (x.solution) expect(await p.getAttribute('[data-ref="solved"]', 'data-verdict')).toBe(x.solution.solved(run) === null ? 'right' : 'wrong');
    // progress is kept for the progress page
    const saved = await p.evaluate(() => JSON.parse(localStorage.getItem('mpm-lab:progress') ?? '{}'));
    expect(saved.lessons[x.id]).toMatchObject({ choice, correct: choice === answer, backend: 'node' });
    if (i === 0) await p.screenshot({ path: artifact('lesson-live.png'), fullPage: true });
    expect(p.problems).toEqual([]);
    await p.close();
  }, 120_000);

  it('the sizing panel measures the running children and divides the RAM by what one child costs', async () => {
    const p = await page(live.browser);
    await p.goto(`${live.lab.url.origin}/basics/06-max-request-workers/?token=${live.lab.token}`);
    await p.locator('mpm-playground').scrollIntoViewIfNeeded();
    await p.waitForSelector('mpm-playground[data-mode="live"]', { timeout: 15_000 });
    await p.click('[data-act="start"]');
    await p.waitForFunction(() => !(document.querySelector('[data-act="measure"]') as HTMLButtonElement).disabled, null, { timeout: 20_000 });
    await p.click('[data-act="measure"]');
    await p.waitForFunction(() => document.querySelectorAll('[data-ref="memTable"] tbody tr').length > 0, null, { timeout: 10_000 });
    const rows = await p.$$eval('[data-ref="memTable"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))));
    const enginePid = await p.evaluate(() => window.mpmLab![0].store.state.instances.get(window.mpmLab![0].instance()!)!.pid);
    for (const [pid, rss, pss, uss] of rows) {
      expect(childrenOf(enginePid)).toContain(pid);
      expect([uss > 0, uss <= pss, pss <= rss]).toEqual([true, true, true]);
    }
    const per = Number(await p.inputValue('[data-ref="childMb"]'));
    expect(per).toBeCloseTo(rows.reduce((a, r) => a + r[3], 0) / rows.length, 0);
    await p.fill('[data-ref="ramMb"]', '2048');
    await p.waitForFunction((n) => (document.querySelector('[data-ref="memResult"]') as HTMLElement).textContent!.includes(`MaxRequestWorkers ${n}`), Math.floor(2048 / per), { timeout: 5000 });
    expect(p.problems).toEqual([]);
    await p.close();
  }, 60_000);

  it('"show solution" shows what to change as a diff, and leaves the learner\'s configuration as it was', async () => {
    const p = await page(live.browser);
    await p.goto(`${live.lab.url.origin}/basics/02-which-child/?token=${live.lab.token}`);
    await p.locator('mpm-playground').scrollIntoViewIfNeeded();
    await p.waitForSelector('mpm-playground[data-mode="live"]', { timeout: 15_000 });
    const before = await p.textContent('[data-ref="cfgText"]');
    await p.click('[data-act="solution"]');
    await p.waitForSelector('[data-ref="solutionDiff"]:not([hidden])');
    const diff = (await p.textContent('[data-ref="solutionDiff"]'))!.split('\n').filter(Boolean);
    expect(diff).toEqual(['- StartServers 3', '+ StartServers 1', '  MinSpareServers 1', '- MaxSpareServers 5', '+ MaxSpareServers 1']);
    expect(await p.textContent('[data-ref="cfgText"]')).toBe(before);
    expect(p.problems).toEqual([]);
    await p.close();
  }, 60_000);
});
