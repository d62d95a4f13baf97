import { describe, expect, it } from 'vitest';
import { LOG_LEVELS } from '../../../engine/log/error-log.js';
import type { DirectiveName } from '../../../engine/config/directives.js';
import {
  DIRECTIVES, MPM_NAMES, UNSUPPORTED_DIRECTIVES, appliesTo, defaultValue, findDirective, forMpm,
} from '../../../engine/config/directives.js';

const UNIX = ['prefork', 'worker', 'event'] as const;

// Every key of DirectiveValues: the compiler checks this list is complete.
const VALUE_DIRECTIVES: Record<DirectiveName, true> = {
  StartServers: true, MinSpareServers: true, MaxSpareServers: true, MaxRequestWorkers: true, ServerLimit: true,
  ThreadsPerChild: true, ThreadLimit: true, MinSpareThreads: true, MaxSpareThreads: true, StartThreads: true, MaxThreads: true,
  AsyncRequestWorkerFactor: true, MaxConnectionsPerChild: true, GracefulShutdownTimeout: true, ListenBacklog: true,
  Listen: true, Timeout: true, KeepAlive: true, KeepAliveTimeout: true, MaxKeepAliveRequests: true, LogLevel: true,
  ExtendedStatus: true, ServerName: true, LimitRequestLine: true, LimitRequestFieldSize: true,
  LimitRequestFields: true, LimitRequestBody: true,
};

const IGNORED = ['LoadModule', 'User', 'Group', 'ServerRoot', 'DocumentRoot', 'ErrorLog', 'CustomLog', 'LogFormat',
  'PidFile', 'Mutex', 'AcceptFilter', 'ServerTokens', 'ServerAdmin'];

describe('the registry', () => {
  it('has one entry per value directive plus the ignored ones, nothing else', () => {
    expect(DIRECTIVES.filter((d) => d.kind !== 'ignored').map((d) => d.name).sort())
      .toEqual(Object.keys(VALUE_DIRECTIVES).sort());
    expect(DIRECTIVES.filter((d) => d.kind === 'ignored').map((d) => d.name).sort()).toEqual([...IGNORED].sort());
  });

  it('has no name twice, counting aliases and ignoring case', () => {
    const names = DIRECTIVES.flatMap((d) => [d.name, ...d.aliases.map((a) => a.name)]).map((n) => n.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    for (const u of UNSUPPORTED_DIRECTIVES) expect(findDirective(u)).toBeUndefined();
  });

  // the value type each kind produces (load.ts stores it under the directive's name)
  const TYPE_OF_KIND: Record<string, (v: unknown) => boolean> = {
    int: Number.isInteger, bytes: Number.isInteger, float: (v) => typeof v === 'number',
    onoff: (v) => typeof v === 'boolean', 'keepalive-timeout': Number.isInteger,
    listen: Array.isArray, loglevel: (v) => (LOG_LEVELS as readonly unknown[]).includes(v),
    string: (v) => v === null || typeof v === 'string',
  };

  it.each(DIRECTIVES.filter((d) => d.kind !== 'ignored').map((d) => [d.name, d] as const))(
    '%s has a default and a help string for every MPM it applies to', (_name, spec) => {
      const mpms = MPM_NAMES.filter((m) => appliesTo(spec, m));
      expect(mpms.length).toBeGreaterThan(0);
      for (const mpm of mpms) {
        const v = forMpm(spec.default, mpm);
        expect(v, `${spec.name} default for ${mpm}`).not.toBeUndefined();
        expect(TYPE_OF_KIND[spec.kind]!(v), `${spec.name} default ${JSON.stringify(v)} is a ${spec.kind}`).toBe(true);
        expect(forMpm(spec.help, mpm)).toMatch(/\w/);
      }
      expect(spec.doc.length).toBeGreaterThan(40);
      expect(spec.cvar).not.toBe('');
    });

  it.each(IGNORED)('%s: documented and says it is ignored', (name) => {
    const spec = findDirective(name)!.spec;
    expect(spec.doc).toMatch(/no effect in MPM Lab/);
    expect(spec.mpms).toBe('core');
    expect(spec.help).toMatch(/\w/);
  });
});

describe('defaults (spec §5.1)', () => {
  it.each([
    ['StartServers', [5, 3, 3]],
    ['ServerLimit', [256, 16, 16]],
    ['MaxRequestWorkers', [256, 400, 400]],
    ['MaxConnectionsPerChild', [0, 0, 0]],
    ['GracefulShutdownTimeout', [0, 0, 0]],
    ['ListenBacklog', [511, 511, 511]],
    ['Timeout', [60, 60, 60]],
    ['KeepAlive', [true, true, true]],
    ['KeepAliveTimeout', [5000, 5000, 5000]],
    ['MaxKeepAliveRequests', [100, 100, 100]],
    ['LimitRequestLine', [8190, 8190, 8190]],
    ['LimitRequestFieldSize', [8190, 8190, 8190]],
    ['LimitRequestFields', [100, 100, 100]],
    ['LimitRequestBody', [1073741824, 1073741824, 1073741824]],
  ] as const)('%s prefork/worker/event = %j', (name, values) => {
    expect(UNIX.map((m) => defaultValue(name, m))).toEqual(values);
  });

  it.each([
    ['MinSpareServers', 'prefork', 5], ['MaxSpareServers', 'prefork', 10],
    ['ThreadsPerChild', 'worker', 25], ['ThreadLimit', 'event', 64],
    ['MinSpareThreads', 'worker', 75], ['MaxSpareThreads', 'event', 250],
    ['AsyncRequestWorkerFactor', 'event', 2],
    // the platform MPMs' mpm_default.h
    ['ThreadsPerChild', 'winnt', 64], ['ThreadLimit', 'winnt', 1920],
    ['StartThreads', 'netware', 50], ['MaxThreads', 'netware', 2048], ['MinSpareThreads', 'netware', 10], ['MaxSpareThreads', 'netware', 100],
    ['StartServers', 'mpmt_os2', 2], ['MinSpareThreads', 'mpmt_os2', 5], ['MaxSpareThreads', 'mpmt_os2', 10],
  ] as const)('%s (%s) = %s', (name, mpm, value) => {
    expect(defaultValue(name, mpm)).toBe(value);
  });

  it('hands out a fresh Listen list each time', () => {
    const a = defaultValue('Listen', 'prefork');
    a.push({ host: '127.0.0.1', port: 1 });
    expect(defaultValue('Listen', 'prefork')).toEqual([]);
  });
});

describe('which MPM has which directive', () => {
  it.each([
    ['MinSpareServers', ['prefork']],
    ['MaxSpareServers', ['prefork']],
    ['ThreadsPerChild', ['worker', 'event', 'winnt']],
    ['ThreadLimit', ['worker', 'event', 'winnt']],
    ['MinSpareThreads', ['worker', 'event', 'netware', 'mpmt_os2']],
    ['MaxSpareThreads', ['worker', 'event', 'netware', 'mpmt_os2']],
    ['AsyncRequestWorkerFactor', ['event']],
    ['StartServers', ['prefork', 'worker', 'event', 'mpmt_os2']],
    ['MaxRequestWorkers', ['prefork', 'worker', 'event']],
    ['ServerLimit', ['prefork', 'worker', 'event']],
    ['StartThreads', ['netware']],
    ['MaxThreads', ['netware']],
    ['KeepAlive', ['prefork', 'worker', 'event', 'winnt', 'netware', 'mpmt_os2']],
  ])('%s: %j', (name, mpms) => {
    const spec = findDirective(name)!.spec;
    expect(MPM_NAMES.filter((m) => appliesTo(spec, m))).toEqual(mpms);
  });
});

describe('lookups', () => {
  it.each([
    ['startservers', 'StartServers', undefined],
    ['MAXCLIENTS', 'MaxRequestWorkers', 'MaxClients'],
    ['MaxRequestsPerChild', 'MaxConnectionsPerChild', 'MaxRequestsPerChild'],
    ['limitrequestfieldsize', 'LimitRequestFieldSize', undefined],
  ])('%s → %s', (written, canonical, alias) => {
    const m = findDirective(written)!;
    expect([m.spec.name, m.alias?.name]).toEqual([canonical, alias]);
  });

  it('unknown names are not found', () => {
    expect(findDirective('StartServer')).toBeUndefined();
  });

  it('help strings are httpd\'s own, per MPM where they differ', () => {
    const mrw = findDirective('MaxRequestWorkers')!.spec;
    expect(UNIX.map((m) => forMpm(mrw.help, m))).toEqual([
      'Maximum number of children alive at the same time',
      'Maximum number of threads alive at the same time',
      'Maximum number of threads alive at the same time',
    ]);
    expect(forMpm(findDirective('ServerLimit')!.spec.help, 'prefork')).toBe('Maximum value of MaxRequestWorkers for this run of Apache');
  });
});
