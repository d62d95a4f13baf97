import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../../engine/config/check.js';
import type { EffectiveConfig } from '../../../engine/config/check.js';
import type { RawConfig } from '../../../engine/config/load.js';

type Limits = Pick<EffectiveConfig,
  'serverLimit' | 'maxRequestWorkers' | 'processLimit' | 'startServers' | 'minSpareServers' | 'maxSpareServers'>;

function limits(c: EffectiveConfig): Limits {
  const { serverLimit, maxRequestWorkers, processLimit, startServers, minSpareServers, maxSpareServers } = c;
  return { serverLimit, maxRequestWorkers, processLimit, startServers, minSpareServers, maxSpareServers };
}

const DEFAULTS: Limits = {
  serverLimit: 256, maxRequestWorkers: 256, processLimit: 256, startServers: 5, minSpareServers: 5, maxSpareServers: 10,
};

// Each row: raw values, the limits that differ from the defaults, and the
// [AH id, text] lines for the first start and for a restart.
const CLAMPS: [string, RawConfig, Partial<Limits>, [string, string][], [string, string][]][] = [
  ['ServerLimit above 200000', { ServerLimit: 300000 }, { serverLimit: 200000 },
    [['AH00175', 'WARNING: ServerLimit of 300000 exceeds compile-time limit of 200000 servers, decreasing to 200000.']],
    [['AH00176', 'ServerLimit of 300000 exceeds compile-time limit of 200000, decreasing to match']]],
  ['ServerLimit 0 (then the default MaxRequestWorkers 256 exceeds it)', { ServerLimit: 0 },
    { serverLimit: 1, maxRequestWorkers: 1, processLimit: 1, startServers: 1 },
    [['AH00177', 'WARNING: ServerLimit of 0 not allowed, increasing to 1.'],
      ['AH00180', 'WARNING: MaxRequestWorkers of 256 exceeds ServerLimit value of 1 servers, decreasing MaxRequestWorkers to 1. To increase, please see the ServerLimit directive.']],
    [['AH00178', 'ServerLimit of 0 not allowed, increasing to 1'],
      ['AH00181', 'MaxRequestWorkers of 256 exceeds ServerLimit value of 1, decreasing to match']]],
  ['MaxRequestWorkers above ServerLimit', { MaxRequestWorkers: 300 }, {},
    [['AH00180', 'WARNING: MaxRequestWorkers of 300 exceeds ServerLimit value of 256 servers, decreasing MaxRequestWorkers to 256. To increase, please see the ServerLimit directive.']],
    [['AH00181', 'MaxRequestWorkers of 300 exceeds ServerLimit value of 256, decreasing to match']]],
  ['ServerLimit alone below the default MaxRequestWorkers', { ServerLimit: 10 },
    { serverLimit: 10, maxRequestWorkers: 10, processLimit: 10 },
    [['AH00180', 'WARNING: MaxRequestWorkers of 256 exceeds ServerLimit value of 10 servers, decreasing MaxRequestWorkers to 10. To increase, please see the ServerLimit directive.']],
    [['AH00181', 'MaxRequestWorkers of 256 exceeds ServerLimit value of 10, decreasing to match']]],
  ['MaxRequestWorkers 0 (StartServers then capped silently)', { MaxRequestWorkers: 0 },
    { maxRequestWorkers: 1, processLimit: 1, startServers: 1 },
    [['AH00182', 'WARNING: MaxRequestWorkers of 0 not allowed, increasing to 1.']],
    [['AH00183', 'MaxRequestWorkers of 0 not allowed, increasing to 1']]],
  ['StartServers negative', { StartServers: -2 }, { startServers: 1 },
    [['AH00184', 'WARNING: StartServers of -2 not allowed, increasing to 1.']],
    [['AH00185', 'StartServers of -2 not allowed, increasing to 1']]],
  ['MinSpareServers 0', { MinSpareServers: 0 }, { minSpareServers: 1 },
    [['AH00186', 'WARNING: MinSpareServers of 0 not allowed, increasing to 1 to avoid almost certain server failure. Please read the documentation.']],
    [['AH00187', 'MinSpareServers of 0 not allowed, increasing to 1']]],
];

describe('prefork_check_config', () => {
  it.each(CLAMPS)('%s — first start', (_what, raw, changed, startupLines) => {
    const { config, diagnostics } = checkConfig('prefork', raw, { startup: true });
    expect(limits(config)).toEqual({ ...DEFAULTS, ...changed });
    expect(diagnostics.map((d) => [d.ah, d.text])).toEqual(startupLines);
    for (const d of diagnostics) expect(d).toMatchObject({ level: 'warn', module: 'mpm_prefork', startup: true });
  });

  it.each(CLAMPS)('%s — restart', (_what, raw, changed, _s, restartLines) => {
    const { config, diagnostics } = checkConfig('prefork', raw, { startup: false });
    expect(limits(config)).toEqual({ ...DEFAULTS, ...changed });
    expect(diagnostics.map((d) => [d.ah, d.text])).toEqual(restartLines);
    for (const d of diagnostics) expect(d).toMatchObject({ level: 'warn', module: 'mpm_prefork', startup: false });
  });

  it('names the directive each line is about', () => {
    const { diagnostics } = checkConfig('prefork', { ServerLimit: 0, StartServers: 0 }, { startup: true });
    expect(diagnostics.map((d) => d.directive)).toEqual(['ServerLimit', 'MaxRequestWorkers', 'StartServers']);
  });

  it('accepts limits exactly at the edges without a word', () => {
    const { config, diagnostics } = checkConfig('prefork',
      { ServerLimit: 200000, MaxRequestWorkers: 200000, StartServers: 1, MinSpareServers: 1 }, { startup: true });
    expect(diagnostics).toEqual([]);
    expect(config.processLimit).toBe(200000);
  });
});

describe('ServerLimit across restarts', () => {
  it('refuses a new ServerLimit on restart and keeps the first one (AH00179, error log only)', () => {
    const { config, diagnostics } = checkConfig('prefork', { ServerLimit: 512, MaxRequestWorkers: 512 },
      { startup: false, firstServerLimit: 256 });
    expect(config.serverLimit).toBe(256);
    expect(config.maxRequestWorkers).toBe(256);
    expect(diagnostics.map((d) => [d.ah, d.text, d.startup])).toEqual([
      ['AH00179', 'changing ServerLimit to 512 from original value of 256 not allowed during restart', false],
      ['AH00181', 'MaxRequestWorkers of 512 exceeds ServerLimit value of 256, decreasing to match', false],
    ]);
  });

  it('compares after clamping', () => {
    const { config, diagnostics } = checkConfig('prefork', { ServerLimit: 300000 }, { startup: false, firstServerLimit: 256 });
    expect(config.serverLimit).toBe(256);
    expect(diagnostics.map((d) => d.ah)).toEqual(['AH00176', 'AH00179']);
    expect(diagnostics[1]!.text).toBe('changing ServerLimit to 200000 from original value of 256 not allowed during restart');
  });

  it('says nothing when ServerLimit is unchanged', () => {
    expect(checkConfig('prefork', { ServerLimit: 300 }, { startup: false, firstServerLimit: 300 }).diagnostics).toEqual([]);
  });

  it('a smaller MaxRequestWorkers can change on a graceful restart', () => {
    const { config, diagnostics } = checkConfig('prefork', { MaxRequestWorkers: 20 }, { startup: false, firstServerLimit: 256 });
    expect([config.maxRequestWorkers, diagnostics]).toEqual([20, []]);
  });
});

describe('prefork_run silent adjustments', () => {
  it.each([
    ['MaxSpareServers below MinSpareServers', { MinSpareServers: 10, MaxSpareServers: 5 }, { minSpareServers: 10, maxSpareServers: 11 }],
    ['MaxSpareServers equal to MinSpareServers', { MinSpareServers: 10, MaxSpareServers: 10 }, { minSpareServers: 10, maxSpareServers: 11 }],
    ['MaxSpareServers = MinSpareServers + 1 is kept', { MinSpareServers: 10, MaxSpareServers: 11 }, { minSpareServers: 10, maxSpareServers: 11 }],
    ['MaxSpareServers 0 after MinSpareServers was raised to 1', { MinSpareServers: 0, MaxSpareServers: 0 }, { minSpareServers: 1, maxSpareServers: 2 }],
    ['StartServers capped at MaxRequestWorkers', { StartServers: 20, MaxRequestWorkers: 10 }, { startServers: 10, maxRequestWorkers: 10, processLimit: 10 }],
  ] as const)('%s', (_what, raw, expected) => {
    const { config, diagnostics } = checkConfig('prefork', raw, { startup: true });
    expect(limits(config)).toEqual({ ...DEFAULTS, ...expected });
    expect(diagnostics.filter((d) => d.directive === 'MaxSpareServers' || d.directive === 'StartServers')).toEqual([]);
  });

  it('with 2 listener buckets every pool holds at least one child per bucket', () => {
    const { config } = checkConfig('prefork', { StartServers: 1, MinSpareServers: 1, MaxSpareServers: 1, MaxRequestWorkers: 1 },
      { startup: true, numBuckets: 2 });
    expect(limits(config)).toEqual({ ...DEFAULTS, maxRequestWorkers: 2, processLimit: 2, startServers: 2, minSpareServers: 2, maxSpareServers: 4 });
  });

  it('prefork has one thread per child', () => {
    const { config } = checkConfig('prefork', {}, { startup: true });
    expect([config.threadsPerChild, config.threadLimit, config.minSpareThreads, config.asyncRequestWorkerFactor]).toEqual([1, 1, null, null]);
  });
});
