import { describe, expect, it } from 'vitest';
import { asyncFactorEffective, checkConfig } from '../../../engine/config/check.js';
import type { EffectiveConfig } from '../../../engine/config/check.js';
import type { RawConfig } from '../../../engine/config/load.js';

type Limits = Pick<EffectiveConfig,
  | 'serverLimit' | 'threadLimit' | 'threadsPerChild' | 'maxRequestWorkers' | 'processLimit' | 'startServers'
  | 'minSpareThreads' | 'maxSpareThreads'>;

function limits(c: EffectiveConfig): Limits {
  const { serverLimit, threadLimit, threadsPerChild, maxRequestWorkers, processLimit, startServers, minSpareThreads, maxSpareThreads } = c;
  return { serverLimit, threadLimit, threadsPerChild, maxRequestWorkers, processLimit, startServers, minSpareThreads, maxSpareThreads };
}

const DEFAULTS: Limits = {
  serverLimit: 16, threadLimit: 64, threadsPerChild: 25, maxRequestWorkers: 400, processLimit: 16, startServers: 3,
  minSpareThreads: 75, maxSpareThreads: 250,
};

// worker id → event id: event.c has the same messages under other numbers.
const EVENT_ID: Record<string, string> = {
  AH00300: 'AH00497', AH00301: 'AH00498', AH00302: 'AH00499', AH00303: 'AH00500', AH00304: 'AH00501',
  AH00305: 'AH00502', AH00306: 'AH00503', AH00307: 'AH00504', AH00308: 'AH00505', AH00309: 'AH00506',
  AH00310: 'AH00507', AH00311: 'AH00508', AH00312: 'AH00509', AH00313: 'AH00510', AH00314: 'AH00511',
  AH00315: 'AH00512', AH00316: 'AH00513', AH00317: 'AH00514', AH00318: 'AH00515', AH00319: 'AH00516',
  AH00320: 'AH00517', AH00321: 'AH00518', AH00322: 'AH00519', AH00323: 'AH00520',
};
const idFor = (mpm: 'worker' | 'event', workerId: string) => (mpm === 'worker' ? workerId : EVENT_ID[workerId]!);

// raw, changed limits, startup lines, restart lines (worker ids; event mapped).
type Row = [string, RawConfig, Partial<Limits>, [string, string][], [string, string][]];
const CLAMPS: Row[] = [
  ['ServerLimit above 20000', { ServerLimit: 30000 }, { serverLimit: 20000 },
    [['AH00300', 'WARNING: ServerLimit of 30000 exceeds compile-time limit of 20000 servers, decreasing to 20000.']],
    [['AH00301', 'ServerLimit of 30000 exceeds compile-time limit of 20000, decreasing to match']]],
  ['ServerLimit 0 (then 16 processes no longer fit)', { ServerLimit: 0 }, { serverLimit: 1, processLimit: 1, startServers: 1 },
    [['AH00302', 'WARNING: ServerLimit of 0 not allowed, increasing to 1.'],
      ['AH00318', 'WARNING: MaxRequestWorkers of 400 would require 16 servers and would exceed ServerLimit of 1, decreasing to 25. To increase, please see the ServerLimit directive.']],
    [['AH00303', 'ServerLimit of 0 not allowed, increasing to 1'],
      ['AH00319', 'MaxRequestWorkers of 400 would require 16 servers and exceed ServerLimit of 1, decreasing to 25']]],
  ['ThreadLimit 0 (ThreadsPerChild follows, then the processes no longer fit)', { ThreadLimit: 0 },
    { threadLimit: 1, threadsPerChild: 1, maxRequestWorkers: 400, processLimit: 16, minSpareThreads: 75, maxSpareThreads: 250 },
    [['AH00307', 'WARNING: ThreadLimit of 0 not allowed, increasing to 1.'],
      ['AH00310', 'WARNING: ThreadsPerChild of 25 exceeds ThreadLimit of 1 threads, decreasing to 1. To increase, please see the ThreadLimit directive.'],
      ['AH00318', 'WARNING: MaxRequestWorkers of 400 would require 400 servers and would exceed ServerLimit of 16, decreasing to 16. To increase, please see the ServerLimit directive.']],
    [['AH00308', 'ThreadLimit of 0 not allowed, increasing to 1'],
      ['AH00311', 'ThreadsPerChild of 25 exceeds ThreadLimit of 1, decreasing to match'],
      ['AH00319', 'MaxRequestWorkers of 400 would require 400 servers and exceed ServerLimit of 16, decreasing to 16']]],
  ['ThreadsPerChild above ThreadLimit (then 400 is no multiple of 64)', { ThreadsPerChild: 100 },
    { threadsPerChild: 64, maxRequestWorkers: 384, processLimit: 6, minSpareThreads: 75, maxSpareThreads: 250 },
    [['AH00310', 'WARNING: ThreadsPerChild of 100 exceeds ThreadLimit of 64 threads, decreasing to 64. To increase, please see the ThreadLimit directive.'],
      ['AH00316', 'WARNING: MaxRequestWorkers of 400 is not an integer multiple of ThreadsPerChild of 64, decreasing to nearest multiple 384, for a maximum of 6 servers.']],
    [['AH00311', 'ThreadsPerChild of 100 exceeds ThreadLimit of 64, decreasing to match'],
      ['AH00317', 'MaxRequestWorkers of 400 is not an integer multiple of ThreadsPerChild of 64, decreasing to nearest multiple 384']]],
  ['ThreadsPerChild 0', { ThreadsPerChild: 0 }, { threadsPerChild: 1 },
    [['AH00312', 'WARNING: ThreadsPerChild of 0 not allowed, increasing to 1.'],
      ['AH00318', 'WARNING: MaxRequestWorkers of 400 would require 400 servers and would exceed ServerLimit of 16, decreasing to 16. To increase, please see the ServerLimit directive.']],
    [['AH00313', 'ThreadsPerChild of 0 not allowed, increasing to 1'],
      ['AH00319', 'MaxRequestWorkers of 400 would require 400 servers and exceed ServerLimit of 16, decreasing to 16']]],
  ['MaxRequestWorkers below ThreadsPerChild', { MaxRequestWorkers: 10 }, { maxRequestWorkers: 25, processLimit: 1, startServers: 1 },
    [['AH00314', 'WARNING: MaxRequestWorkers of 10 is less than ThreadsPerChild of 25, increasing to 25. MaxRequestWorkers must be at least as large as the number of threads in a single server.']],
    [['AH00315', 'MaxRequestWorkers of 10 is less than ThreadsPerChild of 25, increasing to match']]],
  ['MaxRequestWorkers not a multiple of ThreadsPerChild', { MaxRequestWorkers: 410 }, { maxRequestWorkers: 400 },
    [['AH00316', 'WARNING: MaxRequestWorkers of 410 is not an integer multiple of ThreadsPerChild of 25, decreasing to nearest multiple 400, for a maximum of 16 servers.']],
    [['AH00317', 'MaxRequestWorkers of 410 is not an integer multiple of ThreadsPerChild of 25, decreasing to nearest multiple 400']]],
  ['MaxRequestWorkers needing more than ServerLimit processes: only the process limit drops', { MaxRequestWorkers: 1000 },
    { maxRequestWorkers: 1000, processLimit: 16 },
    [['AH00318', 'WARNING: MaxRequestWorkers of 1000 would require 40 servers and would exceed ServerLimit of 16, decreasing to 400. To increase, please see the ServerLimit directive.']],
    [['AH00319', 'MaxRequestWorkers of 1000 would require 40 servers and exceed ServerLimit of 16, decreasing to 400']]],
  ['both: rounded first, then capped', { MaxRequestWorkers: 1010 }, { maxRequestWorkers: 1000, processLimit: 16 },
    [['AH00316', 'WARNING: MaxRequestWorkers of 1010 is not an integer multiple of ThreadsPerChild of 25, decreasing to nearest multiple 1000, for a maximum of 40 servers.'],
      ['AH00318', 'WARNING: MaxRequestWorkers of 1000 would require 40 servers and would exceed ServerLimit of 16, decreasing to 400. To increase, please see the ServerLimit directive.']],
    [['AH00317', 'MaxRequestWorkers of 1010 is not an integer multiple of ThreadsPerChild of 25, decreasing to nearest multiple 1000'],
      ['AH00319', 'MaxRequestWorkers of 1000 would require 40 servers and exceed ServerLimit of 16, decreasing to 400']]],
  ['StartServers 0', { StartServers: 0 }, { startServers: 1 },
    [['AH00320', 'WARNING: StartServers of 0 not allowed, increasing to 1.']],
    [['AH00321', 'StartServers of 0 not allowed, increasing to 1']]],
  ['MinSpareThreads negative', { MinSpareThreads: -5 }, { minSpareThreads: 1 },
    [['AH00322', 'WARNING: MinSpareThreads of -5 not allowed, increasing to 1 to avoid almost certain server failure. Please read the documentation.']],
    [['AH00323', 'MinSpareThreads of -5 not allowed, increasing to 1']]],
];

describe.each(['worker', 'event'] as const)('%s_check_config', (mpm) => {
  it.each(CLAMPS)('%s — first start', (_what, raw, changed, startupLines) => {
    const { config, diagnostics } = checkConfig(mpm, raw, { startup: true });
    expect(limits(config)).toEqual({ ...DEFAULTS, ...changed });
    expect(diagnostics.map((d) => [d.ah, d.text])).toEqual(startupLines.map(([id, text]) => [idFor(mpm, id), text]));
    for (const d of diagnostics) expect(d).toMatchObject({ level: 'warn', module: `mpm_${mpm}`, startup: true });
  });

  it.each(CLAMPS)('%s — restart', (_what, raw, changed, _s, restartLines) => {
    const { config, diagnostics } = checkConfig(mpm, raw, { startup: false });
    expect(limits(config)).toEqual({ ...DEFAULTS, ...changed });
    expect(diagnostics.map((d) => [d.ah, d.text])).toEqual(restartLines.map(([id, text]) => [idFor(mpm, id), text]));
    for (const d of diagnostics) expect(d).toMatchObject({ level: 'warn', module: `mpm_${mpm}`, startup: false });
  });

  it('refuses a new ServerLimit on restart', () => {
    const { config, diagnostics } = checkConfig(mpm, { ServerLimit: 32 }, { startup: false, firstServerLimit: 16, firstThreadLimit: 64 });
    expect(config.serverLimit).toBe(16);
    expect(diagnostics.map((d) => [d.ah, d.text, d.startup])).toEqual([
      [idFor(mpm, 'AH00304'), 'changing ServerLimit to 32 from original value of 16 not allowed during restart', false]]);
  });

  it('refuses a new ThreadLimit on restart', () => {
    const { config, diagnostics } = checkConfig(mpm, { ThreadLimit: 128, ThreadsPerChild: 100 },
      { startup: false, firstServerLimit: 16, firstThreadLimit: 64 });
    expect([config.threadLimit, config.threadsPerChild]).toEqual([64, 64]);
    expect(diagnostics.map((d) => [d.ah, d.text])).toEqual([
      [idFor(mpm, 'AH00309'), 'changing ThreadLimit to 128 from original value of 64 not allowed during restart'],
      [idFor(mpm, 'AH00311'), 'ThreadsPerChild of 100 exceeds ThreadLimit of 64, decreasing to match'],
      [idFor(mpm, 'AH00317'), 'MaxRequestWorkers of 400 is not an integer multiple of ThreadsPerChild of 64, decreasing to nearest multiple 384'],
    ]);
  });

  it('ThreadsPerChild and MaxRequestWorkers may change on a graceful restart', () => {
    const { config, diagnostics } = checkConfig(mpm, { ThreadsPerChild: 50, MaxRequestWorkers: 200 },
      { startup: false, firstServerLimit: 16, firstThreadLimit: 64 });
    expect([config.threadsPerChild, config.maxRequestWorkers, config.processLimit, diagnostics]).toEqual([50, 200, 4, []]);
  });

  it.each([
    ['MaxSpareThreads below MinSpareThreads + ThreadsPerChild + 1', { MinSpareThreads: 100, MaxSpareThreads: 110 }, { minSpareThreads: 100, maxSpareThreads: 126 }],
    ['MaxSpareThreads = MinSpareThreads + ThreadsPerChild is still raised', { MinSpareThreads: 100, MaxSpareThreads: 125 }, { minSpareThreads: 100, maxSpareThreads: 126 }],
    ['MaxSpareThreads = MinSpareThreads + ThreadsPerChild + 1 is kept', { MinSpareThreads: 100, MaxSpareThreads: 126 }, { minSpareThreads: 100, maxSpareThreads: 126 }],
    ['MaxSpareThreads 0 with the default MinSpareThreads', { MaxSpareThreads: 0 }, { maxSpareThreads: 101 }],
    ['StartServers capped at the process limit', { StartServers: 20 }, { startServers: 16 }],
    ['StartServers capped at a process limit lowered by ServerLimit', { StartServers: 20, ServerLimit: 4, MaxRequestWorkers: 100 },
      { serverLimit: 4, maxRequestWorkers: 100, processLimit: 4, startServers: 4 }],
  ] as const)('silently: %s', (_what, raw, expected) => {
    const { config, diagnostics } = checkConfig(mpm, raw, { startup: true });
    expect(limits(config)).toEqual({ ...DEFAULTS, ...expected });
    expect(diagnostics).toEqual([]);
  });

  it('a tiny pool (the threads contract check) passes without a word', () => {
    const raw = { StartServers: 1, ServerLimit: 1, ThreadsPerChild: 2, ThreadLimit: 2, MaxRequestWorkers: 2, MinSpareThreads: 1, MaxSpareThreads: 4 };
    const { config, diagnostics } = checkConfig(mpm, raw, { startup: true });
    expect(diagnostics).toEqual([]);
    expect(limits(config)).toEqual({
      serverLimit: 1, threadLimit: 2, threadsPerChild: 2, maxRequestWorkers: 2, processLimit: 1, startServers: 1,
      minSpareThreads: 1, maxSpareThreads: 4,
    });
  });

  it('with 2 listener buckets MinSpareThreads covers a child per bucket', () => {
    const { config } = checkConfig(mpm, { MinSpareThreads: 1, MaxSpareThreads: 1 }, { startup: true, numBuckets: 2 });
    expect([config.minSpareThreads, config.maxSpareThreads]).toEqual([27, 79]);
  });

  it('has no spare-server settings', () => {
    const { config } = checkConfig(mpm, {}, { startup: true });
    expect([config.minSpareServers, config.maxSpareServers]).toEqual([null, null]);
  });
});

describe('ThreadLimit maximum differs', () => {
  it('worker: 20000 (AH00305)', () => {
    const { config, diagnostics } = checkConfig('worker', { ThreadLimit: 30000 }, { startup: true });
    expect(config.threadLimit).toBe(20000);
    expect(diagnostics.map((d) => [d.ah, d.text])).toEqual([
      ['AH00305', 'WARNING: ThreadLimit of 30000 exceeds compile-time limit of 20000 threads, decreasing to 20000.']]);
  });

  it('event: 30000 is fine', () => {
    const { config, diagnostics } = checkConfig('event', { ThreadLimit: 30000 }, { startup: true });
    expect([config.threadLimit, diagnostics]).toEqual([30000, []]);
  });

  it.each([
    [true, 'AH00502', 'WARNING: ThreadLimit of 200000 exceeds compile-time limit of 100000 threads, decreasing to 100000.'],
    [false, 'AH00503', 'ThreadLimit of 200000 exceeds compile-time limit of 100000, decreasing to match'],
  ])('event: 100000 (startup %s)', (startup, ah, text) => {
    const { config, diagnostics } = checkConfig('event', { ThreadLimit: 200000 }, { startup });
    expect(config.threadLimit).toBe(100000);
    expect(diagnostics.map((d) => [d.ah, d.text])).toEqual([[ah, text]]);
  });

  it('worker restart form (AH00306)', () => {
    const { diagnostics } = checkConfig('worker', { ThreadLimit: 30000 }, { startup: false });
    expect(diagnostics.map((d) => [d.ah, d.text])).toEqual([
      ['AH00306', 'ThreadLimit of 30000 exceeds compile-time limit of 20000, decreasing to match']]);
  });
});

describe('AsyncRequestWorkerFactor (event)', () => {
  it.each([
    [2, 2], [3, 3], [1.5, 1], [2.9, 2], [0.5, 1], [0.01, 1], [1, 1], [10.99, 10],
  ])('%s acts as %s', (factor, effective) => {
    expect(asyncFactorEffective(factor)).toBe(effective);
    const { config } = checkConfig('event', { AsyncRequestWorkerFactor: factor }, { startup: true });
    expect([config.asyncRequestWorkerFactor, config.asyncFactorEffective]).toEqual([factor, effective]);
  });

  it('defaults to 2', () => {
    const { config } = checkConfig('event', {}, { startup: true });
    expect([config.asyncRequestWorkerFactor, config.asyncFactorEffective]).toEqual([2, 2]);
  });

  it('is not a worker setting', () => {
    const { config } = checkConfig('worker', {}, { startup: true });
    expect([config.asyncRequestWorkerFactor, config.asyncFactorEffective]).toEqual([null, null]);
  });
});
