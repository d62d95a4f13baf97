// The directive registry: every directive MPM Lab accepts, one entry each,
// every entry the same shape (gunicorn's Setting classes). Parsing, checking,
// the editor's hover docs and the generated reference all read this table.
//
// Names, help strings and defaults are httpd 2.4's (command_rec tables in
// server/mpm/*/*.c, server/core.c, modules/http/http_core.c, include/ap_listen.h,
// include/mpm_common.h; defaults from the mpm_default.h files and pre_config).

import type { LogLevel } from '../log/error-log.js';
import type { ListenAddr } from './listen.js';

export const MPM_NAMES = ['prefork', 'worker', 'event', 'winnt', 'netware', 'mpmt_os2'] as const;
export type MpmName = (typeof MPM_NAMES)[number];

/** How a value is read. 'ignored' = accepted, logged, has no effect. */
export type DirectiveKind =
  | 'int' // C int, atoi() in httpd; we refuse non-numbers
  | 'bytes' // apr_off_t (LimitRequestBody)
  | 'float' // strtod (AsyncRequestWorkerFactor)
  | 'onoff' // FLAG
  | 'keepalive-timeout' // num[ms|s|mi|h], ap_timeout_parameter_parse
  | 'listen'
  | 'loglevel'
  | 'string'
  | 'ignored';

/** httpd's cmd_how (include/http_config.h): decides the argument-count errors. */
export type ArgsHow = 'TAKE1' | 'TAKE2' | 'TAKE12' | 'TAKE23' | 'FLAG' | 'ITERATE' | 'TAKE_ARGV' | 'RAW_ARGS';

/** Parsed value of each directive that has an effect, keyed by canonical name. */
export interface DirectiveValues {
  StartServers: number;
  MinSpareServers: number;
  MaxSpareServers: number;
  MaxRequestWorkers: number;
  ServerLimit: number;
  ThreadsPerChild: number;
  ThreadLimit: number;
  MinSpareThreads: number;
  MaxSpareThreads: number;
  /** netware */
  StartThreads: number;
  /** netware */
  MaxThreads: number;
  /** as written (e.g. 1.5); httpd keeps it ×16 as an unsigned int */
  AsyncRequestWorkerFactor: number;
  MaxConnectionsPerChild: number;
  /** seconds */
  GracefulShutdownTimeout: number;
  ListenBacklog: number;
  /** every Listen line, in order */
  Listen: ListenAddr[];
  /** seconds */
  Timeout: number;
  KeepAlive: boolean;
  /** milliseconds (the directive accepts "5" = 5 s or "300ms") */
  KeepAliveTimeout: number;
  MaxKeepAliveRequests: number;
  LogLevel: LogLevel;
  ExtendedStatus: boolean;
  ServerName: string | null;
  LimitRequestLine: number;
  LimitRequestFieldSize: number;
  LimitRequestFields: number;
  LimitRequestBody: number;
}
export type DirectiveName = keyof DirectiveValues;
export type DirectiveValue = DirectiveValues[DirectiveName];

/** A value that differs per MPM; written plainly when it is the same for all. */
export type PerMpm<T> = T | { readonly byMpm: Readonly<Partial<Record<MpmName, T>>> };

export interface AliasSpec {
  /** old name still accepted, e.g. MaxClients */
  readonly name: string;
  /** its own help string (used in "takes one argument, …") */
  readonly help: string;
  /** the info line httpd logs whenever the old name is used */
  readonly ah: PerMpm<string>;
  readonly module: PerMpm<string>;
  readonly text: string;
}

export interface DirectiveSpec {
  /** canonical spelling; lookups are case-insensitive like httpd's */
  readonly name: string;
  readonly aliases: readonly AliasSpec[];
  readonly kind: DirectiveKind;
  readonly args: ArgsHow;
  /** MPMs whose build has this directive; 'core' = every MPM */
  readonly mpms: readonly MpmName[] | 'core';
  /** httpd module that owns the command (for docs and messages) */
  readonly module: PerMpm<string>;
  /** value when the directive is absent (spec §5.1); null = none / not applicable */
  readonly default: PerMpm<DirectiveValue | null>;
  /** the one-line help string of httpd's command table */
  readonly help: PerMpm<string>;
  /** a short paragraph for learners (editor hover, reference page) */
  readonly doc: string;
  /** the C variable or field httpd sets, for readers of the source */
  readonly cvar: string;
  /** httpd's own refusal of a parsed value (an error, never a clamp); `arg` as written */
  readonly validate?: (value: DirectiveValue, arg: string) => string | undefined;
}

const MPM_MODULE: PerMpm<string> = {
  byMpm: { prefork: 'mpm_prefork', worker: 'mpm_worker', event: 'mpm_event', winnt: 'mpm_winnt', netware: 'mpm_netware', mpmt_os2: 'mpm_mpmt_os2' },
};
const ALL_MPMS: readonly MpmName[] = MPM_NAMES;
/** the Unix MPMs (the platform ones have their own, smaller command tables) */
const UNIX: readonly MpmName[] = ['prefork', 'worker', 'event'];
const THREADED: readonly MpmName[] = ['worker', 'event'];

export const DIRECTIVES: readonly DirectiveSpec[] = [
  // ---- process / thread pool (each MPM's own command table) ----------------
  {
    name: 'StartServers', aliases: [], kind: 'int', args: 'TAKE1', mpms: [...UNIX, 'mpmt_os2'], module: MPM_MODULE,
    default: { byMpm: { prefork: 5, worker: 3, event: 3, mpmt_os2: 2 } },
    help: 'Number of child processes launched at server startup',
    cvar: 'ap_daemons_to_start',
    doc: 'How many child processes the parent forks when it starts (default 5 for prefork, 3 for worker and event). '
      + 'After that, spare-server maintenance adds or removes children once per second, so this only shapes the first '
      + 'seconds. Values below 1 are raised to 1 with a warning; a value above the process limit is silently capped. '
      + 'mpmt_os2 (default 2): the parent keeps exactly this many children running, with no spare-process maintenance.',
  },
  {
    name: 'MinSpareServers', aliases: [], kind: 'int', args: 'TAKE1', mpms: ['prefork'], module: MPM_MODULE,
    default: 5,
    help: 'Minimum number of idle children, to handle request spikes',
    cvar: 'ap_daemons_min_free',
    doc: 'prefork only. When fewer children than this are idle, the parent forks more: 1, then 2, 4 … up to 32 per '
      + 'second while the shortage lasts. Default 5. Values below 1 are raised to 1 with a warning (AH00186).',
  },
  {
    name: 'MaxSpareServers', aliases: [], kind: 'int', args: 'TAKE1', mpms: ['prefork'], module: MPM_MODULE,
    default: 10,
    help: 'Maximum number of idle children',
    cvar: 'ap_daemons_max_free',
    doc: 'prefork only. When more children than this are idle, the parent kills one idle child per second. '
      + 'Default 10. It is silently raised to at least MinSpareServers + 1, so the two never fight.',
  },
  {
    name: 'MaxRequestWorkers',
    aliases: [{
      name: 'MaxClients', help: 'Deprecated name of MaxRequestWorkers',
      ah: { byMpm: { prefork: 'AH00188', worker: 'AH00324', event: 'AH00521' } }, module: MPM_MODULE,
      text: 'MaxClients is deprecated, use MaxRequestWorkers instead.',
    }],
    kind: 'int', args: 'TAKE1', mpms: UNIX, module: MPM_MODULE,
    default: { byMpm: { prefork: 256, worker: 400, event: 400 } },
    help: { byMpm: {
      prefork: 'Maximum number of children alive at the same time',
      worker: 'Maximum number of threads alive at the same time',
      event: 'Maximum number of threads alive at the same time',
    } },
    cvar: 'ap_daemons_limit (prefork) / max_workers (worker, event)',
    doc: 'The most requests served at once. prefork: the most child processes (default 256, capped at ServerLimit). '
      + 'worker/event: the most worker threads (default 400 = 16 × 25); it is rounded down to a multiple of '
      + 'ThreadsPerChild, and the number of processes it allows is capped at ServerLimit. Connections beyond it wait '
      + 'in the listen backlog. Old name: MaxClients.',
  },
  {
    name: 'ServerLimit', aliases: [], kind: 'int', args: 'TAKE1', mpms: UNIX, module: MPM_MODULE,
    default: { byMpm: { prefork: 256, worker: 16, event: 16 } },
    help: { byMpm: {
      prefork: 'Maximum value of MaxRequestWorkers for this run of Apache',
      worker: 'Maximum number of child processes for this run of Apache',
      event: 'Maximum number of child processes for this run of Apache',
    } },
    cvar: 'server_limit',
    doc: 'Sizes the scoreboard: the most child processes this run of the server can ever have (default 256 for '
      + 'prefork, 16 for worker and event; hard maximum 200000 / 20000). It cannot change on a restart: a new value is '
      + 'ignored with a warning (AH00179) until the server is stopped and started again.',
  },
  {
    name: 'ThreadsPerChild', aliases: [], kind: 'int', args: 'TAKE1', mpms: [...THREADED, 'winnt'], module: MPM_MODULE,
    default: { byMpm: { worker: 25, event: 25, winnt: 64 } },
    help: 'Number of threads each child creates',
    cvar: 'threads_per_child',
    doc: 'worker/event: how many worker threads every child process runs (default 25). Capped at ThreadLimit. '
      + 'MaxRequestWorkers is rounded to a multiple of it, so processes = MaxRequestWorkers / ThreadsPerChild. '
      + 'winnt: the fixed size of the one child\'s thread pool (default 64), the most connections served at once.',
  },
  {
    name: 'ThreadLimit', aliases: [], kind: 'int', args: 'TAKE1', mpms: [...THREADED, 'winnt'], module: MPM_MODULE,
    default: { byMpm: { worker: 64, event: 64, winnt: 1920 } },
    help: 'Maximum number of worker threads per child process for this run of Apache - Upper limit for ThreadsPerChild',
    cvar: 'thread_limit',
    doc: 'worker/event: the upper limit for ThreadsPerChild for this run of the server (default 64; hard maximum '
      + '20000 for worker, 100000 for event; winnt: default 1920, maximum 15000). Like ServerLimit it sizes the '
      + 'scoreboard and cannot change on a restart.',
  },
  {
    name: 'MinSpareThreads', aliases: [], kind: 'int', args: 'TAKE1', mpms: [...THREADED, 'netware', 'mpmt_os2'], module: MPM_MODULE,
    default: { byMpm: { worker: 75, event: 75, netware: 10, mpmt_os2: 5 } },
    help: 'Minimum number of idle threads, to handle request spikes',
    cvar: 'min_spare_threads',
    doc: 'worker/event: when fewer threads than this are idle across all children, the parent forks another child '
      + '(default 75 = 3 × 25). Values below 1 are raised to 1 with a warning. netware (default 10): the one '
      + 'process starts more threads. mpmt_os2 (default 5): each child adds threads to keep this many idle.',
  },
  {
    name: 'MaxSpareThreads', aliases: [], kind: 'int', args: 'TAKE1', mpms: [...THREADED, 'netware', 'mpmt_os2'], module: MPM_MODULE,
    default: { byMpm: { worker: 250, event: 250, netware: 100, mpmt_os2: 10 } },
    help: 'Maximum number of idle threads',
    cvar: 'max_spare_threads',
    doc: 'worker/event: when more threads than this are idle, the parent gracefully stops one child per second '
      + '(default 250 = 10 × 25). It is silently raised to at least MinSpareThreads + ThreadsPerChild + 1 (the manual '
      + 'says + ThreadsPerChild; the code adds one more). netware (default 100): one idle thread is stopped per '
      + 'second; at least MinSpareThreads + 1. mpmt_os2 (default 10): each child stops one idle thread per check.',
  },
  {
    name: 'StartThreads', aliases: [], kind: 'int', args: 'TAKE1', mpms: ['netware'], module: MPM_MODULE,
    default: 50,
    help: 'Number of worker threads launched at server startup',
    cvar: 'ap_threads_to_start',
    doc: 'netware only: how many worker threads the server process starts with (default 50). After that, '
      + 'MinSpareThreads and MaxSpareThreads grow and shrink the pool once per second.',
  },
  {
    name: 'MaxThreads', aliases: [], kind: 'int', args: 'TAKE1', mpms: ['netware'], module: MPM_MODULE,
    default: 2048,
    help: 'Maximum number of worker threads alive at the same time',
    cvar: 'ap_threads_limit',
    doc: 'netware only: the most worker threads the one server process may run (default and maximum 2048): the '
      + 'most requests served at once. Connections beyond it wait in the listen backlog.',
  },
  {
    name: 'AsyncRequestWorkerFactor', aliases: [], kind: 'float', args: 'TAKE1', mpms: ['event'], module: MPM_MODULE,
    default: 2,
    help: 'How many additional connects will be accepted per idle worker thread',
    cvar: 'worker_factor (stored ×16)',
    validate: refuseNumber((v) => v <= 0, () => 'AsyncRequestWorkerFactor argument must be a positive number'),
    doc: 'event only: how many connections a child takes on per idle worker thread, on top of ThreadsPerChild, '
      + 'before its listener stops accepting (default 2). Fractions are allowed but httpd 2.4 truncates the factor to '
      + 'a whole number where it is used, and anything below 1 acts as 1.',
  },
  {
    name: 'MaxConnectionsPerChild',
    aliases: [{
      name: 'MaxRequestsPerChild',
      help: 'Maximum number of connections a particular child serves before dying. (DEPRECATED, use MaxConnectionsPerChild)',
      ah: 'AH00545', module: 'core',
      text: 'MaxRequestsPerChild is deprecated, use MaxConnectionsPerChild instead.',
    }],
    kind: 'int', args: 'TAKE1', mpms: 'core', module: 'core',
    default: 0,
    help: 'Maximum number of connections a particular child serves before dying.',
    cvar: 'ap_max_requests_per_child',
    doc: 'A child exits after serving this many connections (not requests: a keep-alive connection counts once). '
      + 'Default 0 = never. Useful against slow leaks; watch the child pids change. Old name: MaxRequestsPerChild.',
  },
  {
    name: 'GracefulShutdownTimeout', aliases: [], kind: 'int', args: 'TAKE1', mpms: UNIX, module: MPM_MODULE,
    default: 0,
    help: 'Maximum time in seconds to wait for child processes to complete transactions during shutdown',
    cvar: 'ap_graceful_shutdown_timeout',
    doc: 'Seconds a graceful stop waits for children to finish their requests before they are killed. '
      + 'Default 0 = wait forever.',
  },
  {
    name: 'ListenBacklog', aliases: [], kind: 'int', args: 'TAKE1', mpms: ALL_MPMS, module: MPM_MODULE,
    default: 511,
    help: 'Maximum length of the queue of pending connections, as used by listen(2)',
    cvar: 'ap_listenbacklog',
    validate: refuseNumber((v) => v < 1, () => 'ListenBacklog must be > 0'),
    doc: 'The queue length passed to listen(2) (default 511; the kernel caps it at net.core.somaxconn). Connections '
      + 'that no child or thread has accepted yet wait here.',
  },
  {
    name: 'Listen', aliases: [], kind: 'listen', args: 'TAKE_ARGV', mpms: ALL_MPMS, module: MPM_MODULE,
    default: [],
    help: 'A port number or a numeric IP address and a port number, and an optional protocol',
    cvar: 'ap_listeners',
    doc: 'An address and port to accept connections on; may be repeated. MPM Lab binds loopback only: '
      + '`Listen 8080` (all interfaces in httpd) binds 127.0.0.1:8080 instead, and a non-loopback address is an error. '
      + 'Without any Listen the command line (--listen) decides.',
  },
  // ---- core / http ---------------------------------------------------------
  {
    name: 'Timeout', aliases: [], kind: 'int', args: 'TAKE1', mpms: 'core', module: 'core',
    default: 60,
    help: 'Timeout duration (sec)',
    cvar: 'server_rec.timeout',
    doc: 'Seconds to wait for the client on socket reads and writes once a request has started (default 60). '
      + 'A client that connects and sends nothing is dropped after this time, with a 408 in the access log.',
  },
  {
    name: 'KeepAlive', aliases: [], kind: 'onoff', args: 'FLAG', mpms: 'core', module: 'http',
    default: true,
    help: 'Whether persistent connections should be On or Off',
    cvar: 'server_rec.keep_alive',
    doc: 'On (default): a connection may carry several requests. Off: every response closes the connection.',
  },
  {
    name: 'KeepAliveTimeout', aliases: [], kind: 'keepalive-timeout', args: 'TAKE1', mpms: 'core', module: 'http',
    default: 5000,
    help: 'Keep-Alive timeout duration (sec)',
    cvar: 'server_rec.keep_alive_timeout',
    doc: 'How long an idle keep-alive connection waits for its next request (default 5 seconds; write `300ms` for '
      + 'milliseconds). prefork and worker keep a child or thread busy (K) meanwhile; event parks the connection '
      + 'without a thread. 0 turns keep-alive off.',
  },
  {
    name: 'MaxKeepAliveRequests', aliases: [], kind: 'int', args: 'TAKE1', mpms: 'core', module: 'http',
    default: 100,
    help: 'Maximum number of Keep-Alive requests per connection, or 0 for infinite',
    cvar: 'server_rec.keep_alive_max',
    doc: 'How many responses on one connection may keep it open (default 100; 0 = unlimited). Because of how '
      + 'httpd counts, a connection can carry N + 1 requests.',
  },
  {
    name: 'LogLevel', aliases: [], kind: 'loglevel', args: 'ITERATE', mpms: 'core', module: 'core',
    default: 'warn',
    help: 'Level of verbosity in error logging',
    cvar: 'server_rec.log.level',
    doc: 'The least severe error_log level written: emerg, alert, crit, error, warn (default), notice, info, debug, '
      + 'trace1 … trace8. notice lines are always written. Per-module levels (core:info) are not supported.',
  },
  {
    name: 'ExtendedStatus', aliases: [], kind: 'onoff', args: 'FLAG', mpms: 'core', module: 'core',
    default: true,
    help: '"On" to track extended status information, "Off" to disable',
    cvar: 'ap_extended_status',
    doc: 'Track per-request details (client, request line, times) for /server-status. Default On, because '
      + 'mod_status switches it on whenever it is loaded.',
  },
  {
    name: 'ServerName', aliases: [], kind: 'string', args: 'TAKE1', mpms: 'core', module: 'core',
    default: null,
    help: 'The hostname and port of the server',
    cvar: 'server_rec.server_hostname',
    validate: checkServerName,
    doc: 'The name (and optionally port) the server uses for itself in self-referential URLs and in /server-status. '
      + 'Without it httpd uses the machine name.',
  },
  {
    name: 'LimitRequestLine', aliases: [], kind: 'int', args: 'TAKE1', mpms: 'core', module: 'core',
    default: 8190,
    help: 'Limit on maximum size of an HTTP request line',
    cvar: 'server_rec.limit_req_line',
    validate: refuseNumber((v) => v < 0, (arg) => `LimitRequestLine "${arg}" must be a non-negative integer`),
    doc: 'Longest request line accepted, in bytes (default 8190). A longer one is answered with 414.',
  },
  {
    name: 'LimitRequestFieldSize', aliases: [], kind: 'int', args: 'TAKE1', mpms: 'core', module: 'core',
    default: 8190,
    help: 'Limit on maximum size of an HTTP request header field',
    cvar: 'server_rec.limit_req_fieldsize',
    // httpd's command table spells it "LimitRequestFieldsize"; the manual "LimitRequestFieldSize".
    validate: refuseNumber((v) => v < 0, (arg) => `LimitRequestFieldsize "${arg}" must be a non-negative integer`),
    doc: 'Longest request header line accepted, in bytes (default 8190). A longer one is answered with 400.',
  },
  {
    name: 'LimitRequestFields', aliases: [], kind: 'int', args: 'TAKE1', mpms: 'core', module: 'core',
    default: 100,
    help: 'Limit (0 = unlimited) on max number of header fields in a request message',
    cvar: 'server_rec.limit_req_fields',
    validate: refuseNumber((v) => v < 0, (arg) => `LimitRequestFields "${arg}" must be a non-negative integer (0 = no limit)`),
    doc: 'Most header fields accepted in one request (default 100; 0 = unlimited). More are answered with 400.',
  },
  {
    name: 'LimitRequestBody', aliases: [], kind: 'bytes', args: 'TAKE1', mpms: 'core', module: 'core',
    default: 1073741824,
    help: 'Limit (in bytes) on maximum size of request message body',
    cvar: 'core_dir_config.limit_req_body',
    validate: refuseNumber((v) => v < 0, () => 'LimitRequestBody requires a non-negative integer.'),
    doc: 'Largest request body accepted, in bytes (default 1073741824 = 1 GiB since 2.4.54; 0 = unlimited). '
      + 'A larger one is answered with 413.',
  },
  // ---- real httpd directives that do nothing here (never silently) ---------
  ignored('LoadModule', 'TAKE2', 'a module name and the name of a shared object file to load it from', 'so',
    'Loads a module from a shared object. MPM Lab has a fixed module set (core, http, so, the chosen MPM, status, '
    + 'headers, log_config); choose the MPM with --mpm.'),
  ignored('User', 'TAKE1', 'Effective user id for this server', 'unixd',
    'The user children switch to when httpd starts as root. MPM Lab never runs as root and never switches user.'),
  ignored('Group', 'TAKE1', 'Effective group id for this server', 'unixd',
    'The group children switch to when httpd starts as root. MPM Lab never switches group.'),
  ignored('ServerRoot', 'TAKE1', 'Common directory of server-related files (logs, confs, etc.)', 'core',
    'Base directory for relative paths in httpd. MPM Lab has no server root.'),
  ignored('DocumentRoot', 'TAKE1', 'Root directory of the document tree', 'core',
    'Directory served as the site. MPM Lab serves built-in handlers (/, /sleep, /cpu, …) instead of files.'),
  ignored('ErrorLog', 'TAKE1', 'The filename of the error log', 'core',
    'Where httpd writes its error log. MPM Lab prints error_log lines to stderr and to the lab.'),
  ignored('CustomLog', 'TAKE23',
    'a file name, a custom log format string or format name, and an optional "env=" or "expr=" clause (see docs)',
    'log_config', 'An access log file and its format. MPM Lab reports every request as an event instead.'),
  ignored('LogFormat', 'TAKE12', 'a log format string (see docs) and an optional format name', 'log_config',
    'Names an access log format. MPM Lab reports every request as an event instead.'),
  ignored('PidFile', 'TAKE1', 'A file for logging the server process ID', 'core',
    'File where httpd writes the parent pid. MPM Lab prints the parent pid in its events instead.'),
  ignored('Mutex', 'RAW_ARGS', 'mutex (or "default") and mechanism', 'core',
    'Chooses the lock mechanism (e.g. for mpm-accept). MPM Lab serialises accept by handing out turns, so there is '
    + 'no lock to choose.'),
  ignored('AcceptFilter', 'TAKE2', 'Set the Accept Filter to use for a protocol', 'core',
    'Asks the kernel to hold connections until data arrives (TCP_DEFER_ACCEPT on Linux). Node cannot set it, so '
    + 'a silent client occupies a child or thread in MPM Lab but not in httpd.'),
  ignored('ServerTokens', 'TAKE1',
    'Determine tokens displayed in the Server: header - Min(imal), Major, Minor, Prod(uctOnly), OS, or Full', 'core',
    'How much the Server: response header reveals. MPM Lab sends a fixed Server header.'),
  ignored('ServerAdmin', 'TAKE1', 'The email address of the server administrator', 'core',
    'Contact address shown on error pages. MPM Lab does not show it.'),
];

/**
 * Real httpd directives we refuse with a clear message instead of "Invalid
 * command … perhaps misspelled", which would mislead a learner who copied a
 * stock httpd.conf. Ignoring them would silently change what the file means.
 */
export const UNSUPPORTED_DIRECTIVES: readonly string[] = [
  'Include', 'IncludeOptional', 'Define', 'UnDefine', 'ListenCoresBucketsRatio',
  'SendBufferSize', 'ReceiveBufferSize', 'ScoreBoardFile', 'ThreadStackSize', 'MaxMemFree',
];

// ---- lookups ----------------------------------------------------------------

export interface DirectiveMatch {
  spec: DirectiveSpec;
  /** set when the name used was an old alias such as MaxClients */
  alias?: AliasSpec;
}

const BY_LOWER_NAME = new Map<string, DirectiveMatch>();
for (const spec of DIRECTIVES) {
  BY_LOWER_NAME.set(spec.name.toLowerCase(), { spec });
  for (const alias of spec.aliases) BY_LOWER_NAME.set(alias.name.toLowerCase(), { spec, alias });
}

/** Find a directive by any spelling of its name or alias (httpd: ap_cstr_casecmp). */
export function findDirective(name: string): DirectiveMatch | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

/** The canonical spelling of an unsupported httpd directive, if `name` is one. */
export function findUnsupported(name: string): string | undefined {
  const lower = name.toLowerCase();
  return UNSUPPORTED_DIRECTIVES.find((d) => d.toLowerCase() === lower);
}

/** Does the server built for `mpm` know this directive? (Otherwise httpd says "Invalid command".) */
export function appliesTo(spec: DirectiveSpec, mpm: MpmName): boolean {
  return spec.mpms === 'core' || spec.mpms.includes(mpm);
}

/** Resolve a per-MPM value. */
export function forMpm<T>(v: PerMpm<T>, mpm: MpmName): T | undefined {
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'byMpm' in v) {
    return (v as { byMpm: Partial<Record<MpmName, T>> }).byMpm[mpm];
  }
  return v as T;
}

/** The spec of a directive that has an effect (typed by name). */
export function directiveSpec(name: DirectiveName): DirectiveSpec {
  const m = BY_LOWER_NAME.get(name.toLowerCase());
  if (!m) throw new Error(`no registry entry for ${name}`);
  return m.spec;
}

/** The default value of a directive under an MPM (spec §5.1). */
export function defaultValue<K extends DirectiveName>(name: K, mpm: MpmName): DirectiveValues[K] {
  const v = forMpm(directiveSpec(name).default, mpm);
  if (v === undefined) throw new Error(`${name} has no default for ${mpm}`);
  // the registry's entries are checked against DirectiveValues by a unit test
  return (Array.isArray(v) ? [...v] : v) as DirectiveValues[K];
}

/** A validator that refuses numbers for which `test` holds. */
function refuseNumber(test: (v: number) => boolean, message: (arg: string) => string) {
  return (v: DirectiveValue, arg: string): string | undefined =>
    (typeof v === 'number' && test(v) ? message(arg) : undefined);
}

/** core.c server_hostname_port: no wildcards, and a port (if any) in 1..65535 (read with atoi). */
function checkServerName(_v: DirectiveValue, arg: string): string | undefined {
  if (/[*?[]/.test(arg)) return `Invalid ServerName "${arg}" use ServerAlias to set multiple server names.`;
  const scheme = arg.indexOf('://');
  const hostPort = scheme >= 0 ? arg.slice(scheme + 3) : arg;
  const colon = hostPort.indexOf(':');
  if (colon < 0) return undefined;
  const port = Number(/^\s*[+-]?\d*/.exec(hostPort.slice(colon + 1))![0].trim() || '0');
  return port > 0 && port < 65536
    ? undefined
    : `The port number "${arg}" is outside the appropriate range (i.e., 1..65535).`;
}

function ignored(name: string, args: ArgsHow, help: string, module: string, what: string): DirectiveSpec {
  return {
    name, aliases: [], kind: 'ignored', args, mpms: 'core', module, default: null, help, cvar: '',
    doc: `${what} Accepted for compatibility with httpd.conf files; it has no effect in MPM Lab's node engine `
      + 'and a warning says so.',
  };
}
