// The httpd.conf written for real httpd, pinned by a golden file: a change to
// what real httpd is told must be a visible diff.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { httpdConf } from '../../../engine/httpd/conf.js';

const GOLDEN = path.join(import.meta.dirname, 'golden');

describe('httpdConf', () => {
  it.each([
    ['prefork-root.conf', { mpm: 'prefork', runAs: { user: 'nobody', group: 'nogroup' }, userConfig: 'StartServers 3\nMinSpareServers 1\nListen 8080\n<IfModule mpm_prefork_module>\n  MaxRequestWorkers 10\n</IfModule>' }],
    ['event-user.conf', { mpm: 'event', runAs: null, userConfig: 'ThreadsPerChild 4\nKeepAliveTimeout 10' }],
    // /app/ through mod_proxy_fcgi to php-fpm, its status page passed to php-fpm as itself
    ['event-fpm.conf', { mpm: 'event', runAs: null, userConfig: '', app: { mode: 'fpm', port: 19000, statusPath: '/app/status' } }],
    ['prefork-mod-php.conf', { mpm: 'prefork', runAs: null, userConfig: '', app: { mode: 'mod_php', module: '/usr/lib/apache2/modules/libphp8.2.so' } }],
  ] as const)('%s', (file, over) => {
    const text = httpdConf({ root: '/tmp/mpm-lab-httpd-X', modulesDir: '/usr/lib/apache2/modules', ports: [18080], ...over });
    const golden = path.join(GOLDEN, file);
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(golden, text);
    expect(text).toBe(fs.readFileSync(golden, 'utf8'));
  });

  it('never lets the learner\'s Listen through: httpd listens on 127.0.0.1 only, one port per Listen line', () => {
    const text = httpdConf({ root: '/r', modulesDir: '/m', mpm: 'worker', ports: [1234, 1235], runAs: null, userConfig: 'Listen 0.0.0.0:80\n  listen 443' });
    expect(text.split('\n').filter((l) => /^\s*Listen\s/i.test(l))).toEqual(['Listen 127.0.0.1:1234', 'Listen 127.0.0.1:1235']);
  });
});
