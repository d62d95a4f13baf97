// The PHP comparison on /compare in real Chromium against a real lab: prefork +
// mod_php next to event + a PHP-FPM pool under one script of /app/ requests.
// Each side's application lane shows real application processes (the pool's
// processes are children of the pool master, mod_php's are the MPM children
// themselves), every /app/ request links the MPM worker that relayed it to the
// process that ran it, the summary counts it — and mod_php on a threaded MPM is
// refused with PHP's words.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareSummary } from '../../engine/protocol/compare.js';
import { CHROMIUM, artifact, launch, page } from '../helpers/browser.js';
import { childrenOf } from '../helpers/engine.js';
import { requireBuiltSite, startLabProcess, type RunningLab } from '../helpers/site.js';

const suite = CHROMIUM ? describe : describe.skip;

suite('/compare: prefork + mod_php vs event + PHP-FPM', () => {
  let browser: Browser;
  let lab: RunningLab;
  beforeAll(async () => {
    requireBuiltSite();
    lab = await startLabProcess();
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await lab?.stop();
  });

  it('two linked lanes per side: MPM workers and application processes; a threaded MPM with mod_php is refused', async () => {
    const p = await page(browser);
    await p.goto(`${lab.url.origin}/compare/?token=${lab.token}`);
    await p.waitForSelector('mpm-compare[data-mode="live"]', { timeout: 15_000 });
    // the PHP script sets both sides up for itself
    await p.selectOption('[data-ref="preset"]', 'php');
    const setup = await p.$$eval('[data-side]', (ps) => ps.map((el) => ['mpm', 'app'].map((r) => (el.querySelector(`[data-ref="${r}"]`) as HTMLSelectElement).value)));
    expect(setup).toEqual([['prefork', 'mod_php'], ['event', 'fpm']]);
    expect(await p.isVisible('[data-side="1"] [data-ref="pool"]')).toBe(true);
    expect(await p.isVisible('[data-side="0"] [data-ref="pool"]')).toBe(false);
    await p.click('[data-act="start"]');
    await p.waitForFunction(() => window.mpmCompare![0].ids().every((id) => id !== null), null, { timeout: 20_000 });
    // a shorter script than the preset's, so the test is quick: 4 keep-alive clients × 2 + a burst of 4
    await p.locator('details.cmp-edit summary').click();
    await p.fill('[data-ref="tracks"]', JSON.stringify([
      { steps: [{ mode: 'burst', connections: 4, requests: 2, keepalive: true, thinkMs: 400, path: '/app/sleep?ms=150' }] },
      { afterMs: 100, steps: [{ mode: 'burst', connections: 4, requests: 1, path: '/app/sleep?ms=150' }] },
    ]));
    await p.waitForFunction(() => !(document.querySelector('[data-act="run"]') as HTMLButtonElement).disabled, null, { timeout: 10_000 });
    await p.click('[data-act="run"]');
    await p.waitForFunction(() => window.mpmCompare![0].summaries() !== null, null, { timeout: 30_000 });
    const sums = (await p.evaluate(() => window.mpmCompare![0].summaries())) as CompareSummary[];
    expect(sums.map((s) => [s.mpm, s.served, s.failed, s.app?.mode, s.app?.requests])).toEqual([['prefork', 12, 0, 'mod_php', 12], ['event', 12, 0, 'fpm', 12]]);
    // event + FPM: never more application processes than pm.max_children (4)
    expect(sums[1].app!.processesUsed).toBeLessThanOrEqual(4);
    expect(sums[1].app!.peakProcesses).toBeLessThanOrEqual(4);

    // what each side's lanes show, with the real processes behind them
    const lanes = await p.evaluate(() => {
      const h = window.mpmCompare![0];
      return h.ids().map((id, i) => {
        const v = h.store.state.instances.get(id!)!;
        const view = document.querySelector(`[data-view="${i}"]`)!;
        return {
          enginePid: v.pid,
          mode: v.app.mode,
          note: view.querySelector('[data-ref="appNote"]')!.textContent!,
          rows: [...view.querySelectorAll('[data-ref="appLane"] g[data-app-pid]')].map((g) => Number(g.getAttribute('data-app-pid'))),
          linkedBars: [...view.querySelectorAll('[data-ref="appLane"] rect.app-bar[data-mpm]')].map((r) => [Number(r.getAttribute('data-app-pid')), r.getAttribute('data-mpm')!] as const),
          links: [...view.querySelectorAll('[data-ref="appLinks"] tr')].map((tr) => ({ app: Number((tr as HTMLElement).dataset.appPid), cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!) })),
          // request.end's (MPM pid:tid → appPid), as the page received them
          served: v.requests.filter((r) => r.request.includes('/app/')).map((r) => `${r.pid}:${r.tid}`),
        };
      });
    });
    const [modPhp, fpm] = lanes;
    // mod_php: the application lane is the MPM children themselves, and the page says so
    expect(modPhp.mode).toBe('mod_php');
    expect(modPhp.note).toMatch(/application runs inside the MPM children — this lane is the MPM children themselves/);
    const preforkKids = childrenOf(modPhp.enginePid);
    expect(modPhp.rows.length).toBeGreaterThanOrEqual(4);
    for (const pid of modPhp.rows) expect(preforkKids).toContain(pid);
    for (const l of modPhp.links) expect(l.cells[0].startsWith(`${l.app}:`) && l.cells[1] === `${l.app} (the same process)`).toBe(true);
    // FPM: the lane's processes are the pool's, children of the pool master — not MPM children
    expect(fpm.mode).toBe('fpm');
    expect(fpm.note).toMatch(/^PHP-FPM pool/);
    const eventKids = childrenOf(fpm.enginePid);
    const poolProcs = eventKids.flatMap((k) => childrenOf(k)).filter((pid) => fpm.rows.includes(pid));
    expect(fpm.rows.length).toBeGreaterThanOrEqual(1);
    expect(fpm.rows.length).toBeLessThanOrEqual(4);
    expect(poolProcs.sort()).toEqual([...fpm.rows].sort());
    // every /app/ request is linked: MPM worker → application process, summing to all twelve
    for (const side of lanes) {
      expect(side.links.reduce((n, l) => n + Number(l.cells[2]), 0)).toBe(12);
      for (const l of side.links) expect(side.rows).toContain(l.app);
      expect(new Set(side.links.map((l) => l.cells[0].split(' ')[0]))).toEqual(new Set(side.served));
    }
    // FPM bars carry the MPM worker that relayed them: a worker of the event engine
    expect(fpm.linkedBars.length).toBeGreaterThanOrEqual(8);
    for (const [app, mpm] of fpm.linkedBars) {
      expect(fpm.rows).toContain(app);
      expect(eventKids).toContain(Number(mpm.split(':')[0]));
    }
    const table = await p.locator('[data-ref="summary"]').innerText();
    expect(table).toMatch(/application\s+mod_php, inside the MPM children\s+PHP-FPM pool/);
    expect(table).toMatch(/max children reached during the run\s+no pool\s+\d+/);
    await p.screenshot({ path: artifact('compare-php.png'), fullPage: true });

    // mod_php under a threaded MPM: refused as PHP refuses it
    await p.selectOption('[data-side="0"] [data-ref="mpm"]', 'event');
    await p.fill('[data-side="0"] [data-ref="config"]', 'StartServers 1\nThreadsPerChild 4\n');
    await p.click('[data-act="start"]');
    await expect.poll(() => p.textContent('[data-ref="runText"]'), { timeout: 20_000 }).toMatch(/side A: .*Apache is running a threaded MPM, but your PHP Module is not compiled to be threadsafe\.\s+You need to recompile PHP\./);
    await p.click('[data-act="stop"]');
    await p.waitForFunction(() => window.mpmCompare![0].ids().every((id) => id === null), null, { timeout: 20_000 });
    expect(p.problems).toEqual([]);
    await p.close();
  }, 60_000);
});
