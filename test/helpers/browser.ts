// Real Chromium for end-to-end tests: Debian's /usr/bin/chromium driven by
// playwright-core (never a downloaded browser). Absent → the suite is skipped
// with a loud message; under CI=true absence is a failure. withLabAndBrowser():
// the browser and a lab process a describe's tests share.
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { requireBuiltSite, startLabProcess, type RunningLab } from './site.js';

const CANDIDATES = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[];
export const CHROMIUM = CANDIDATES.find((p) => fs.existsSync(p)) ?? null;

if (!CHROMIUM) {
  const msg = '\n*** Chromium not found (looked for ' + CANDIDATES.join(', ') + '): browser tests are SKIPPED. Install it: apt-get install -y chromium ***\n';
  if (process.env.CI) throw new Error(msg + 'CI=true: a missing browser is a failure.');
  console.warn(msg);
}

export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM!, args: ARGS });
}

/** A page that records console errors, page errors and requests to other hosts. */
export async function page(browser: Browser, opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<Page & { problems: string[] }> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 1000 }, colorScheme: opts.colorScheme ?? 'light' });
  const p = (await ctx.newPage()) as Page & { problems: string[] };
  p.problems = [];
  p.on('console', (m) => {
    if (m.type() === 'error') p.problems.push(`console: ${m.text()}`);
  });
  p.on('pageerror', (e) => p.problems.push(`page error: ${e.message}`));
  p.on('request', (r) => {
    const u = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !['data:', 'blob:'].includes(u.protocol)) p.problems.push(`request to another host: ${r.url()}`);
  });
  return p;
}

export const ARTIFACTS = 'test-results';
export function artifact(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return `${ARTIFACTS}/${name}`;
}

/** For the tests of one describe: Chromium, launched before them and closed after. */
export function withBrowser(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    requireBuiltSite();
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      return browser!;
    },
  };
}

/** For the tests of one describe: Chromium and a lab process (`mpm-lab start` with args), started before them and stopped after. */
export function withLabAndBrowser(args: string[] = []): { readonly browser: Browser; readonly lab: RunningLab } {
  let browser: Browser | undefined;
  let lab: RunningLab | undefined;
  beforeAll(async () => {
    requireBuiltSite();
    const [b, l] = await Promise.allSettled([launch(), startLabProcess(args)]);
    if (b.status === 'fulfilled') browser = b.value;
    if (l.status === 'fulfilled') lab = l.value;
    // afterAll stops whichever did start
    for (const r of [b, l]) if (r.status === 'rejected') throw r.reason;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await lab?.stop();
  });
  return {
    get browser() {
      return browser!;
    },
    get lab() {
      return lab!;
    },
  };
}
