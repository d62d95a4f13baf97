// Event → page: how long after a response reaches its client the playground
// has that request on screen (its timeline and tables are drawn from it).
// Real Chromium (Debian's, driven by playwright-core) on a real lab process; both clocks are this machine's wall clock read through
// performance.timeOrigin + performance.now() (sub-millisecond on both sides).
// The time is taken in the animation frame after the store took the request in (≈ paint).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startLabProcess } from '../lab/lab-process.js';
import { projectRoot } from '../platform/paths.js';
import { median } from './load.js';

const CHROMIUMS = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[];
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function get(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(now()));
      })
      .on('error', reject);
  });
}

export async function benchBrowser(samples = 40): Promise<{ p50: number; p99: number; samples: number } | { skipped: string }> {
  const exe = CHROMIUMS.find((p) => fs.existsSync(p));
  if (!exe) return { skipped: `Chromium not found (${CHROMIUMS.join(', ')})` };
  if (!fs.existsSync(path.join(projectRoot(), 'dist/playground/index.html'))) return { skipped: 'the site is not built (npm run build)' };
  let pw: typeof import('playwright-core');
  try {
    pw = await import('playwright-core');
  } catch {
    return { skipped: 'playwright-core is not installed (npm install)' };
  }
  const lab = await startLabProcess([], { stderr: 'inherit' });
  const browser = await pw.chromium.launch({ executablePath: exe, args: ARGS }).catch(async (e) => {
    await lab.stop();
    throw e;
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${lab.url.origin}/playground/?token=${lab.token}`);
    await page.waitForSelector('mpm-playground[data-mode="live"]', { timeout: 15_000 });
    await page.click('[data-act="start"]');
    // page code as strings: the engine is compiled without the DOM's types
    await page.waitForFunction(`!document.querySelector('[data-drive="http10"]').disabled`, null, { timeout: 20_000 });
    const port = (await page.evaluate('window.mpmLab[0].store.state.instances.values().next().value.port')) as number;
    // the playground's store notifies its views once per animation frame; the frame after that is painted
    await page.evaluate(`(() => {
      window.rowTimes = [];
      const store = window.mpmLab[0].store;
      const rows = () => store.state.instances.values().next().value.requests.length;
      let seen = rows();
      store.subscribe(() => {
        const added = rows() - seen;
        if (added <= 0) return;
        seen += added;
        requestAnimationFrame(() => {
          const t = performance.timeOrigin + performance.now();
          for (let i = 0; i < added; i++) window.rowTimes.push(t);
        });
      });
    })()`);
    const sent: number[] = [];
    for (let i = 0; i < samples; i++) {
      sent.push(await get(port));
      await sleep(100); // one at a time: the latency of a row, not of a backlog
    }
    await page.waitForFunction(`window.rowTimes.length >= ${samples}`, null, { timeout: 10_000 });
    const rows = (await page.evaluate('window.rowTimes')) as number[];
    const lat = sent.map((t, i) => rows[i] - t).sort((a, b) => a - b);
    return { p50: median(lat), p99: lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))], samples: lat.length };
  } finally {
    await browser.close();
    await lab.stop();
  }
}
