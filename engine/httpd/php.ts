// Real PHP beside real httpd: where Debian's php-fpm and mod_php live, the
// application script both run (the same /app/ handlers as the node engine's
// runApp), and the php-fpm config MPM Lab writes into httpd's private root.
// Pure except for the lookups in findPhpFpm/findModPhp.
import fs from 'node:fs';
import path from 'node:path';
import { poolEntries } from '../app/pool-config.js';

const FPM_CANDIDATES = ['/usr/sbin/php-fpm8.2', '/usr/sbin/php-fpm', '/usr/local/sbin/php-fpm'];

export function findPhpFpm(): string | { error: string } {
  const extra = fs.existsSync('/usr/sbin') ? fs.readdirSync('/usr/sbin').filter((f) => /^php-fpm\d/.test(f)).map((f) => `/usr/sbin/${f}`) : [];
  const bin = [...FPM_CANDIDATES, ...extra].find((b) => fs.existsSync(b));
  return bin ?? { error: 'no php-fpm found (Debian: apt-get install php8.2-fpm)' };
}

export function findModPhp(modulesDir: string): string | { error: string } {
  const so = fs.existsSync(modulesDir) ? fs.readdirSync(modulesDir).find((f) => /^libphp[\d.]*\.so$/.test(f)) : undefined;
  return so ? path.join(modulesDir, so) : { error: `no mod_php in ${modulesDir} (Debian: apt-get install libapache2-mod-php8.2)` };
}

/**
 * The application, in PHP: the same answers as engine/app/binding.ts runApp
 * (the body names the pid that ran it; X-App-Pid says it too). Content-Length
 * is set so that keep-alive works for HTTP/1.0 clients, as the node engine's does.
 */
export const APP_PHP = `<?php
// MPM Lab's application: /app/sleep?ms=, /app/cpu?ms=, anything else under /app/.
$pid = getmypid();
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$ms = max(0, min(60000, (int)($_GET['ms'] ?? 1000)));
if ($path === '/app/sleep') {
    usleep($ms * 1000);
    $body = "slept $ms ms in pid $pid\\n";
} elseif ($path === '/app/cpu') {
    $end = microtime(true) + $ms / 1000;
    while (microtime(true) < $end) {
        // the application computes: nothing else runs in this process meanwhile
    }
    $body = "computed $ms ms in pid $pid\\n";
} else {
    $body = "hello from the application, pid $pid\\n";
}
header('X-App-Pid: ' . $pid);
header('Content-Type: text/plain');
header('Content-Length: ' . strlen($body));
echo $body;
`;

/** The pool keys a learner's pool config may set; everything else about the pool is MPM Lab's (listen, user, logs). */
export const POOL_KEYS = ['pm', 'pm.max_children', 'pm.start_servers', 'pm.min_spare_servers', 'pm.max_spare_servers', 'pm.max_spawn_rate', 'pm.process_idle_timeout', 'pm.max_requests', 'listen.backlog', 'pm.status_path'];
/** keys MPM Lab sets itself: dropped from the learner's text with a note, not refused */
const OURS = ['listen', 'user', 'group'];

export type PoolText = { ok: true; name: string; lines: string[]; statusPath: string | null; notes: string[] } | { ok: false; error: string };

/**
 * The learner's pool config, kept to the keys above and passed to real php-fpm
 * verbatim, so that php-fpm itself checks the values (its own ALERTs). A key
 * that could reach outside the private root (php_admin_value, slowlog, chroot…)
 * is refused by name, as the node engine's pool refuses any key it does not know.
 */
export function poolForRealFpm(text: string): PoolText {
  const ini = poolEntries(text);
  if (!ini.ok) return ini;
  const bad = ini.sections.find((n) => !/^[\w.-]+$/.test(n));
  if (bad !== undefined) return { ok: false, error: `[pool ${bad}] a pool name is letters, digits, '.', '_' or '-'` };
  const lines: string[] = [];
  const notes: string[] = [];
  let statusPath: string | null = null;
  for (const { pool, key, value, line } of ini.entries) {
    if (OURS.includes(key)) {
      notes.push(`mpm-lab: [pool ${pool}] '${key}' (line ${line}) is MPM Lab's to set (a loopback port and an unprivileged user in the private root): ignored`);
      continue;
    }
    if (!POOL_KEYS.includes(key)) return { ok: false, error: `[pool ${pool}] unknown entry '${key}' (line ${line}): MPM Lab's pool knows ${POOL_KEYS.join(', ')}` };
    if (!/^[\w./-]*$/.test(value)) return { ok: false, error: `[pool ${pool}] ${key} '${value}': only letters, digits and . / _ - here` };
    if (key === 'pm.status_path') statusPath = value;
    lines.push(`${key} = ${value}`);
  }
  return { ok: true, name: ini.name, lines, statusPath, notes };
}

export interface FpmConfInput {
  root: string;
  pool: { name: string; lines: string[] };
  port: number;
  /** as root: the pool's processes switch to this user (the master stays root, as a packaged php-fpm does) */
  runAs: { user: string; group: string } | null;
}

/** php-fpm.conf for one pool in the private root: loopback TCP (its listen queue is then readable from /proc/net/tcp), its log and access log ours. */
export function phpFpmConf(i: FpmConfInput): string {
  return [
    '; Written by MPM Lab for a real php-fpm. Private to this run; removed on exit.',
    '[global]',
    `pid = ${i.root}/php-fpm.pid`,
    `error_log = ${i.root}/logs/php-fpm.log`,
    'daemonize = no',
    'systemd_interval = 0',
    '',
    `[${i.pool.name}]`,
    `listen = 127.0.0.1:${i.port}`,
    'listen.allowed_clients = 127.0.0.1',
    ...(i.runAs ? [`user = ${i.runAs.user}`, `group = ${i.runAs.group}`] : []),
    // one line per request, written by the process that served it: pool.request events
    `access.log = ${i.root}/logs/fpm-access.fifo`,
    'access.format = "%p %m %{REQUEST_URI}e %{micro}d %s"',
    '; ---- the learner\'s pool settings ----',
    ...i.pool.lines,
    '',
  ].join('\n');
}
