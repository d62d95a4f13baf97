// The bench's pure parts: reading ab's percentile file, pairing cells into ratios, the chart.
import { describe, expect, it } from 'vitest';
import { median, parsePercentiles } from '../../../engine/bench/load.js';
import { chartSvg, ratioLines, throughputTable, type BenchReport } from '../../../engine/bench/report.js';
import { ratio, type ThroughputCell } from '../../../engine/bench/throughput.js';
import { passesOf } from '../../../engine/bench/spawn.js';

const cell = (target: ThroughputCell['target'], mpm: string, reqPerSec: number, mode: ThroughputCell['mode'] = 'HTTP/1.0', concurrency = 20): ThroughputCell => ({
  target, mpm, mode, concurrency, reqPerSec, p50: 1.5, p99: 9, completed: 1000, failed: 0, failedBy: { connect: 0, receive: 0, length: 0, exceptions: 0 }, samples: [reqPerSec], processes: 20,
});

describe("ab's -e file", () => {
  it.each([
    ['Percentage served,Time in ms\n0,0.092\n50,0.145\n99,1.400\n100,4.521\n', 50, 0.145],
    ['Percentage served,Time in ms\n0,0.092\n50,0.145\n99,1.400\n100,4.521\n', 99, 1.4],
    ['Percentage served,Time in ms\r\n50,12.000\r\n', 50, 12],
  ])('%#: percentile %i is %f ms', (text, p, want) => {
    expect(parsePercentiles(text).get(p)).toBe(want);
  });
  it('has no rows for a file without any', () => expect(parsePercentiles('Percentage served,Time in ms\n').size).toBe(0));
});

describe('median of the runs', () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2], // even count: the lower middle, a run that really happened
  ])('%j → %i', (xs, want) => expect(median(xs)).toBe(want));
});

describe('ratios', () => {
  const cells = [
    cell('engine', 'prefork', 500), cell('httpd', 'prefork', 1000), cell('cluster', 'prefork', 400),
    cell('engine', 'worker', 900), cell('httpd', 'worker', 1000),
    cell('engine', 'worker', 300, 'keep-alive'),
  ];
  it.each([
    ['prefork', 'httpd', 0.5],
    ['prefork', 'cluster', 1.25],
    ['worker', 'httpd', 0.9],
  ] as const)('%s engine ÷ %s = %f', (mpm, other, want) => {
    expect(ratio(cells, cells.find((c) => c.target === 'engine' && c.mpm === mpm && c.mode === 'HTTP/1.0')!, other)).toBeCloseTo(want);
  });
  it('is NaN where the other side did not run, and the table says —', () => {
    const ka = cells.at(-1)!;
    expect(ratio(cells, ka, 'httpd')).toBeNaN();
    expect(throughputTable(cells).split('\n').at(-1)).toMatch(/—/);
  });
  it('prints one ratio line per MPM, cluster only for prefork', () => {
    expect(ratioLines(cells)).toEqual([
      'ratio engine/httpd prefork: HTTP/1.0 c=20 0.50 (cluster 1.25)',
      'ratio engine/httpd worker: HTTP/1.0 c=20 0.90, keep-alive c=20 —',
    ]);
  });
  it('draws one bar per cell', () => {
    const r = { date: 'd', quick: false, throughput: cells } as BenchReport;
    expect(chartSvg(r).match(/<rect [^>]*><title>/g)).toHaveLength(cells.length);
  });
});

describe('spawn passes', () => {
  it.each([
    [[0, 1000, 2000, 2003, 3000, 3001, 3002, 3004], [1, 1, 2, 4]],
    [[0, 10, 20], [3]],
    [[0, 150, 300, 450, 1000, 1150], [4, 2]], // forks back to back (≤ 200 ms apart) are one pass, however long it takes
    [[], []],
  ])('forks at %j ms → passes of %j', (at, want) => {
    expect(passesOf(at.map((forkAt) => ({ forkAt }))).map((p) => p.length)).toEqual(want);
  });
});
