import { describe, expect, it } from 'vitest';
import { checkConfig, describeEffective } from '../../../engine/config/check.js';
import type { EffectiveConfig } from '../../../engine/config/check.js';
import { loadConfig } from '../../../engine/config/load.js';
import type { ListenAddr } from '../../../engine/config/listen.js';

// spec §5.1 plus the core/http defaults (httpd.h, core.c, listen.c)
const COMMON = {
  maxConnectionsPerChild: 0, gracefulShutdownTimeoutMs: 0, listenBacklog: 511, listen: [] as ListenAddr[], timeoutMs: 60000,
  keepAlive: true, keepAliveTimeoutMs: 5000, maxKeepAliveRequests: 100, logLevel: 'warn', extendedStatus: true,
  serverName: null, limitRequestLine: 8190, limitRequestFieldSize: 8190, limitRequestFields: 100,
  limitRequestBody: 1073741824,
} as const;

const THREADED = {
  serverLimit: 16, threadLimit: 64, threadsPerChild: 25, maxRequestWorkers: 400, processLimit: 16, startServers: 3,
  minSpareServers: null, maxSpareServers: null, minSpareThreads: 75, maxSpareThreads: 250,
} as const;

describe('defaults when nothing is set (spec §5.1)', () => {
  it.each<[string, EffectiveConfig]>([
    ['prefork', {
      mpm: 'prefork', ...COMMON, serverLimit: 256, threadLimit: 1, threadsPerChild: 1, maxRequestWorkers: 256,
      processLimit: 256, startServers: 5, minSpareServers: 5, maxSpareServers: 10, minSpareThreads: null,
      maxSpareThreads: null, startThreads: null, asyncRequestWorkerFactor: null, asyncFactorEffective: null,
    }],
    ['worker', { mpm: 'worker', ...COMMON, ...THREADED, startThreads: null, asyncRequestWorkerFactor: null, asyncFactorEffective: null }],
    ['event', { mpm: 'event', ...COMMON, ...THREADED, startThreads: null, asyncRequestWorkerFactor: 2, asyncFactorEffective: 2 }],
    // the platform models: one child of 64 threads; one process of up to 2048; StartServers children of up to 256
    ['winnt', { mpm: 'winnt', ...COMMON, serverLimit: 1, threadLimit: 1920, threadsPerChild: 64, maxRequestWorkers: 64, processLimit: 1, startServers: 1,
      minSpareServers: null, maxSpareServers: null, minSpareThreads: null, maxSpareThreads: null, startThreads: null, asyncRequestWorkerFactor: null, asyncFactorEffective: null }],
    ['netware', { mpm: 'netware', ...COMMON, serverLimit: 1, threadLimit: 2048, threadsPerChild: 2048, maxRequestWorkers: 2048, processLimit: 1, startServers: 1,
      minSpareServers: null, maxSpareServers: null, minSpareThreads: 10, maxSpareThreads: 100, startThreads: 50, asyncRequestWorkerFactor: null, asyncFactorEffective: null }],
    ['mpmt_os2', { mpm: 'mpmt_os2', ...COMMON, serverLimit: 10, threadLimit: 256, threadsPerChild: 256, maxRequestWorkers: 2560, processLimit: 2, startServers: 2,
      minSpareServers: null, maxSpareServers: null, minSpareThreads: 5, maxSpareThreads: 10, startThreads: null, asyncRequestWorkerFactor: null, asyncFactorEffective: null }],
  ])('%s', (mpm, expected) => {
    const loaded = loadConfig({ mpm: expected.mpm, text: '', file: 'empty.conf', sets: [] });
    expect(loaded.ok && loaded.diagnostics).toEqual([]);
    const { config, diagnostics } = checkConfig(expected.mpm, loaded.ok ? loaded.raw : {}, { startup: true });
    expect(config).toEqual(expected);
    expect(diagnostics).toEqual([]);
  });
});

describe('units', () => {
  it.each([
    ['Timeout 30', { timeoutMs: 30000 }],
    ['KeepAliveTimeout 300ms', { keepAliveTimeoutMs: 300 }],
    ['KeepAliveTimeout 15', { keepAliveTimeoutMs: 15000 }],
    ['GracefulShutdownTimeout 3', { gracefulShutdownTimeoutMs: 3000 }],
    ['KeepAlive Off\nExtendedStatus Off', { keepAlive: false, extendedStatus: false }],
    ['LogLevel info\nServerName lab.local', { logLevel: 'info', serverName: 'lab.local' }],
    ['MaxConnectionsPerChild 10\nMaxKeepAliveRequests 0\nListenBacklog 16', { maxConnectionsPerChild: 10, maxKeepAliveRequests: 0, listenBacklog: 16 }],
    ['Listen 127.0.0.1:8080\nListen [::1]:8080', { listen: [{ host: '127.0.0.1', port: 8080 }, { host: '::1', port: 8080 }] }],
    ['LimitRequestBody 0\nLimitRequestLine 100', { limitRequestBody: 0, limitRequestLine: 100 }],
  ])('%j', (text, expected) => {
    const loaded = loadConfig({ mpm: 'prefork', text, file: 'x.conf', sets: [] });
    if (!loaded.ok) throw new Error(loaded.error);
    expect(checkConfig('prefork', loaded.raw, { startup: true }).config).toMatchObject(expected);
  });
});

describe('a stock-style httpd.conf, end to end', () => {
  const conf = [
    'ServerRoot "/etc/httpd"',
    'Listen 8080',
    'LoadModule mpm_event_module modules/mod_mpm_event.so',
    '<IfModule mpm_prefork_module>',
    '    StartServers             2',
    '    MinSpareServers          1',
    '    MaxSpareServers          1',
    '    MaxRequestWorkers      150',
    '    MaxConnectionsPerChild   0',
    '</IfModule>',
    '<IfModule mpm_event_module>',
    '    StartServers             2',
    '    MinSpareThreads         25',
    '    MaxSpareThreads         75',
    '    ThreadLimit             64',
    '    ThreadsPerChild         25',
    '    MaxRequestWorkers      150',
    '    MaxConnectionsPerChild   0',
    '</IfModule>',
    '<IfModule !mod_ssl.c>',
    '    KeepAliveTimeout 300ms',
    '</IfModule>',
  ].join('\n');

  it('prefork', () => {
    const loaded = loadConfig({ mpm: 'prefork', text: conf, file: 'httpd.conf', sets: ['MaxClients=100'] });
    if (!loaded.ok) throw new Error(loaded.error);
    expect(loaded.diagnostics.map((d) => [d.ah, d.line ?? d.file, d.text])).toEqual([
      ['', 1, "ServerRoot has no effect in MPM Lab's node engine; ignored"],
      ['', 2, 'Listen 8080 means all interfaces in httpd; MPM Lab binds 127.0.0.1:8080 instead'],
      ['', 3, "LoadModule has no effect in MPM Lab's node engine; ignored"],
      ['AH00188', '--set', 'MaxClients is deprecated, use MaxRequestWorkers instead.'],
    ]);
    const { config, diagnostics } = checkConfig('prefork', loaded.raw, { startup: true });
    expect(diagnostics).toEqual([]);
    expect(config).toMatchObject({
      startServers: 2, minSpareServers: 1, maxSpareServers: 2, maxRequestWorkers: 100, processLimit: 100,
      keepAliveTimeoutMs: 300, listen: [{ host: '127.0.0.1', port: 8080 }],
    });
  });

  it('event: 150 workers = 6 children of 25', () => {
    const loaded = loadConfig({ mpm: 'event', text: conf, file: 'httpd.conf', sets: [] });
    if (!loaded.ok) throw new Error(loaded.error);
    const { config, diagnostics } = checkConfig('event', loaded.raw, { startup: true });
    expect(diagnostics).toEqual([]);
    expect(config).toMatchObject({
      startServers: 2, minSpareThreads: 25, maxSpareThreads: 75, threadsPerChild: 25, maxRequestWorkers: 150, processLimit: 6,
    });
  });

  it('worker skips both MPM blocks and keeps its defaults', () => {
    const loaded = loadConfig({ mpm: 'worker', text: conf, file: 'httpd.conf', sets: [] });
    if (!loaded.ok) throw new Error(loaded.error);
    expect(checkConfig('worker', loaded.raw, { startup: true }).config).toMatchObject(THREADED);
  });
});

describe('describeEffective', () => {
  const effective = (mpm: 'prefork' | 'worker' | 'event', text = '') => {
    const loaded = loadConfig({ mpm, text, file: 'x.conf', sets: [] });
    if (!loaded.ok) throw new Error(loaded.error);
    return checkConfig(mpm, loaded.raw, { startup: true }).config;
  };

  it('prefork: its own directives in registry order, as a config file would write them', () => {
    expect(describeEffective(effective('prefork'))).toEqual([
      ['StartServers', '5'], ['MinSpareServers', '5'], ['MaxSpareServers', '10'], ['MaxRequestWorkers', '256'],
      ['ServerLimit', '256'], ['MaxConnectionsPerChild', '0'], ['GracefulShutdownTimeout', '0'], ['ListenBacklog', '511'],
      ['Timeout', '60'], ['KeepAlive', 'On'], ['KeepAliveTimeout', '5'], ['MaxKeepAliveRequests', '100'],
      ['LogLevel', 'warn'], ['ExtendedStatus', 'On'], ['LimitRequestLine', '8190'], ['LimitRequestFieldSize', '8190'],
      ['LimitRequestFields', '100'], ['LimitRequestBody', '1073741824'],
    ]);
  });

  it('event: threads and the async factor, no spare servers', () => {
    const names = describeEffective(effective('event')).map(([n]) => n);
    expect(names).toContain('AsyncRequestWorkerFactor');
    expect(names).toContain('ThreadsPerChild');
    expect(names).not.toContain('MinSpareServers');
  });

  it('worker: no async factor', () => {
    expect(describeEffective(effective('worker')).map(([n]) => n)).not.toContain('AsyncRequestWorkerFactor');
  });

  it('shows effective (clamped) values, milliseconds, Listen lines and ServerName', () => {
    const pairs = describeEffective(effective('prefork',
      'StartServers 0\nKeepAliveTimeout 300ms\nKeepAlive Off\nListen 127.0.0.1:81\nListen 127.0.0.1:82\nServerName lab'));
    expect(pairs).toEqual(expect.arrayContaining([
      ['StartServers', '1'], ['KeepAliveTimeout', '300ms'], ['KeepAlive', 'Off'],
      ['Listen', '127.0.0.1:81'], ['Listen', '127.0.0.1:82'], ['ServerName', 'lab'],
    ]));
  });

  it('shows a fractional AsyncRequestWorkerFactor as written', () => {
    expect(describeEffective(effective('event', 'AsyncRequestWorkerFactor 1.5'))).toContainEqual(['AsyncRequestWorkerFactor', '1.5']);
  });
});
