// The built site as static files with no engine anywhere: every page passes
// axe (WCAG 2.1 AA), nothing reaches another host, and the playground replays
// a recorded run, clearly labelled.
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, artifact, page, withBrowser } from '../helpers/browser.js';
import { pagePaths, serveStatic, startLabProcess } from '../helpers/site.js';

const suite = CHROMIUM ? describe : describe.skip;

suite('the site, served as static files', () => {
  const chromium = withBrowser();
  let site: Awaited<ReturnType<typeof serveStatic>>;
  beforeAll(async () => {
    site = await serveStatic();
  });
  afterAll(async () => {
    await site?.close();
  });

  it('has lessons, the playground and a search index', () => {
    const paths = pagePaths();
    expect(paths).toContain('/playground/');
    expect(paths.length).toBeGreaterThanOrEqual(5);
  });

  // light: every page; dark: every page but the lessons after the first of each
  // section (a lesson page is the same components with other words)
  const darkPaths = () => {
    const seen = new Set<string>();
    return pagePaths().filter((p) => {
      const section = /^\/(basics|threads|deeper|reference)\//.exec(p)?.[1];
      if (!section) return true;
      if (seen.has(section)) return false;
      seen.add(section);
      return true;
    });
  };
  for (const scheme of ['light', 'dark'] as const) {
    it(`${scheme === 'light' ? 'every page' : 'every kind of page'} passes axe (WCAG 2.1 AA) in ${scheme} mode, with the playground loaded`, async () => {
      const report: Record<string, string[]> = {};
      for (const path of scheme === 'light' ? pagePaths() : darkPaths()) {
        const p = await page(chromium.browser, { colorScheme: scheme });
        await p.goto(site.origin + path);
        // let playgrounds come into view and load (replay or disconnected)
        await p.evaluate(() => document.querySelectorAll('mpm-playground').forEach((el) => el.scrollIntoView()));
        await p.waitForFunction(() => [...document.querySelectorAll('mpm-playground')].every((el) => (el as HTMLElement).dataset.mode), null, { timeout: 10_000 });
        const r = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        const found = r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
        if (found.length) report[path] = found;
        expect(p.problems, `${path}: ${p.problems.join('\n')}`).toEqual([]);
        await p.close();
      }
      expect(report).toEqual({});
    }, 120_000);
  }

  it('replays a recorded run when no lab is running, and says so', async () => {
    const p = await page(chromium.browser);
    await p.goto(`${site.origin}/playground/`);
    await p.waitForSelector('mpm-playground[data-mode="replay"]', { timeout: 15_000 });
    await expect.poll(() => p.textContent('[data-ref="connText"]')).toMatch(/^Replay: /);
    // the recorded requests appear, with the pids of the run that was recorded
    await p.waitForFunction(() => document.querySelectorAll('[data-ref="reqTable"] tbody tr').length >= 6, null, { timeout: 20_000 });
    await p.waitForFunction(() => document.querySelectorAll('[data-ref="sbGrid"] .sb-cell:not([data-s="."])').length >= 3, null, { timeout: 20_000 });
    // nothing that needs an engine is offered
    expect(await p.isDisabled('[data-act="start"]')).toBe(true);
    expect(await p.isDisabled('[data-drive="http10"]')).toBe(true);
    await p.screenshot({ path: artifact('playground-replay.png'), fullPage: true });
    expect(p.problems).toEqual([]);
    await p.close();
  }, 60_000);

  it('hosted elsewhere, it drives the learner’s local lab once that lab allows the site’s origin', async () => {
    const lab = await startLabProcess(['--allow-origin', site.origin]);
    try {
      const p = await page(chromium.browser);
      // what the "Your lab's URL" box does with the URL mpm-lab start printed
      await p.goto(`${site.origin}/playground/`);
      await p.waitForSelector('mpm-playground[data-mode="replay"]', { timeout: 15_000 });
      await p.fill('[data-ref="connectForm"] input', lab.url.toString());
      await p.click('[data-ref="connectForm"] button[type="submit"]');
      await p.waitForSelector('mpm-playground[data-mode="live"]', { timeout: 15_000 });
      await p.click('[data-act="start"]');
      await p.waitForFunction(() => !(document.querySelector('[data-drive="http10"]') as HTMLButtonElement).disabled, null, { timeout: 20_000 });
      await p.click('[data-drive="http10"]');
      await p.waitForFunction(() => document.querySelectorAll('[data-ref="reqTable"] tbody tr').length === 6, null, { timeout: 20_000 });
      expect(p.problems).toEqual([]);
      await p.close();
      // and a site the lab was not told about is refused
      const other = await serveStatic();
      const q = await page(chromium.browser);
      await q.goto(`${other.origin}/playground/?lab=${encodeURIComponent(lab.url.origin)}&token=${lab.token}`);
      await q.waitForFunction(() => ['replay', 'disconnected'].includes((document.querySelector('mpm-playground') as HTMLElement).dataset.mode ?? ''), null, { timeout: 15_000 });
      await q.close();
      await other.close();
    } finally {
      await lab.stop();
    }
  }, 60_000);

  it('a lesson page without the lab replays its recorded run, answers its question from it, and says how to start the lab', async () => {
    const p = await page(chromium.browser);
    await p.goto(`${site.origin}/basics/02-which-child/`);
    await p.locator('mpm-playground').scrollIntoViewIfNeeded();
    await p.waitForSelector('mpm-playground[data-mode="replay"]', { timeout: 15_000 });
    expect(await p.textContent('[data-ref="connText"]')).toMatch(/npm start/);
    await p.check('[data-ref="predict"] input[value="other"]');
    // the recorded run rotates: "a different child" is right, and each claim holds in it
    await p.waitForFunction(() => (document.querySelector('[data-ref="verdict"]') as HTMLElement).dataset.verdict === 'right', null, { timeout: 30_000 });
    expect(await p.$$eval('[data-claim]', (lis) => lis.map((li) => (li as HTMLElement).dataset.holds))).toEqual(['true', 'true']);
    // and offers to connect a lab by its printed URL (hosted copies of the site)
    expect(await p.isVisible('[data-ref="connectForm"]')).toBe(true);
    expect(await p.textContent('[data-ref="origin"]')).toBe(site.origin);
    await p.close();
  }, 30_000);
});
