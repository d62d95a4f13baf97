// Real PHP beside real httpd, the pure parts: what of a learner's pool config
// reaches php-fpm, the php-fpm.conf written for it, and php-fpm's log lines read back.
import { describe, expect, it } from 'vitest';
import { phpFpmConf, poolForRealFpm } from '../../../engine/httpd/php.js';
import { MAX_CHILDREN_WARNING, exitFromLog } from '../../../engine/httpd/php-fpm.js';

describe('poolForRealFpm', () => {
  it.each([
    // the pm keys go to php-fpm verbatim: it checks the values itself, in its own words
    ['[www]\npm = dynamic\npm.max_children = 5\npm.min_spare_servers = 3\npm.max_spare_servers = 2\n', { ok: true, name: 'www', lines: ['pm = dynamic', 'pm.max_children = 5', 'pm.min_spare_servers = 3', 'pm.max_spare_servers = 2'] }],
    ['; a comment\n[app]\npm = ondemand\npm.process_idle_timeout = "10s"\npm.status_path = /app/status\n', { ok: true, name: 'app', statusPath: '/app/status', lines: ['pm = ondemand', 'pm.process_idle_timeout = 10s', 'pm.status_path = /app/status'] }],
    // MPM Lab's own: ignored with a note
    ['[www]\npm = static\npm.max_children = 2\nlisten = /run/php.sock\nuser = root\n', { ok: true, lines: ['pm = static', 'pm.max_children = 2'], notes: [expect.stringMatching(/'listen' \(line 4\) is MPM Lab's to set/), expect.stringMatching(/'user' \(line 5\)/)] }],
    // anything that could reach outside the private root: refused by name
    ['[www]\npm = static\nphp_admin_value[auto_prepend_file] = /etc/passwd\n', { ok: false, error: expect.stringMatching(/^\[pool www\] unknown entry 'php_admin_value\[auto_prepend_file\]' \(line 3\)/) }],
    ['[www]\npm = static\nslowlog = /tmp/x\n', { ok: false, error: expect.stringMatching(/unknown entry 'slowlog' \(line 3\)/) }],
    ['[www]\npm.status_path = /a b\n', { ok: false, error: expect.stringMatching(/only letters, digits and/) }],
    ['[../etc]\npm = static\n', { ok: false, error: expect.stringMatching(/a pool name is letters/) }],
    ['[www]\npm static\n', { ok: false, error: "[pool www] syntax error on line 2: 'pm static' is not 'name = value'" }],
  ] as const)('%j', (text, expected) => {
    expect(poolForRealFpm(text)).toMatchObject(expected);
  });
});

describe('phpFpmConf', () => {
  it('one pool on a loopback port, its logs in the private root, unprivileged processes when root, the learner\'s settings last', () => {
    const text = phpFpmConf({ root: '/tmp/r', pool: { name: 'www', lines: ['pm = static', 'pm.max_children = 2'] }, port: 19000, runAs: { user: 'nobody', group: 'nogroup' } });
    const lines = text.split('\n');
    for (const l of ['daemonize = no', 'error_log = /tmp/r/logs/php-fpm.log', '[www]', 'listen = 127.0.0.1:19000', 'listen.allowed_clients = 127.0.0.1', 'user = nobody', 'access.log = /tmp/r/logs/fpm-access.fifo']) expect(lines).toContain(l);
    expect(lines.slice(-3)).toEqual(['pm = static', 'pm.max_children = 2', '']);
    expect(phpFpmConf({ root: '/tmp/r', pool: { name: 'www', lines: [] }, port: 1, runAs: null })).not.toMatch(/^user =/m);
  });
});

describe('php-fpm log lines', () => {
  it.each([
    ['[07-Dec-2026 02:59:03] NOTICE: [pool www] child 8292 exited with code 0 after 2.047046 seconds from start', { pid: 8292, reason: 'max-requests' }],
    ['[07-Dec-2026 02:59:03] WARNING: [pool www] child 8300 exited on signal 9 (SIGKILL) after 1.000000 seconds from start', { pid: 8300, reason: 'crash' }],
    ['[07-Dec-2026 02:59:03] WARNING: [pool www] child 8301 exited with code 255 after 0.5 seconds from start', { pid: 8301, reason: 'crash' }],
    ['[07-Dec-2026 02:59:03] NOTICE: [pool www] child 8450 started', null],
  ] as const)('%s', (line, expected) => {
    expect(exitFromLog(line)).toEqual(expected);
  });

  it('counts both wordings of the max_children warning (dynamic and ondemand)', () => {
    expect(MAX_CHILDREN_WARNING.test('WARNING: [pool www] server reached pm.max_children setting (2), consider raising it')).toBe(true);
    expect(MAX_CHILDREN_WARNING.test('WARNING: [pool www] server reached max_children setting (3), consider raising it')).toBe(true);
    expect(MAX_CHILDREN_WARNING.test('WARNING: [pool www] seems busy (you may need to increase pm.start_servers')).toBe(false);
  });
});
