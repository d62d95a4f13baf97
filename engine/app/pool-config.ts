// A PHP-FPM pool's process-manager settings, read from its ini text with
// PHP-FPM's own directive names, defaults and checks (sapi/fpm/fpm/fpm_conf.c):
// the same refusals word for word ("[pool www] pm.max_spare_servers(2) must
// not be less than pm.min_spare_servers(3)"), and the same silent default for
// pm.start_servers. Only the keys the application-pool model acts on are
// understood; any other key is refused as php-fpm refuses an unknown entry.
export type PmStyle = 'static' | 'dynamic' | 'ondemand';

export interface PoolConfig {
  name: string;
  pm: PmStyle;
  maxChildren: number;
  startServers: number;
  minSpareServers: number;
  maxSpareServers: number;
  /** pm.max_spawn_rate (PHP ≥ 8.1): the ceiling of dynamic's doubling spawn rate */
  maxSpawnRate: number;
  /** pm.process_idle_timeout, seconds (ondemand) */
  processIdleTimeoutS: number;
  /** pm.max_requests: a child exits after this many requests (0 = never) */
  maxRequests: number;
  /** listen.backlog (-1: the kernel's maximum) */
  listenBacklog: number;
  /** pm.status_path, or null */
  statusPath: string | null;
}

export interface PoolLog {
  level: 'NOTICE' | 'WARNING' | 'ALERT' | 'ERROR';
  text: string;
}

export type PoolConfigResult = { ok: true; config: PoolConfig; logs: PoolLog[] } | { ok: false; error: string; logs: PoolLog[] };

/**
 * php-fpm's defaults (www.conf's "Default Value" lines; 0 = not set for the spare/start servers).
 * listen.backlog: FPM_BACKLOG_DEFAULT, -1 on Linux = as long a queue as the kernel allows (net.core.somaxconn).
 */
const DEFAULTS = { maxSpawnRate: 32, processIdleTimeoutS: 10, maxRequests: 0, listenBacklog: -1 };

const KEYS = ['pm', 'pm.max_children', 'pm.start_servers', 'pm.min_spare_servers', 'pm.max_spare_servers', 'pm.max_spawn_rate', 'pm.process_idle_timeout', 'pm.max_requests', 'listen.backlog', 'pm.status_path', 'listen', 'user', 'group'];

/** fpm_conf_set_time: a number with an optional s, m, h or d suffix, in seconds. */
export function parseFpmTime(value: string): number | null {
  const m = /^(-?\d+)([smhd]?)$/.exec(value.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]];
}

/** One `key = value` of a pool's ini (quotes dropped), with its pool section and line number. */
export interface PoolEntry {
  pool: string;
  key: string;
  value: string;
  line: number;
}

/** php-fpm's ini syntax read into entries: `[pool]` sections, `key = value`, `;` and `#` comments. */
export function poolEntries(text: string, defaultName = 'www'): { ok: true; name: string; sections: string[]; entries: PoolEntry[] } | { ok: false; error: string } {
  let name = defaultName;
  const sections: string[] = [];
  const entries: PoolEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      name = section[1].trim();
      sections.push(name);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) return { ok: false, error: `[pool ${name}] syntax error on line ${i + 1}: '${line}' is not 'name = value'` };
    entries.push({ pool: name, key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'), line: i + 1 });
  }
  return { ok: true, name, sections, entries };
}

export function parsePoolConfig(text: string, defaultName = 'www'): PoolConfigResult {
  const logs: PoolLog[] = [];
  const fail = (error: string): PoolConfigResult => {
    logs.push({ level: 'ALERT', text: error });
    return { ok: false, error, logs };
  };
  const ini = poolEntries(text, defaultName);
  if (!ini.ok) return fail(ini.error);
  const name = ini.name;
  const raw = new Map<string, string>();
  for (const e of ini.entries) {
    if (!KEYS.includes(e.key)) return fail(`[pool ${e.pool}] unknown entry '${e.key}' (line ${e.line}): MPM Lab's pool knows ${KEYS.filter((k) => k.startsWith('pm') || k === 'listen.backlog').join(', ')}`);
    raw.set(e.key, e.value);
  }
  const int = (key: string, dflt: number): number | string => {
    const v = raw.get(key);
    if (v === undefined || v === '') return dflt;
    return /^-?\d+$/.test(v) ? Number(v) : `[pool ${name}] ${key} '${v}' is not a whole number`;
  };
  const pm = raw.get('pm');
  if (pm === undefined) return fail(`[pool ${name}] the process manager is missing (static, dynamic or ondemand)`);
  if (pm !== 'static' && pm !== 'dynamic' && pm !== 'ondemand') return fail(`[pool ${name}] unable to parse value for entry 'pm': invalid process manager (static, dynamic or ondemand)`);
  const values: Record<string, number | string> = {
    maxChildren: int('pm.max_children', 0),
    startServers: int('pm.start_servers', 0),
    minSpareServers: int('pm.min_spare_servers', 0),
    maxSpareServers: int('pm.max_spare_servers', 0),
    maxSpawnRate: int('pm.max_spawn_rate', DEFAULTS.maxSpawnRate),
    maxRequests: int('pm.max_requests', DEFAULTS.maxRequests),
    listenBacklog: int('listen.backlog', DEFAULTS.listenBacklog),
  };
  for (const v of Object.values(values)) if (typeof v === 'string') return fail(v);
  const idle = raw.has('pm.process_idle_timeout') ? parseFpmTime(raw.get('pm.process_idle_timeout')!) : DEFAULTS.processIdleTimeoutS;
  if (idle === null) return fail(`[pool ${name}] pm.process_idle_timeout '${raw.get('pm.process_idle_timeout')}' is not a time (a number with s, m, h or d)`);
  const c: PoolConfig = {
    name,
    pm,
    maxChildren: values.maxChildren as number,
    startServers: values.startServers as number,
    minSpareServers: values.minSpareServers as number,
    maxSpareServers: values.maxSpareServers as number,
    maxSpawnRate: values.maxSpawnRate as number,
    processIdleTimeoutS: idle,
    maxRequests: values.maxRequests as number,
    listenBacklog: values.listenBacklog as number,
    statusPath: raw.get('pm.status_path') ?? null,
  };
  // fpm_conf_process_all_pools, in its order
  if (c.maxChildren < 1) return fail(`[pool ${name}] pm.max_children must be a positive value`);
  if (c.pm === 'dynamic') {
    if (c.minSpareServers <= 0) return fail(`[pool ${name}] pm.min_spare_servers(${c.minSpareServers}) must be a positive value`);
    if (c.maxSpareServers <= 0) return fail(`[pool ${name}] pm.max_spare_servers(${c.maxSpareServers}) must be a positive value`);
    if (c.minSpareServers > c.maxChildren || c.maxSpareServers > c.maxChildren) {
      return fail(`[pool ${name}] pm.min_spare_servers(${c.minSpareServers}) and pm.max_spare_servers(${c.maxSpareServers}) cannot be greater than pm.max_children(${c.maxChildren})`);
    }
    if (c.maxSpareServers < c.minSpareServers) return fail(`[pool ${name}] pm.max_spare_servers(${c.maxSpareServers}) must not be less than pm.min_spare_servers(${c.minSpareServers})`);
    if (c.startServers <= 0) {
      c.startServers = c.minSpareServers + Math.floor((c.maxSpareServers - c.minSpareServers) / 2);
      logs.push({ level: 'NOTICE', text: `[pool ${name}] pm.start_servers is not set. It's been set to ${c.startServers}.` });
    } else if (c.startServers < c.minSpareServers || c.startServers > c.maxSpareServers) {
      return fail(`[pool ${name}] pm.start_servers(${c.startServers}) must not be less than pm.min_spare_servers(${c.minSpareServers}) and not greater than pm.max_spare_servers(${c.maxSpareServers})`);
    }
    if (c.maxSpawnRate < 1) return fail(`[pool ${name}] pm.max_spawn_rate must be a positive value`);
  } else if (c.pm === 'ondemand') {
    if (c.processIdleTimeoutS < 1) return fail(`[pool ${name}] pm.process_idle_timeout(${c.processIdleTimeoutS}s) must be greater than 0s`);
  }
  if (c.maxRequests < 0) return fail(`[pool ${name}] pm.max_requests must be a positive value`);
  return { ok: true, config: c, logs };
}
