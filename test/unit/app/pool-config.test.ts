// A PHP-FPM pool's settings: php-fpm's defaults, and its refusals word for word.
import { describe, expect, it } from 'vitest';
import { parseFpmTime, parsePoolConfig } from '../../../engine/app/pool-config.js';

const pool = (body: string) => parsePoolConfig(`[www]\n${body}`);

describe('parsePoolConfig', () => {
  it('reads a dynamic pool with php-fpm defaults for what is not set', () => {
    const r = pool('pm = dynamic\npm.max_children = 5\npm.start_servers = 2\npm.min_spare_servers = 1\npm.max_spare_servers = 3\n');
    expect(r).toMatchObject({ ok: true, logs: [] });
    if (r.ok) expect(r.config).toEqual({ name: 'www', pm: 'dynamic', maxChildren: 5, startServers: 2, minSpareServers: 1, maxSpareServers: 3, maxSpawnRate: 32, processIdleTimeoutS: 10, maxRequests: 0, listenBacklog: -1, statusPath: null });
  });

  it.each([
    ['pm.min_spare_servers = 2\npm.max_spare_servers = 6', 4],
    ['pm.min_spare_servers = 1\npm.max_spare_servers = 4', 2], // 1 + (4 - 1) / 2, truncated
  ])('dynamic without pm.start_servers: %s → %d, with php-fpm’s notice', (body, start) => {
    const r = pool(`pm = dynamic\npm.max_children = 10\n${body}`);
    expect(r.ok && r.config.startServers).toBe(start);
    expect(r.logs).toEqual([{ level: 'NOTICE', text: `[pool www] pm.start_servers is not set. It's been set to ${start}.` }]);
  });

  it.each([
    ['pm = dynamic\npm.max_children = 0', '[pool www] pm.max_children must be a positive value'],
    ['pm.max_children = 5', '[pool www] the process manager is missing (static, dynamic or ondemand)'],
    ['pm = sometimes\npm.max_children = 5', "[pool www] unable to parse value for entry 'pm': invalid process manager (static, dynamic or ondemand)"],
    ['pm = dynamic\npm.max_children = 5\npm.min_spare_servers = 0\npm.max_spare_servers = 3', '[pool www] pm.min_spare_servers(0) must be a positive value'],
    ['pm = dynamic\npm.max_children = 5\npm.min_spare_servers = 1', '[pool www] pm.max_spare_servers(0) must be a positive value'],
    ['pm = dynamic\npm.max_children = 5\npm.min_spare_servers = 2\npm.max_spare_servers = 6', '[pool www] pm.min_spare_servers(2) and pm.max_spare_servers(6) cannot be greater than pm.max_children(5)'],
    ['pm = dynamic\npm.max_children = 5\npm.min_spare_servers = 3\npm.max_spare_servers = 2', '[pool www] pm.max_spare_servers(2) must not be less than pm.min_spare_servers(3)'],
    ['pm = dynamic\npm.max_children = 9\npm.start_servers = 5\npm.min_spare_servers = 1\npm.max_spare_servers = 3', '[pool www] pm.start_servers(5) must not be less than pm.min_spare_servers(1) and not greater than pm.max_spare_servers(3)'],
    ['pm = dynamic\npm.max_children = 5\npm.min_spare_servers = 1\npm.max_spare_servers = 3\npm.max_spawn_rate = 0', '[pool www] pm.max_spawn_rate must be a positive value'],
    ['pm = ondemand\npm.max_children = 5\npm.process_idle_timeout = 0s', '[pool www] pm.process_idle_timeout(0s) must be greater than 0s'],
    ['pm = static\npm.max_children = five', "[pool www] pm.max_children 'five' is not a whole number"],
    ['pm = static\npm.max_children = 2\nphp_admin_value[x] = 1', /^\[pool www\] unknown entry 'php_admin_value\[x\]' \(line 4\)/],
  ])('%s → refused', (body, error) => {
    const r = pool(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(typeof error === 'string' ? new RegExp(`^${error.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : error);
    expect(r.logs.at(-1)?.level).toBe('ALERT');
  });

  it('a static pool needs only pm.max_children; the section names the pool', () => {
    const r = parsePoolConfig('; comment\n[app]\npm = static\npm.max_children = 3\npm.max_requests = 100\nlisten.backlog = 4\n');
    expect(r.ok && r.config).toMatchObject({ name: 'app', pm: 'static', maxChildren: 3, maxRequests: 100, listenBacklog: 4 });
  });
});

describe('parseFpmTime', () => {
  it.each([
    ['10', 10],
    ['10s', 10],
    ['2m', 120],
    ['1h', 3600],
    ['1d', 86400],
    ['ten', null],
  ])('%s → %s', (v, s) => expect(parseFpmTime(v)).toBe(s));
});
