import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MpmName } from '../../../engine/config/directives.js';
import { loadConfig } from '../../../engine/config/load.js';
import type { RawConfig } from '../../../engine/config/load.js';

const FILE = '/tmp/x.conf';
const INVALID = (name: string) =>
  `Invalid command '${name}', perhaps misspelled or defined by a module not included in the server configuration`;

function raw(text: string, mpm: MpmName = 'prefork', sets: string[] = []): RawConfig {
  const r = loadConfig({ mpm, text, file: FILE, sets });
  if (!r.ok) throw new Error(`unexpected error: ${r.error}`);
  return r.raw;
}

function error(text: string, mpm: MpmName = 'prefork', sets: string[] = []): string {
  const r = loadConfig({ mpm, text, file: FILE, sets });
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

/** The second line of an AH00526 error: the directive's own message. */
function message(text: string, mpm: MpmName = 'prefork', sets: string[] = []): string {
  const [head, body] = error(text, mpm, sets).split('\n');
  expect(head).toMatch(/^AH00526: Syntax error (on line \d+ of \/tmp\/x\.conf|in --set '.*'):$/);
  return body!;
}

describe('values', () => {
  it.each([
    ['StartServers 3', 'prefork', { StartServers: 3 }],
    ['StartServers 0', 'prefork', { StartServers: 0 }],
    ['StartServers -3', 'prefork', { StartServers: -3 }],
    ['StartServers +4', 'prefork', { StartServers: 4 }],
    ['MaxRequestWorkers 150\nMaxRequestWorkers 50', 'prefork', { MaxRequestWorkers: 50 }],
    ['MaxClients 77', 'worker', { MaxRequestWorkers: 77 }],
    ['MaxRequestsPerChild 1000', 'event', { MaxConnectionsPerChild: 1000 }],
    ['ThreadsPerChild 10\nThreadLimit 20\nMinSpareThreads 5\nMaxSpareThreads 30', 'worker',
      { ThreadsPerChild: 10, ThreadLimit: 20, MinSpareThreads: 5, MaxSpareThreads: 30 }],
    ['MinSpareServers 2\nMaxSpareServers 4', 'prefork', { MinSpareServers: 2, MaxSpareServers: 4 }],
    ['AsyncRequestWorkerFactor 1.5', 'event', { AsyncRequestWorkerFactor: 1.5 }],
    ['AsyncRequestWorkerFactor 3', 'event', { AsyncRequestWorkerFactor: 3 }],
    ['KeepAliveTimeout 300ms', 'prefork', { KeepAliveTimeout: 300 }],
    ['KeepAliveTimeout 5', 'prefork', { KeepAliveTimeout: 5000 }],
    ['KeepAliveTimeout 0', 'prefork', { KeepAliveTimeout: 0 }],
    ['KeepAliveTimeout 7s', 'prefork', { KeepAliveTimeout: 7000 }],
    ['KeepAliveTimeout 2mi', 'prefork', { KeepAliveTimeout: 120000 }],
    ['KeepAliveTimeout 1h', 'prefork', { KeepAliveTimeout: 3600000 }],
    ['Timeout 30', 'prefork', { Timeout: 30 }],
    ['KeepAlive off', 'prefork', { KeepAlive: false }],
    ['KeepAlive ON', 'prefork', { KeepAlive: true }],
    ['ExtendedStatus Off', 'event', { ExtendedStatus: false }],
    ['MaxKeepAliveRequests 0', 'prefork', { MaxKeepAliveRequests: 0 }],
    ['LogLevel debug', 'prefork', { LogLevel: 'debug' }],
    ['LogLevel TRACE3', 'prefork', { LogLevel: 'trace3' }],
    ['LogLevel info debug', 'prefork', { LogLevel: 'debug' }],
    ['ServerName www.example.com:8080', 'prefork', { ServerName: 'www.example.com:8080' }],
    ['ListenBacklog 1', 'prefork', { ListenBacklog: 1 }],
    ['GracefulShutdownTimeout 10', 'worker', { GracefulShutdownTimeout: 10 }],
    ['LimitRequestLine 0\nLimitRequestFieldsize 100\nLimitRequestFields 0', 'prefork',
      { LimitRequestLine: 0, LimitRequestFieldSize: 100, LimitRequestFields: 0 }],
    ['LimitRequestBody 0', 'prefork', { LimitRequestBody: 0 }],
    ['LimitRequestBody 1099511627776', 'prefork', { LimitRequestBody: 1099511627776 }],
    ['', 'prefork', {}],
  ] as const)('%j (%s)', (text, mpm, expected) => {
    expect(raw(text, mpm)).toEqual(expected);
  });

  it('a directive of another MPM inside its <IfModule> is skipped, not an error', () => {
    const text = '<IfModule mpm_worker_module>\nThreadsPerChild 4\n</IfModule>\n<IfModule mpm_prefork_module>\nStartServers 2\n</IfModule>';
    expect(raw(text, 'prefork')).toEqual({ StartServers: 2 });
    expect(raw(text, 'worker')).toEqual({ ThreadsPerChild: 4 });
  });
});

describe('errors', () => {
  it('unknown directive: httpd\'s two-line AH00526 message with file and line', () => {
    expect(error('StartServers 2\n\nFoo 1\n')).toBe(`AH00526: Syntax error on line 3 of ${FILE}:\n${INVALID('Foo')}`);
  });

  it.each([
    // a directive of an MPM that is not loaded: httpd does not know the name at all
    ['ThreadsPerChild 4', 'prefork', INVALID('ThreadsPerChild')],
    ['threadlimit 4', 'prefork', INVALID('threadlimit')],
    ['MinSpareServers 4', 'worker', INVALID('MinSpareServers')],
    ['AsyncRequestWorkerFactor 2', 'worker', INVALID('AsyncRequestWorkerFactor')],
    ['AsyncRequestWorkerFactor 2', 'prefork', INVALID('AsyncRequestWorkerFactor')],
    ['<Foo bar>\n</Foo>', 'prefork', INVALID('<Foo')],
    ['<VirtualHost *:80>\n</VirtualHost>', 'prefork', '<VirtualHost> sections are not supported in MPM Lab; only <IfModule> is'],
    ['<directory /var/www>\n</directory>', 'prefork', '<Directory> sections are not supported in MPM Lab; only <IfModule> is'],
    ['<IfDefine FOO>\n</IfDefine>', 'prefork', '<IfDefine> sections are not supported in MPM Lab; only <IfModule> is'],
    ['Include conf.d/*.conf', 'prefork', 'Include is an httpd directive that MPM Lab does not support'],
    // wrong argument count: config.c's TAKE1 wording, with the command's help string
    ['StartServers', 'prefork', 'StartServers takes one argument, Number of child processes launched at server startup'],
    ['StartServers 1 2', 'worker', 'StartServers takes one argument, Number of child processes launched at server startup'],
    ['StartServers 5 # five', 'prefork', 'StartServers takes one argument, Number of child processes launched at server startup'],
    ['StartServers ""', 'prefork', 'StartServers takes one argument, Number of child processes launched at server startup'],
    ['MaxRequestWorkers', 'prefork', 'MaxRequestWorkers takes one argument, Maximum number of children alive at the same time'],
    ['MaxRequestWorkers', 'event', 'MaxRequestWorkers takes one argument, Maximum number of threads alive at the same time'],
    ['maxclients', 'prefork', 'MaxClients takes one argument, Deprecated name of MaxRequestWorkers'],
    ['ServerLimit', 'worker', 'ServerLimit takes one argument, Maximum number of child processes for this run of Apache'],
    ['LoadModule foo_module', 'prefork', 'LoadModule takes two arguments, a module name and the name of a shared object file to load it from'],
    ['LogLevel', 'prefork', 'LogLevel requires at least one argument, Level of verbosity in error logging'],
    // whole numbers only (deviation from atoi)
    ['StartServers abc', 'prefork', "Invalid value 'abc' for StartServers: a whole number is needed"],
    ['MaxRequestWorkers 5.5', 'worker', "Invalid value '5.5' for MaxRequestWorkers: a whole number is needed"],
    ['MaxClients 10x', 'prefork', "Invalid value '10x' for MaxClients: a whole number is needed"],
    ['Timeout 5s', 'prefork', "Invalid value '5s' for Timeout: a whole number is needed"],
    ['ServerLimit 99999999999', 'prefork', "Invalid value '99999999999' for ServerLimit: out of range (-2147483648 to 2147483647)"],
    ['LimitRequestBody 1e3', 'prefork', "Invalid value '1e3' for LimitRequestBody: a whole number is needed"],
    // httpd's own refusals
    ['KeepAliveTimeout 5x', 'prefork', 'KeepAliveTimeout has wrong format'],
    ['KeepAliveTimeout -1', 'prefork', 'KeepAliveTimeout has wrong format'],
    ['KeepAliveTimeout 1.5', 'prefork', 'KeepAliveTimeout has wrong format'],
    ['KeepAliveTimeout 300MS', 'prefork', 'KeepAliveTimeout has wrong format'],
    ['KeepAlive yes', 'prefork', 'KeepAlive must be On or Off'],
    ['KeepAlive', 'prefork', 'KeepAlive must be On or Off'],
    ['KeepAlive On Off', 'prefork', 'KeepAlive must be On or Off'],
    ['ExtendedStatus 1', 'prefork', 'ExtendedStatus must be On or Off'],
    ['LogLevel loud', 'prefork', 'Log level keyword must be one of emerg/alert/crit/error/warn/notice/info/debug/trace1/.../trace8'],
    ['LogLevel core:info', 'prefork', "Per-module log levels ('core:info') are not supported in MPM Lab; use one level for all"],
    ['AsyncRequestWorkerFactor 0', 'event', 'AsyncRequestWorkerFactor argument must be a positive number'],
    ['AsyncRequestWorkerFactor -1', 'event', 'AsyncRequestWorkerFactor argument must be a positive number'],
    ['AsyncRequestWorkerFactor two', 'event', "Invalid value 'two' for AsyncRequestWorkerFactor: a number is needed"],
    ['ListenBacklog 0', 'prefork', 'ListenBacklog must be > 0'],
    ['ListenBacklog -5', 'worker', 'ListenBacklog must be > 0'],
    ['LimitRequestLine -1', 'prefork', 'LimitRequestLine "-1" must be a non-negative integer'],
    ['LimitRequestFieldSize -1', 'prefork', 'LimitRequestFieldsize "-1" must be a non-negative integer'],
    ['LimitRequestFields -2', 'prefork', 'LimitRequestFields "-2" must be a non-negative integer (0 = no limit)'],
    ['LimitRequestBody -1', 'prefork', 'LimitRequestBody requires a non-negative integer.'],
    ['ServerName www.example.com:99999', 'prefork', 'The port number "www.example.com:99999" is outside the appropriate range (i.e., 1..65535).'],
    ['ServerName *.example.com', 'prefork', 'Invalid ServerName "*.example.com" use ServerAlias to set multiple server names.'],
  ] as const)('%j (%s)', (text, mpm, expected) => {
    expect(message(text, mpm)).toBe(expected);
  });

  it('stops at the first error, with its line', () => {
    expect(error('StartServers 2\nStartServers x\nFoo 1').split('\n')[0]).toBe(`AH00526: Syntax error on line 2 of ${FILE}:`);
  });

  it('names the last physical line of a continued directive, as httpd does', () => {
    expect(error('StartServers \\\n  abc').split('\n')[0]).toBe(`AH00526: Syntax error on line 2 of ${FILE}:`);
  });

  it('reports the location separately for editors', () => {
    const r = loadConfig({ mpm: 'prefork', text: '\nFoo', file: FILE, sets: [] });
    expect(!r.ok && r.location).toEqual({ file: FILE, line: 2 });
  });

  it('passes build-phase errors through unchanged', () => {
    expect(error('</IfModule>')).toBe(`mpm-lab: Syntax error on line 1 of ${FILE}: </IfModule> without matching <IfModule> section`);
  });
});

describe('Listen', () => {
  it.each([
    ['Listen 127.0.0.1:8080', [{ host: '127.0.0.1', port: 8080 }]],
    ['Listen 127.1.2.3:8080', [{ host: '127.1.2.3', port: 8080 }]],
    ['Listen [::1]:8080', [{ host: '::1', port: 8080 }]],
    ['Listen localhost:8080 http', [{ host: 'localhost', port: 8080 }]],
    ['Listen 127.0.0.1:8080\nListen 127.0.0.1:8081', [{ host: '127.0.0.1', port: 8080 }, { host: '127.0.0.1', port: 8081 }]],
    ['Listen 8080', [{ host: '127.0.0.1', port: 8080 }]],
    ['Listen *:8080', [{ host: '127.0.0.1', port: 8080 }]],
  ])('%j', (text, expected) => {
    expect(raw(text).Listen).toEqual(expected);
  });

  it.each([
    ['Listen', 'Listen requires 1 or 2 arguments.'],
    ['Listen 1 2 3', 'Listen requires 1 or 2 arguments.'],
    ['Listen 127.0.0.1', 'Port must be specified'],
    ['Listen 70000', 'Invalid address or port'],
    ['Listen 0', 'Invalid address or port'],
    ['Listen 127.0.0.1:http', 'Invalid address or port'],
    ['Listen ::1:80', 'Invalid address or port'],
    ['Listen 10.0.0.1:80', "MPM Lab binds loopback only: '10.0.0.1:80' is not a loopback address (use 127.0.0.1, ::1 or localhost)"],
    ['Listen 0.0.0.0:80', "MPM Lab binds loopback only: '0.0.0.0:80' is not a loopback address (use 127.0.0.1, ::1 or localhost)"],
    ['Listen [::]:80', "MPM Lab binds loopback only: '[::]:80' is not a loopback address (use 127.0.0.1, ::1 or localhost)"],
    ['Listen example.com:80', "MPM Lab binds loopback only: 'example.com:80' is not a loopback address (use 127.0.0.1, ::1 or localhost)"],
    ['Listen 127.0.0.1:443 https', "MPM Lab serves plain HTTP only: protocol 'https' in Listen is not supported"],
    ['Listen 127.0.0.1:80\nListen 127.0.0.1:80', 'Cannot define multiple Listeners on the same IP:port'],
    ['Listen 80\nListen 127.0.0.1:80', 'Cannot define multiple Listeners on the same IP:port'],
  ])('%j → %s', (text, expected) => {
    expect(message(text)).toBe(expected);
  });

  it('says so when an all-interfaces Listen is bound to loopback instead', () => {
    const r = loadConfig({ mpm: 'prefork', text: 'Listen 8080', file: FILE, sets: [] });
    expect(r.diagnostics).toEqual([{
      level: 'warn', module: 'core', ah: '', startup: false, file: FILE, line: 1, directive: 'Listen',
      text: 'Listen 8080 means all interfaces in httpd; MPM Lab binds 127.0.0.1:8080 instead',
    }]);
  });
});

describe('diagnostics', () => {
  it.each([
    ['MaxClients 10', 'prefork', 'info', 'mpm_prefork', 'AH00188', 'MaxClients is deprecated, use MaxRequestWorkers instead.', 'MaxRequestWorkers'],
    ['MaxClients 10', 'worker', 'info', 'mpm_worker', 'AH00324', 'MaxClients is deprecated, use MaxRequestWorkers instead.', 'MaxRequestWorkers'],
    ['MaxClients 10', 'event', 'info', 'mpm_event', 'AH00521', 'MaxClients is deprecated, use MaxRequestWorkers instead.', 'MaxRequestWorkers'],
    ['MaxRequestsPerChild 10', 'prefork', 'info', 'core', 'AH00545', 'MaxRequestsPerChild is deprecated, use MaxConnectionsPerChild instead.', 'MaxConnectionsPerChild'],
    ['user daemon', 'prefork', 'warn', 'core', '', "User has no effect in MPM Lab's node engine; ignored", 'User'],
    ['LoadModule status_module modules/mod_status.so', 'worker', 'warn', 'core', '', "LoadModule has no effect in MPM Lab's node engine; ignored", 'LoadModule'],
    ['Mutex default', 'prefork', 'warn', 'core', '', "Mutex has no effect in MPM Lab's node engine; ignored", 'Mutex'],
    ['CustomLog logs/access_log combined', 'event', 'warn', 'core', '', "CustomLog has no effect in MPM Lab's node engine; ignored", 'CustomLog'],
  ] as const)('%j (%s)', (text, mpm, level, module, ah, msg, directive) => {
    const r = loadConfig({ mpm, text: `\n${text}`, file: FILE, sets: [] });
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([{ level, module, ah, text: msg, startup: false, file: FILE, line: 2, directive }]);
  });

  it.each(['LoadModule', 'User', 'Group', 'ServerRoot', 'DocumentRoot', 'ErrorLog', 'CustomLog', 'LogFormat',
    'PidFile', 'Mutex', 'AcceptFilter', 'ServerTokens', 'ServerAdmin'])('%s is accepted and reported, never silent', (name) => {
    const args = { LoadModule: 'a b', CustomLog: 'a b', AcceptFilter: 'http data' }[name as 'LoadModule'] ?? 'x';
    const r = loadConfig({ mpm: 'prefork', text: `${name} ${args}`, file: FILE, sets: [] });
    expect(r.ok && r.raw).toEqual({});
    expect(r.diagnostics.map((d) => d.text)).toEqual([`${name} has no effect in MPM Lab's node engine; ignored`]);
  });

  it('a plain config produces no diagnostics', () => {
    expect(loadConfig({ mpm: 'prefork', text: 'StartServers 2\nKeepAlive On', file: FILE, sets: [] }).diagnostics).toEqual([]);
  });
});

describe('--set', () => {
  it.each([
    [['StartServers=4'], 'StartServers 2', { StartServers: 4 }],
    [['startservers=4', 'StartServers=6'], '', { StartServers: 6 }],
    [['KeepAliveTimeout=300ms'], '', { KeepAliveTimeout: 300 }],
    [['ServerName="my host"'], '', { ServerName: 'my host' }],
    [['LogLevel=info debug'], '', { LogLevel: 'debug' }],
    [['Listen=127.0.0.1:9000'], 'Listen 127.0.0.1:8000', { Listen: [{ host: '127.0.0.1', port: 8000 }, { host: '127.0.0.1', port: 9000 }] }],
    [[' Timeout = 7'], '', { Timeout: 7 }],
  ])('%j after %j', (sets, text, expected) => {
    expect(raw(text, 'prefork', sets)).toEqual(expected);
  });

  it.each([
    ['Foo=1', INVALID('Foo')],
    ['ThreadsPerChild=4', INVALID('ThreadsPerChild')],
    ['StartServers=abc', "Invalid value 'abc' for StartServers: a whole number is needed"],
    ['StartServers=', 'StartServers takes one argument, Number of child processes launched at server startup'],
    ['StartServers=1 2', 'StartServers takes one argument, Number of child processes launched at server startup'],
    ['KeepAliveTimeout=5x', 'KeepAliveTimeout has wrong format'],
    ['StartServers', '--set needs Directive=Value, e.g. --set StartServers=5'],
    ['=5', '--set needs Directive=Value, e.g. --set StartServers=5'],
    ['<IfModule=x', '--set takes one directive, not a section or a comment'],
  ])('%j', (set, expected) => {
    expect(error('', 'prefork', [set])).toBe(`AH00526: Syntax error in --set '${set}':\n${expected}`);
  });

  it('runs after the whole file: a file error wins over a --set error', () => {
    expect(error('Foo 1', 'prefork', ['Bar=1'])).toContain('line 1 of');
  });

  it('tags --set diagnostics with --set instead of a line', () => {
    const r = loadConfig({ mpm: 'prefork', text: '', file: FILE, sets: ['MaxClients=5'] });
    expect(r.diagnostics).toEqual([{
      level: 'info', module: 'mpm_prefork', ah: 'AH00188', text: 'MaxClients is deprecated, use MaxRequestWorkers instead.',
      startup: false, file: '--set', directive: 'MaxRequestWorkers',
    }]);
  });

  it('gives --set errors a location without a line', () => {
    const r = loadConfig({ mpm: 'prefork', sets: ['Foo=1'] });
    expect(!r.ok && r.location).toEqual({ file: '--set', set: 'Foo=1' });
  });
});

describe('reading a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mpm-lab-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file when no text is given, and names it in messages', () => {
    const file = join(dir, 'ok.conf');
    writeFileSync(file, 'StartServers 2\nNope 1\n');
    const r = loadConfig({ mpm: 'prefork', file, sets: [] });
    expect(!r.ok && r.error).toBe(`AH00526: Syntax error on line 2 of ${file}:\n${INVALID('Nope')}`);
  });

  it('reports a missing file like httpd', () => {
    const file = join(dir, 'missing.conf');
    const r = loadConfig({ mpm: 'prefork', file, sets: [] });
    expect(!r.ok && r.error).toBe(`mpm-lab: Could not open configuration file ${file}: No such file or directory`);
  });

  it('works with --set only', () => {
    const r = loadConfig({ mpm: 'worker', sets: ['ThreadsPerChild=4'] });
    expect(r.ok && r.raw).toEqual({ ThreadsPerChild: 4 });
  });
});
