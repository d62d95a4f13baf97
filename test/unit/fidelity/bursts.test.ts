// The spawn-ramp experiments read bursts out of (time, children) samples: the
// children one maintenance pass forks arrive within a few ms of each other.
import { describe, expect, it } from 'vitest';
import { bursts } from '../../../engine/fidelity/catalogue.js';

describe('bursts', () => {
  it.each([
    ['no growth', [[0, 1], [50, 1], [100, 1]], []],
    ['one child per second, then 2, then 4', [[0, 1], [1000, 2], [2000, 4], [2050, 4], [3000, 8]], [1, 2, 4]],
    ['a burst seen over two samples is one burst', [[0, 1], [1000, 3], [1050, 5], [2000, 5], [2100, 9]], [4, 4]],
    ['exits do not count, growth after them does', [[0, 4], [1000, 3], [2000, 5]], [2]],
  ] as Array<[string, Array<[number, number]>, number[]]>)('%s', (_, samples, expected) => {
    expect(bursts(samples)).toEqual(expected);
  });
});
