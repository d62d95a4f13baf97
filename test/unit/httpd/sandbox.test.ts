// What of a learner's config reaches real httpd: only what the node engine knows
// and acts on; the rest is commented out with a warning naming the line.
import { describe, expect, it } from 'vitest';
import { sandboxConfig } from '../../../engine/httpd/sandbox.js';

const passed = (text: string, allowUser = false) => sandboxConfig(text, { allowUser }).text.split('\n').filter((l) => l && !l.startsWith('#'));

describe('sandboxConfig', () => {
  it.each([
    ['StartServers 3', true],
    ['maxclients 10', true], // an alias, any case
    ['KeepAliveTimeout 500ms', true],
    ['Listen 127.0.0.1:8080', true], // rewritten to loopback by httpdConf
    ['LogLevel debug', true],
    ['ErrorLog "|/usr/bin/touch /tmp/x"', false], // a piped log runs a program
    ['CustomLog "|/bin/sh -c id" common', false],
    ['LoadModule cgi_module /usr/lib/apache2/modules/mod_cgi.so', false],
    ['Include /etc/apache2/apache2.conf', false],
    ['IncludeOptional /etc/*.conf', false],
    ['DocumentRoot /etc', false],
    ['ServerRoot /', false],
    ['PidFile /etc/passwd', false],
    ['Alias /x /etc', false], // unknown to the engine
    ['ScriptAlias /cgi /bin', false],
    ['User root', false],
    ['Group root', false],
  ])('%s → passed: %s', (line, ok) => {
    expect(passed(line)).toEqual(ok ? [line] : []);
    const w = sandboxConfig(line, { allowUser: false }).warnings;
    expect(w.length).toBe(ok ? 0 : 1);
    if (!ok) expect(w[0]).toMatch(/^mpm-lab: config line 1: /);
  });

  it('keeps <IfModule> blocks and drops every other section with all it holds, nested', () => {
    const text = ['<IfModule mpm_event_module>', '  ThreadsPerChild 5', '</IfModule>', '<Directory />', '  <Directory /x>', '    Options +ExecCGI', '  </Directory>', '  Require all granted', '</Directory>', 'MaxRequestWorkers 20'].join('\n');
    const r = sandboxConfig(text, { allowUser: false });
    expect(passed(text)).toEqual(['<IfModule mpm_event_module>', 'ThreadsPerChild 5', '</IfModule>', 'MaxRequestWorkers 20']);
    expect(r.warnings).toEqual(["mpm-lab: config line 4: <Directory> section not passed to httpd: only MPM, connection and limit directives reach the real server"]);
  });

  it('joins continuation lines before judging them (no directive hides behind a backslash)', () => {
    expect(passed('Error\\\nLog "|id"')).toEqual([]);
  });

  it('User/Group pass only as root with --allow-user', () => {
    const root = process.getuid?.() === 0;
    expect(passed('User www-data', true)).toEqual(root ? ['User www-data'] : []);
    expect(passed('User www-data', false)).toEqual([]);
    expect(sandboxConfig('User www-data', { allowUser: false }).warnings[0]).toMatch(/--allow-user/);
  });
});
