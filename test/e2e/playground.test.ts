// The playground in real Chromium against a real lab (`mpm-lab start`): what a
// learner does, and what they must see.
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childrenOf } from '../helpers/engine.js';
import { CHROMIUM, artifact, launch, page } from '../helpers/browser.js';
import { requireBuiltSite, startLabProcess, type RunningLab } from '../helpers/site.js';

const suite = CHROMIUM ? describe : describe.skip;

suite('playground, live', () => {
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

  async function openPlayground() {
    const p = await page(browser);
    await p.goto(`${lab.url.origin}/playground/?token=${lab.token}`);
    await p.waitForSelector('mpm-playground[data-mode="live"]', { timeout: 15_000 });
    return p;
  }

  /** an engine is running (this test's, or one a previous test started: the lab keeps it) */
  async function running(p: Awaited<ReturnType<typeof openPlayground>>) {
    if (await p.isDisabled('[data-drive="http10"]')) {
      await p.waitForFunction(() => !(document.querySelector('[data-act="start"]') as HTMLButtonElement).disabled, null, { timeout: 10_000 });
      await p.click('[data-act="start"]');
    }
    await p.waitForFunction(() => !(document.querySelector('[data-drive="http10"]') as HTMLButtonElement).disabled, null, { timeout: 20_000 });
  }

  it('starts prefork, sends 6 HTTP/1.0 requests, and shows 6 rows with the pids the engine reported', async () => {
    const p = await openPlayground();
    await p.getByRole('button', { name: 'Start', exact: true }).click();
    await p.waitForFunction(() => !(document.querySelector('[data-drive="http10"]') as HTMLButtonElement).disabled, null, { timeout: 20_000 });
    await p.fill('[data-ref="n"]', '6');
    await p.click('[data-drive="http10"]');
    await p.waitForFunction(() => document.querySelectorAll('[data-ref="reqTable"] tbody tr').length === 6, null, { timeout: 20_000 });
    const rows = await p.$$eval('[data-ref="reqTable"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map((r) => r[1])).toEqual(Array(6).fill('200'));
    const pids = rows.map((r) => Number(r[2]));
    // the engine's own events say the same pids served them, and they are the engine's children
    const served = await p.evaluate(() => window.mpmLab![0].store.state.instances.values().next().value!.requests.map((r) => r.pid));
    expect(served.slice(-6)).toEqual(pids);
    const enginePid = await p.evaluate(() => window.mpmLab![0].store.state.instances.values().next().value!.pid);
    for (const pid of new Set(pids)) expect(childrenOf(enginePid)).toContain(pid);
    // three children in strict rotation
    expect(new Set(pids).size).toBe(3);
    for (let i = 3; i < 6; i++) expect(pids[i]).toBe(pids[i - 3]);
    // the scoreboard shows the three live children
    await p.waitForFunction(() => document.querySelectorAll('[data-ref="sbGrid"] .sb-cell:not([data-s="."])').length >= 3);
    await p.screenshot({ path: artifact('playground-http10.png'), fullPage: true });
    expect(p.problems).toEqual([]);
    await p.close();
  }, 60_000);

  it('keep-alive ×4 shows one pid and %k 0..3', async () => {
    const p = await openPlayground();
    await running(p);
    await p.fill('[data-ref="n"]', '4');
    await p.fill('[data-ref="think"]', '50');
    await p.click('[data-drive="keepalive"]');
    await p.waitForFunction(() => document.querySelectorAll('[data-ref="reqTable"] tbody tr').length === 4, null, { timeout: 20_000 });
    const rows = await p.$$eval('[data-ref="reqTable"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(new Set(rows.map((r) => r[2])).size).toBe(1);
    expect(rows.map((r) => r[5])).toEqual(['0', '1', '2', '3']);
    expect(new Set(rows.map((r) => r[6])).size).toBe(1);
    await p.screenshot({ path: artifact('playground-keepalive.png'), fullPage: true });
    await p.close();
  }, 60_000);

  it('works by keyboard: reach Start and a composer button with Tab, move in the scoreboard with arrows', async () => {
    const p = await openPlayground();
    const start = p.getByRole('button', { name: 'Start', exact: true });
    await p.waitForFunction(() => !(document.querySelector('[data-act="start"]') as HTMLButtonElement).disabled, null, { timeout: 10_000 });
    await start.focus();
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => !(document.querySelector('[data-drive="http10"]') as HTMLButtonElement).disabled, null, { timeout: 20_000 });
    await p.focus('[data-drive="http10"]');
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => document.querySelectorAll('[data-ref="reqTable"] tbody tr').length >= 1, null, { timeout: 20_000 });
    // the scoreboard grid is one tab stop; arrows move; each cell says what it is
    await p.focus('[data-ref="sbGrid"] .sb-cell[tabindex="0"]');
    await p.keyboard.press('ArrowRight');
    const label = await p.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    expect(label).toMatch(/^slot 1: /);
    await p.close();
  }, 60_000);

  it('brings events to the screen fast: p95 of engine → screen under a burst', async () => {
    const p = await openPlayground();
    await running(p);
    await p.evaluate(() => (window.mpmLab![0].latencies.length = 0));
    await p.fill('[data-ref="n"]', '40');
    await p.fill('[data-ref="c"]', '10');
    await p.click('[data-drive="burst"]');
    await p.waitForFunction(() => window.mpmLab![0].latencies.length >= 400, null, { timeout: 30_000 });
    const lat = (await p.evaluate(() => [...window.mpmLab![0].latencies])).sort((a, b) => a - b);
    const p50 = lat[Math.floor(lat.length * 0.5)];
    const p95 = lat[Math.floor(lat.length * 0.95)];
    fs.writeFileSync(artifact('event-to-screen.json'), JSON.stringify({ samples: lat.length, p50, p95, max: lat.at(-1) }, null, 2));
    console.log(`event-to-screen over ${lat.length} requests: p50 ${p50} ms, p95 ${p95} ms`);
    expect(p95).toBeLessThanOrEqual(50);
    await p.close();
  }, 60_000);
});

declare global {
  interface Window {
    mpmLab?: Array<{ store: import('../../site/playground/store.js').PlaygroundStore; latencies: number[] }>;
  }
}
