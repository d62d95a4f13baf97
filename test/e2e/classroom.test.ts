// The classroom in real Chromium: a lab started with --classroom, the teacher's
// page (token) and two students' pages (join code). Students join by name and
// send requests; the teacher sees them, coloured per student; a question goes on
// the board and the answers are tallied; a locked class cannot send.
import { describe, expect, it } from 'vitest';
import { CHROMIUM, artifact, page, withLabAndBrowser } from '../helpers/browser.js';

const suite = CHROMIUM ? describe : describe.skip;

suite('/classroom', () => {
  const live = withLabAndBrowser(['--classroom']);

  it('teacher and two students: join, send, colours per student, a question tallied, locked controls', async () => {
    while (!/join code/.test(live.lab.output())) await new Promise((r) => setTimeout(r, 50));
    const joinUrl = /students join at (\S+)/.exec(live.lab.output())![1];
    const teacher = await page(live.browser);
    await teacher.goto(`${live.lab.url.origin}/classroom/?token=${live.lab.token}`);
    await teacher.waitForSelector('mpm-classroom[data-mode="live"]', { timeout: 15_000 });
    expect(await teacher.locator('[data-ref="joinUrl"]').innerText()).toBe(joinUrl);
    await teacher.selectOption('[data-ref="mpm"]', 'prefork');
    await teacher.click('[data-act="engine"]');
    await teacher.waitForFunction(() => window.mpmClassroom!.state()?.instance != null, null, { timeout: 20_000 });

    const students = [await page(live.browser), await page(live.browser)];
    for (const [i, s] of students.entries()) {
      await s.goto(joinUrl);
      await s.waitForSelector('mpm-classroom[data-mode="live"]', { timeout: 15_000 });
      await s.fill('[data-ref="name"]', i ? 'Grace' : 'Ada');
      await s.click('[data-ref="joinForm"] button[type="submit"]');
      await s.waitForSelector('[data-ref="sendBox"]:not([hidden])');
    }
    await teacher.waitForFunction(() => window.mpmClassroom!.state()!.participants.length === 2);
    await students[0].click('[data-send="http10"]');
    await students[0].waitForFunction(() => document.querySelectorAll('[data-ref="mine"] li').length === 5, null, { timeout: 15_000 });
    await students[1].click('[data-send="keepalive"]');
    await students[1].waitForFunction(() => document.querySelectorAll('[data-ref="mine"] li').length === 3, null, { timeout: 15_000 });
    expect(await students[0].locator('[data-ref="mine"] li').first().innerText()).toMatch(/^request \d: 200 from pid \d+, thread \d+, slot \d+\.0, keep-alive #0$/);
    // the teacher's timeline knows whose connections are whose: 5 of Ada's, 1 of Grace's, two colours
    await teacher.waitForFunction(() => window.mpmClassroom!.colors.size === 6, null, { timeout: 10_000 });
    expect(new Set(await teacher.evaluate(() => [...window.mpmClassroom!.colors.values()])).size).toBe(2);
    expect(await teacher.locator('[data-ref="people"]').innerText()).toMatch(/Ada — 5 requests[\s\S]*Grace — 3 requests/);
    // a student sees only their own colour
    expect(await students[1].evaluate(() => window.mpmClassroom!.colors.size)).toBe(1);

    await teacher.click('[data-act="ask"]');
    for (const [i, s] of students.entries()) {
      await s.waitForSelector('[data-ref="question"]:not([hidden])');
      await s.locator('[data-ref="qOptions"] input').nth(i).check();
    }
    await teacher.waitForFunction(() => window.mpmClassroom!.state()!.answered === 2, null, { timeout: 10_000 });
    expect(await teacher.locator('[data-ref="tallies"]').innerText()).toMatch(/One child serves all five: 1\s+Each goes to the next idle child: 1\s+It depends on keep-alive: 0/);

    await teacher.click('[data-act="lock"]');
    await students[0].waitForFunction(() => (document.querySelector('[data-send="single"]') as HTMLButtonElement).disabled);
    expect(await students[0].locator('[data-ref="sendText"]').innerText()).toMatch(/watch only/i);
    await teacher.screenshot({ path: artifact('classroom-teacher.png'), fullPage: true });
    for (const p of [teacher, ...students]) expect(p.problems).toEqual([]);
  }, 120_000);
});
