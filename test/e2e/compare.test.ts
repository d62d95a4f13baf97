// /compare in real Chromium: live against a real lab (two engines started from
// the page, one script run against both, the summary table filled from their
// real numbers), and in replay with no lab (the recorded comparison plays and
// its summary appears).
import { describe, expect, it } from 'vitest';
import type { CompareSummary } from '../../engine/protocol/compare.js';
import { CHROMIUM, artifact, page, withLabAndBrowser } from '../helpers/browser.js';
import { childrenOf } from '../helpers/engine.js';

const suite = CHROMIUM ? describe : describe.skip;

suite('/compare', () => {
  const live = withLabAndBrowser();

  it('live: starts prefork and event, runs one script on both, shows both sides and the summary', async () => {
    const p = await page(live.browser);
    await p.goto(`${live.lab.url.origin}/compare/?token=${live.lab.token}`);
    await p.waitForSelector('mpm-compare[data-mode="live"]', { timeout: 15_000 });
    await p.click('[data-act="start"]');
    await p.waitForFunction(() => window.mpmCompare![0].ids().every((id) => id !== null), null, { timeout: 20_000 });
    const ids = await p.evaluate(() => window.mpmCompare![0].ids());
    // a short script, so the test is quick: 10 keep-alive clients + a burst of 20 HTTP/1.0
    await p.locator('details.cmp-edit summary').click();
    await p.fill('[data-ref="tracks"]', JSON.stringify([
      { steps: [{ mode: 'burst', connections: 10, requests: 2, keepalive: true, thinkMs: 800 }] },
      { afterMs: 200, steps: [{ mode: 'burst', connections: 20, requests: 1, version: '1.0' }] },
    ]));
    expect(await p.inputValue('[data-ref="preset"]')).toBe('custom');
    await p.waitForFunction(() => !(document.querySelector('[data-act="run"]') as HTMLButtonElement).disabled, null, { timeout: 10_000 });
    await p.click('[data-act="run"]');
    await p.waitForFunction(() => window.mpmCompare![0].summaries() !== null, null, { timeout: 60_000 });
    const sums = (await p.evaluate(() => window.mpmCompare![0].summaries())) as CompareSummary[];
    expect(sums.map((s) => [s.instance, s.mpm, s.served, s.failed])).toEqual([[ids[0], 'prefork', 40, 0], [ids[1], 'event', 40, 0]]);
    // the table says it in words, both columns
    const table = await p.locator('[data-ref="summary"]').innerText();
    expect(table).toMatch(/requests served\s+40\s+40/);
    expect(table).toMatch(/peak memory \(USS, all processes\)\s+[\d.]+ MB\s+[\d.]+ MB/);
    // both scoreboards and timelines drew real engines: pids the lab really runs
    const titles = await p.locator('[data-ref="viewTitle"]').allInnerTexts();
    expect(titles[0]).toMatch(/^A: prefork — engine \w+, pid \d+$/);
    expect(titles[1]).toMatch(/^B: event — engine \w+, pid \d+$/);
    const pids = titles.map((t) => Number(/pid (\d+)/.exec(t)![1]));
    for (const pid of pids) expect(childrenOf(pid).length).toBeGreaterThan(0);
    expect(await p.locator('[data-view="0"] [data-ref="tlSummary"]').innerText()).toMatch(/\d+ requests \(pid/);
    await p.screenshot({ path: artifact('compare-live.png'), fullPage: true });
    // slow motion: the page says so while it is on, and not after
    await p.selectOption('[data-ref="slowmo"]', '10');
    await p.waitForSelector('[data-ref="slowmoBanner"]:not([hidden])', { timeout: 10_000 });
    expect(await p.locator('[data-ref="slowmoBanner"]').innerText()).toMatch(/^Slow motion ×10: .*Real Apache httpd is never slowed\.$/);
    await p.selectOption('[data-ref="slowmo"]', '1');
    await p.waitForSelector('[data-ref="slowmoBanner"][hidden]', { state: 'attached', timeout: 10_000 });
    await p.click('[data-act="stop"]');
    await p.waitForFunction(() => window.mpmCompare![0].ids().every((id) => id === null), null, { timeout: 20_000 });
    expect(p.problems).toEqual([]);
    await p.close();
  }, 120_000);

  it('replay: with no lab, the recorded comparison plays and its summary appears', async () => {
    const p = await page(live.browser);
    await p.goto(`${live.lab.url.origin}/compare/`);
    await p.evaluate(() => sessionStorage.clear());
    await p.reload();
    await p.waitForSelector('mpm-compare[data-mode="replay"]', { timeout: 15_000 });
    await p.waitForFunction(() => window.mpmCompare![0].summaries() !== null, null, { timeout: 40_000 });
    const sums = (await p.evaluate(() => window.mpmCompare![0].summaries())) as CompareSummary[];
    expect(sums.map((s) => s.mpm)).toEqual(['prefork', 'event']);
    expect(await p.locator('[data-act="run"]').isDisabled()).toBe(true);
    expect(p.problems).toEqual([]);
    await p.close();
  }, 60_000);
});
