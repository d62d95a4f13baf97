// The httpd.conf MPM Lab writes for a real Apache httpd 2.4: a private
// ServerRoot, 127.0.0.1 only, the chosen MPM, the learner's directives
// verbatim (httpd applies its own clamps), mod_status, and mod_lua for the
// identity headers and the handlers both backends serve. Pure: a golden test
// pins it.

export interface HttpdConfInput {
  root: string;
  modulesDir: string;
  mpm: 'prefork' | 'worker' | 'event';
  /** the loopback ports it listens on: one per Listen line of the learner's config (at least one) */
  ports: number[];
  /** the learner's configuration, Apache syntax; its Listen lines are replaced by ours */
  userConfig: string;
  /** set when running as root: httpd must switch to an unprivileged user */
  runAs: { user: string; group: string } | null;
  /**
   * /app/: the application (htdocs/app.php) through mod_proxy_fcgi to php-fpm on
   * a loopback port (and the pool's status page, if its path is under /app/),
   * or inside httpd's children with mod_php (the module's file).
   */
  app?: { mode: 'fpm'; port: number; statusPath: string | null } | { mode: 'mod_php'; module: string };
}

/** One access-log line per request: who served it, %k, %X, the client port (the connection), timings. */
export const ACCESS_LOG_FORMAT =
  '%P %{X-Thread-Id}o %k %X %{remote}p %>s %B %D %{X-Slot}o %{X-Generation}o %{X-App-Pid}o \\"%r\\" \\"%{User-Agent}i\\"';

function appLines(i: HttpdConfInput): string[] {
  const app = i.app;
  if (!app) return [];
  const mod = (name: string, file: string) => `LoadModule ${name}_module ${i.modulesDir}/${file}`;
  const fcgi = app.mode === 'fpm' ? `"proxy:fcgi://127.0.0.1:${app.port}"` : '';
  const status = app.mode === 'fpm' && app.statusPath?.startsWith('/app/') ? app.statusPath : null;
  return [
    '# ---- /app/: the application ----',
    ...(app.mode === 'fpm' ? [mod('proxy', 'mod_proxy.so'), mod('proxy_fcgi', 'mod_proxy_fcgi.so')] : [`LoadModule php_module ${app.module}`]),
    mod('rewrite', 'mod_rewrite.so'),
    'RewriteEngine On',
    ...(status ? [`RewriteCond %{REQUEST_URI} !=${status}`] : []),
    `RewriteRule "^/app/" "${i.root}/htdocs/app.php" [L]`,
    '<Files "app.php">',
    `    SetHandler ${app.mode === 'fpm' ? fcgi : 'application/x-httpd-php'}`,
    '</Files>',
    ...(status ? [`<Location "${status}">`, `    SetHandler ${fcgi}`, '</Location>'] : []),
  ];
}

const TYPES: Array<[string, string]> = [['text/html', '.html'], ['text/plain', '.txt'], ['text/css', '.css'], ['text/javascript', '.js']];

export function httpdConf(i: HttpdConfInput): string {
  const mod = (name: string, file: string) => `LoadModule ${name}_module ${i.modulesDir}/${file}`;
  const userLines = i.userConfig
    .split('\n')
    .map((l) => (/^\s*Listen\s/i.test(l) ? `# (MPM Lab listens on 127.0.0.1:${i.ports.join(', 127.0.0.1:')}) ${l.trim()}` : l));
  return [
    '# Written by MPM Lab for a real Apache httpd. Private to this run; removed on exit.',
    `ServerRoot "${i.root}"`,
    mod(`mpm_${i.mpm}`, `mod_mpm_${i.mpm}.so`),
    mod('authz_core', 'mod_authz_core.so'),
    mod('authz_host', 'mod_authz_host.so'),
    mod('status', 'mod_status.so'),
    mod('dir', 'mod_dir.so'),
    mod('mime', 'mod_mime.so'),
    mod('lua', 'mod_lua.so'),
    mod('headers', 'mod_headers.so'),
    ...(i.runAs ? [`User ${i.runAs.user}`, `Group ${i.runAs.group}`] : []),
    'ServerName 127.0.0.1',
    ...i.ports.map((p) => `Listen 127.0.0.1:${p}`),
    `PidFile "${i.root}/httpd.pid"`,
    `ErrorLog "${i.root}/logs/error_log"`,
    `LogFormat "${ACCESS_LOG_FORMAT}" mpmlab`,
    // a fifo MPM Lab reads: each request's line reaches us as httpd writes it
    `CustomLog "${i.root}/logs/access.fifo" mpmlab`,
    `DocumentRoot "${i.root}/htdocs"`,
    'DirectoryIndex index.html',
    // our own short list: no /etc/mime.types needed
    `TypesConfig "${i.root}/mime.types"`,
    ...TYPES.map(([t, ext]) => `AddType ${t} ${ext}`),
    `<Directory "${i.root}/htdocs">`,
    '    Require all granted',
    '</Directory>',
    '<Location /server-status>',
    '    SetHandler server-status',
    '    Require local',
    '</Location>',
    // the dashboard's view of the scoreboard (mpm-lab.lua: every worker with its pid)
    '<Location /mpm-lab-scoreboard>',
    '    Require local',
    '</Location>',
    'ExtendedStatus On',
    // one Lua state per thread: the handlers cost microseconds, not a script load per request
    'LuaScope thread',
    `LuaHookFixups "${i.root}/mpm-lab.lua" fixups`,
    `LuaMapHandler "^/(sleep|cpu|stream|big|crash|counter|whoami)$" "${i.root}/mpm-lab.lua" handle`,
    `LuaMapHandler "^/mpm-lab-scoreboard$" "${i.root}/mpm-lab.lua" scoreboard`,
    // the connection as the events name it: serving pid and client port
    'Header always set X-Connection-Id "expr=%{reqenv:MPM_LAB_PID}-%{REMOTE_PORT}" env=MPM_LAB_PID',
    ...appLines(i),
    '',
    '# ---- the learner\'s configuration ----',
    ...userLines,
    '',
  ].join('\n');
}
