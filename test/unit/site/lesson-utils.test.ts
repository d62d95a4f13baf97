// The lesson page's pure helpers: "show solution" diffs, and the progress
// record (localStorage, export/import).
import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../../site/playground/lesson/diff.js';
import { empty, load, merge, parseProgress, record, PROGRESS_KEY } from '../../../site/playground/lesson/progress.js';
import { averageMb, sizeFor } from '../../../site/playground/lesson/sizing.js';

describe('lineDiff', () => {
  const show = (a: string, b: string) => lineDiff(a, b).map((d) => `${d.op}${d.text}`);
  it.each([
    ['same text', 'A 1\nB 2\n', 'A 1\nB 2', [' A 1', ' B 2']],
    ['a changed value', 'StartServers 3\nMinSpareServers 1\n', 'StartServers 1\nMinSpareServers 1\n', ['-StartServers 3', '+StartServers 1', ' MinSpareServers 1']],
    ['a line to add', 'A 1\n', 'A 1\nB 2\n', [' A 1', '+B 2']],
    ['a line to remove', 'A 1\nB 2\nC 3', 'A 1\nC 3', [' A 1', '-B 2', ' C 3']],
    ['from nothing', '', 'A 1', ['+A 1']],
    ['trailing blanks and CRLF do not count', 'A 1  \r\nB 2\r\n\r\n', 'A 1\nB 2', [' A 1', ' B 2']],
  ] as const)('%s', (_, a, b, expected) => {
    expect(show(a, b)).toEqual(expected);
  });
});

class Mem {
  data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
}

describe('progress', () => {
  it('records per lesson, merging what is known', () => {
    const m = new Mem();
    record(m, 'basics/02-which-child', { ranAt: '2026-11-22T10:00:00.000Z', backend: 'node' });
    record(m, 'basics/02-which-child', { choice: 'other', correct: true });
    expect(load(m).lessons['basics/02-which-child']).toEqual({ ranAt: '2026-11-22T10:00:00.000Z', backend: 'node', choice: 'other', correct: true });
  });

  it('survives a broken or foreign localStorage entry', () => {
    const m = new Mem();
    m.setItem(PROGRESS_KEY, '{not json');
    expect(load(m)).toEqual(empty());
  });

  it.each([
    ['not JSON', '{', /JSON|Unexpected|Expected/],
    ['another app', '{"app":"x","version":1,"lessons":{}}', /not an MPM Lab progress file/],
    ['another version', '{"app":"mpm-lab","version":2,"lessons":{}}', /not an MPM Lab progress file/],
  ] as const)('refuses an import that is %s', (_, text, why) => {
    expect(() => parseProgress(text)).toThrow(why);
  });

  it('keeps only known fields and well-formed lesson ids from an import', () => {
    const p = parseProgress(JSON.stringify({ app: 'mpm-lab', version: 1, lessons: { 'basics/01-x': { choice: 'a', correct: 'yes', ranAt: 'never', backend: 'httpd', extra: 1 }, '../../etc': { choice: 'b' } } }));
    expect(p!.lessons).toEqual({ 'basics/01-x': { choice: 'a', backend: 'httpd' } });
  });

  it('imports by merging: the later run of a lesson wins, others are kept', () => {
    const mine = { ...empty(), lessons: { a: { ranAt: '2026-11-22T10:00:00Z', correct: false }, b: { ranAt: '2026-11-22T10:00:00Z' } } };
    const theirs = { ...empty(), lessons: { a: { ranAt: '2026-11-22T11:00:00Z', correct: true }, b: { ranAt: '2026-11-21T10:00:00Z', correct: true }, c: { ranAt: '2026-11-20T10:00:00Z' } } };
    expect(merge(mine, theirs).lessons).toEqual({ a: theirs.lessons.a, b: mine.lessons.b, c: theirs.lessons.c });
  });
});

describe('sizing MaxRequestWorkers by memory', () => {
  const kids = [
    { pid: 1, rssKb: 51200, pssKb: 20480, ussKb: 10240 },
    { pid: 2, rssKb: 53248, pssKb: 22528, ussKb: 12288 },
  ];
  it('averages a field over the measured children, in MiB', () => {
    expect([averageMb(kids, 'ussKb'), averageMb(kids, 'rssKb'), averageMb([], 'ussKb')]).toEqual([11, 51, null]);
  });
  it.each([
    ['1 GiB at 11 MiB a child', 1024, 11, 51, { children: 93, byRss: 20 }],
    ['too little for one', 5, 11, null, { children: 0, byRss: null }],
  ] as const)('%s', (_, ram, per, rss, expected) => {
    expect(sizeFor(ram, per, rss)).toEqual(expected);
  });
  it.each([[0, 10], [1024, 0], [Number.NaN, 10]])('nothing to say for RAM %s, per child %s', (ram, per) => {
    expect(sizeFor(ram, per)).toBeNull();
  });
});
