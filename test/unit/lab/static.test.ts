import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveUnder } from '../../../engine/lab/static.js';

describe('resolveUnder', () => {
  const root = path.resolve('/srv/site');
  it.each([
    ['/', root],
    ['/basics/intro/', path.join(root, 'basics/intro')],
    ['/a/../b.js', path.join(root, 'b.js')],
    ['/../../etc/passwd', path.join(root, 'etc/passwd')],
    ['/%2e%2e/%2e%2e/etc/passwd', path.join(root, 'etc/passwd')],
    ['/x%00.html', null],
    ['/%E0%A4%A', null],
  ])('%s → %s', (url, want) => {
    expect(resolveUnder(root, url)).toBe(want);
  });
});
