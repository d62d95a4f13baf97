// The classroom's rules as tables: what a participant's send may be, the rate
// limit's bucket on a fake clock, names, the cap, codes.
import { describe, expect, it } from 'vitest';
import { Classroom, newJoinCode } from '../../../engine/lab/classroom.js';
import { DriverStep } from '../../../engine/protocol/messages.js';

const steps = (...s: unknown[]) => s.map((x) => DriverStep.parse(x));

function room(now = { t: 0 }) {
  const c = new Classroom('http://127.0.0.1:4321', 3, () => now.t);
  c.instance = 'a';
  return { c, now, p: c.join('Ada') };
}

describe('Classroom.admitDrive', () => {
  it.each([
    [[{ mode: 'single' }], null],
    [[{ mode: 'sequential', n: 20 }], null],
    [[{ mode: 'sequential', n: 21 }], /at most 20 requests/],
    [[{ mode: 'burst', connections: 10, requests: 2 }], null],
    [[{ mode: 'burst', connections: 11, requests: 1 }], /at most 10 connections/],
    [[{ mode: 'burst', connections: 5, requests: 5 }], /at most 20 requests .*25/],
    [[{ mode: 'keepalive', n: 4, thinkMs: 5000 }], null], // 15 s: the limit itself
    [[{ mode: 'keepalive', n: 5, thinkMs: 5000 }], /at most 15 s of waiting/],
    [[{ mode: 'hold', connections: 2, ms: 20_000 }], /at most 15 s of waiting/],
    [[{ mode: 'raw', data: 'GET /\r\n' }], /raw bytes/],
    [[{ mode: 'single' }, { mode: 'sequential', n: 19 }], null],
    [[{ mode: 'single' }, { mode: 'sequential', n: 20 }], /at most 20 requests .*21/],
  ])('%j → %s', (s, refusal) => {
    const { c, p } = room();
    const run = () => c.admitDrive(p.id, steps(...s));
    if (refusal) expect(run).toThrow(refusal);
    else expect(run).not.toThrow();
  });

  it('refuses before joining, while locked, while frozen, and with no shared engine', () => {
    const { c, p } = room();
    expect(() => c.admitDrive('p99', steps({ mode: 'single' }))).toThrow(/join first/);
    c.locked = true;
    expect(() => c.admitDrive(p.id, steps({ mode: 'single' }))).toThrow(/locked/);
    c.locked = false;
    c.frozen = true;
    expect(() => c.admitDrive(p.id, steps({ mode: 'single' }))).toThrow(/frozen/);
    c.frozen = false;
    c.instance = null;
    expect(() => c.admitDrive(p.id, steps({ mode: 'single' }))).toThrow(/no engine/);
  });

  it('rate limit: 5 at once, then one per 2 s, never more than 5 saved up', () => {
    const { c, now, p } = room();
    const ok = () => {
      try {
        c.admitDrive(p.id, steps({ mode: 'single' }));
        return true;
      } catch {
        return false;
      }
    };
    expect([ok(), ok(), ok(), ok(), ok(), ok()]).toEqual([true, true, true, true, true, false]);
    now.t = 1999;
    expect(ok()).toBe(false);
    now.t = 2000;
    expect([ok(), ok()]).toEqual([true, false]);
    now.t = 60_000; // a long pause refills the bucket, to 5 and no more
    expect([ok(), ok(), ok(), ok(), ok(), ok()]).toEqual([true, true, true, true, true, false]);
  });
});

describe('Classroom membership', () => {
  it('names are cleaned and made unique; the cap is enforced', () => {
    const { c } = room();
    expect(c.join('  Ada ').name).toBe('Ada 2');
    expect(c.join('ada').name).toBe('ada 3');
    expect(() => c.join('Bob')).toThrow(/the class is full \(3 participants\)/);
    c.leave('p1');
    expect(c.join('\u0007').name).toBe('Student');
  });

  it('codes: 6 unambiguous letters and digits, any case accepted, rotation retires the old one', () => {
    for (let i = 0; i < 50; i++) expect(newJoinCode()).toMatch(/^[A-HJ-KM-NP-Z2-9]{6}$/);
    const { c } = room();
    const old = c.code;
    expect(c.codeMatches(old.toLowerCase())).toBe(true);
    expect(c.codeMatches(null)).toBe(false);
    c.rotate();
    expect(c.codeMatches(old)).toBe(false);
    expect(c.joinUrl).toBe(`http://127.0.0.1:4321/classroom/?code=${c.code}`);
  });

  it('tallies answers to the current question only, one per participant, for the teacher only', () => {
    const { c, p } = room();
    const q = { id: 'q', text: 'Which?', choices: [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }] };
    c.ask(q);
    c.answer(p.id, 'q', 'a');
    c.answer(p.id, 'q', 'b');
    expect(() => c.answer(p.id, 'old', 'a')).toThrow(/not on the board/);
    expect(c.state(true).tallies).toEqual({ a: 0, b: 1 });
    expect(c.state(false).tallies).toBeUndefined();
    expect(c.state(false).code).toBeUndefined();
    c.ask(null);
    expect(c.state(true)).toMatchObject({ question: null, answered: 0 });
  });
});
