// `mpm-lab run` with real config files: errors a person can act on, httpd's
// warnings and clamps, and what the running engine then does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAll } from '../helpers/engine.js';
import { get10, once } from '../helpers/http.js';

afterEach(stopAll);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-lab-conf-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function conf(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

describe('mpm-lab run --config', () => {
  it('--listen 127.0.0.1:0 gives each Listen line of the config its own free port; two bring the accept mutex, kept across a graceful restart', async () => {
    const e = await startEngine(['--config', conf('two.conf', 'StartServers 2\nLogLevel debug\nListen 80\nListen 443\n')]);
    const state = await e.waitFor('engine.state', (s) => s.state === 'running');
    expect(state.listen).toHaveLength(2);
    expect(new Set(state.listen).size).toBe(2);
    expect(e.stderr()).toContain('AH00165: Accept mutex: pthread (default: pthread)');
    for (const l of state.listen) expect((await once(Number(l.split(':')[1]), get10('/'))).status).toBe(200);
    e.signal('SIGUSR1');
    const again = await e.waitFor('engine.state', (s) => s.state === 'running' && s.generation === 1);
    expect(again.listen).toEqual(state.listen);
  });

  it('applies an Apache-syntax file with IfModule blocks, comments and --set overrides', async () => {
    const file = conf(
      'good.conf',
      [
        '# a learner config',
        '<IfModule mpm_prefork_module>',
        '    StartServers 2',
        '    minspareservers 1   ',
        '    MaxSpareServers 3',
        '</IfModule>',
        '<IfModule mpm_worker_module>',
        '    ThreadsPerChild 5',
        '</IfModule>',
        '<IfModule !mpm_prefork_module>',
        '    StartServers 9',
        '</IfModule>',
        'KeepAliveTimeout 300ms',
        'MaxKeepAliveRequests 7',
      ].join('\n'),
    );
    const e = await startEngine(['--config', file, '--set', 'MaxKeepAliveRequests=4']);
    await e.waitIdle(2);
    expect(e.of('child.spawn')).toHaveLength(2);
    const r = await once(e.port, get10('/', 'Connection: keep-alive\r\n'));
    // KeepAliveTimeout 300ms prints as timeout=0 (whole seconds, as apr_time_sec); --set came last
    expect(r.headers['keep-alive']).toBe('timeout=0, max=4');
  });

  it.each([
    ['an unknown directive', 'StartServers 2\nStartServer 3\n', /AH00526: Syntax error on line 2 of .*bad1\.conf:\nInvalid command 'StartServer', perhaps misspelled or defined by a module not included in the server configuration/],
    ['a number that is not one', 'StartServers two\n', /Syntax error on line 1 of .*bad2\.conf:\n.*Invalid value 'two' for StartServers/],
    ['a directive of another MPM', 'ThreadsPerChild 25\n', /line 1 of .*bad3\.conf:\nInvalid command 'ThreadsPerChild'/],
    ['an unclosed section', '<IfModule mpm_prefork_module>\nStartServers 2\n', /IfModule/],
    ['a non-loopback Listen', 'Listen 0.0.0.0:8080\n', /loopback/],
  ])('refuses %s with the file and line', async (_what, text, message) => {
    const file = conf(`bad${['an unknown directive', 'a number that is not one', 'a directive of another MPM', 'an unclosed section', 'a non-loopback Listen'].indexOf(_what) + 1}.conf`, text);
    const e = await startEngine(['--config', file], { ready: false });
    const { code } = await e.exited;
    expect(code).not.toBe(0);
    expect(e.stderr()).toMatch(message);
    expect(e.of('child.spawn')).toEqual([]);
  });

  it('refuses a --set that is not a number', async () => {
    const e = await startEngine(['--set', 'MaxRequestWorkers=lots'], { ready: false });
    const { code } = await e.exited;
    expect(code).not.toBe(0);
    expect(e.stderr()).toMatch(/--set 'MaxRequestWorkers=lots'[\s\S]*Invalid value 'lots' for MaxRequestWorkers/);
  });

  it('clamps an impossible config with httpd’s startup warnings, and runs', async () => {
    const e = await startEngine(['--set', 'ServerLimit=4', '--set', 'MaxRequestWorkers=10', '--set', 'MinSpareServers=0', '--set', 'MaxSpareServers=0', '--set', 'StartServers=-3']);
    const err = e.stderr();
    expect(err).toContain('AH00180: WARNING: MaxRequestWorkers of 10 exceeds ServerLimit value of 4 servers, decreasing MaxRequestWorkers to 4. To increase, please see the ServerLimit directive.');
    expect(err).toContain('AH00184: WARNING: StartServers of -3 not allowed, increasing to 1.');
    expect(err).toContain('AH00186: WARNING: MinSpareServers of 0 not allowed, increasing to 1 to avoid almost certain server failure. Please read the documentation.');
    // startup warnings are printed bare, like httpd's console messages
    expect(err.split('\n').find((l) => l.includes('AH00180'))!.startsWith('AH00180:')).toBe(true);
    const status = await once(e.port, get10('/server-status?auto'));
    // the scoreboard string is MaxRequestWorkers (= the clamped 4) long
    expect(status.body).toMatch(/\nScoreboard: [_SRWKLCG.]{4}\n/);
  });

  it('accepts MaxClients and MaxRequestsPerChild as the old names, with their info lines at LogLevel info', async () => {
    const file = conf('old.conf', 'LogLevel info\nMaxClients 3\nMaxRequestsPerChild 50\nStartServers 1\n');
    const e = await startEngine(['--config', file]);
    expect(e.stderr()).toMatch(/AH00188: MaxClients is deprecated, use MaxRequestWorkers instead\./);
    expect(e.stderr()).toMatch(/AH00545: MaxRequestsPerChild is deprecated, use MaxConnectionsPerChild instead\./);
    const status = await once(e.port, get10('/server-status?auto'));
    expect(status.body).toMatch(/\nScoreboard: [_SRWKLCG.]{3}\n/);
  });
});

describe('malformed HTTP', () => {
  it.each([
    ['a request line with no version garbage', 400, 'GET / HTTP/1.1 extra\r\n\r\n'],
    ['HTTP/1.1 without Host', 400, 'GET / HTTP/1.1\r\n\r\n'],
    ['a header without a colon', 400, 'GET / HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n'],
    ['a request line past LimitRequestLine', 414, `GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['two Content-Lengths that disagree', 400, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'],
    ['an unknown method', 501, 'BREW / HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a NUL in the request line', 400, 'GET /\0 HTTP/1.1\r\nHost: x\r\n\r\n'],
  ])('answers %s with %i, and the child serves the next request', async (_what, status, raw) => {
    const e = await startEngine(['--set', 'StartServers=1', '--set', 'MinSpareServers=1', '--set', 'MaxSpareServers=2']);
    const r = await once(e.port, raw);
    expect(r.status).toBe(status);
    expect(r.headers['connection']).toBe('close');
    expect(r.headers['x-child-pid']).toBeDefined();
    const next = await once(e.port, get10('/'));
    expect(next.status).toBe(200);
    expect(next.headers['x-child-pid']).toBe(r.headers['x-child-pid']);
    expect(e.of('child.exit')).toEqual([]);
  });

  it('serves /server-status as HTML with the scoreboard key', async () => {
    const e = await startEngine(['--set', 'StartServers=2']);
    const r = await once(e.port, get10('/server-status'));
    expect(r.headers['content-type']).toBe('text/html; charset=ISO-8859-1');
    expect(r.body).toContain('<h1>Apache Server Status for');
    expect(r.body).toContain('Server MPM: prefork');
    expect(r.body).toContain('"<b><code>_</code></b>" Waiting for Connection');
  });
});
