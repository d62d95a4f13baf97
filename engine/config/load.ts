// Config file + --set → raw directive values, or the error httpd would stop
// with. This is httpd's walk phase (ap_walk_config → invoke_cmd → each
// directive's handler): directives run in order, the last one wins, and the
// first error stops everything.
//
// Values stay unclamped here (StartServers 0 is fine); check.ts applies the
// MPM's check_config with its warnings.

import { readFileSync } from 'node:fs';
import { checkArity } from './arity.js';
import type { ConfigLocation, Diagnostic } from './diagnostic.js';
import { ARGV0, walkError } from './diagnostic.js';
import type { DirectiveLine } from './parse.js';
import { loadedModules, parseConfig } from './parse.js';
import type { DirectiveSpec, DirectiveValue, DirectiveValues, MpmName } from './directives.js';
import { appliesTo, findDirective, findUnsupported, forMpm } from './directives.js';
import { parseListen, sameListen } from './listen.js';
import type { Parsed } from './values.js';
import { parseBytes, parseInt32, parseKeepAliveTimeout, parseLogLevel, parseNumber, parseOnOff } from './values.js';
import { splitWords } from './words.js';

/** Parsed values of the directives that were written; absent = not set. */
export type RawConfig = Partial<DirectiveValues>;

export interface LoadOptions {
  mpm: MpmName;
  /** the config text; when absent and `file` is given, the file is read */
  text?: string;
  /** file name, used in messages (and read when `text` is absent) */
  file?: string;
  /** --set Directive=Value strings, applied after the file in order */
  sets: readonly string[];
}

export type LoadResult =
  | { ok: true; raw: RawConfig; diagnostics: Diagnostic[] }
  | { ok: false; error: string; location?: ConfigLocation; diagnostics: Diagnostic[] };

/** httpd sections we recognise but do not support (anything else is "Invalid command"). */
const HTTPD_SECTIONS = [
  'VirtualHost', 'Directory', 'DirectoryMatch', 'Files', 'FilesMatch', 'Location', 'LocationMatch',
  'Limit', 'LimitExcept', 'IfDefine', 'IfFile', 'IfDirective', 'IfSection', 'IfVersion', 'If', 'ElseIf', 'Else',
  'Proxy', 'ProxyMatch', 'Macro', 'RequireAll', 'RequireAny', 'RequireNone',
];

/** A line to run: from the file, or one --set (then `set` holds the argument). */
type Entry = DirectiveLine & { set?: string };

export function loadConfig(opts: LoadOptions): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const file = opts.file ?? '(no config file)';
  let text = opts.text;
  if (text === undefined && opts.file !== undefined) {
    const read = readConfigFile(opts.file);
    if (!read.ok) return { ok: false, error: read.message, diagnostics };
    text = read.value;
  }

  const parsed = parseConfig(text ?? '', { file, modules: loadedModules(opts.mpm) });
  if (!parsed.ok) return { ok: false, error: parsed.error, location: parsed.location, diagnostics };

  const entries: Entry[] = [...parsed.lines];
  for (const set of opts.sets) {
    const entry = setEntry(set);
    if (typeof entry === 'string') {
      return { ok: false, error: walkError({ file: '--set', set }, entry), location: { file: '--set', set }, diagnostics };
    }
    entries.push(entry);
  }

  const raw: RawConfig = {};
  for (const entry of entries) {
    const message = runDirective(entry, opts.mpm, raw, diagnostics);
    if (message !== undefined) {
      const at: ConfigLocation = entry.set !== undefined
        ? { file: '--set', set: entry.set }
        : { file: entry.file, line: entry.line };
      return { ok: false, error: walkError(at, message), location: at, diagnostics };
    }
  }
  return { ok: true, raw, diagnostics };
}

/** "Directive=Value" → one more directive line, split at the first "=". */
function setEntry(set: string): Entry | string {
  const eq = set.indexOf('=');
  const written = eq < 0 ? '' : set.slice(0, eq).trim();
  if (written === '') return `--set needs Directive=Value, e.g. --set StartServers=5`;
  if (written.startsWith('<') || written.startsWith('#')) {
    return `--set takes one directive, not a section or a comment`;
  }
  const match = findDirective(written);
  const name = match ? (match.alias?.name ?? match.spec.name) : (findUnsupported(written) ?? written);
  return { name, written, args: splitWords(set.slice(eq + 1)), file: '--set', line: 0, set };
}

/** Run one directive into `raw`; returns httpd's error text when it refuses. */
function runDirective(entry: Entry, mpm: MpmName, raw: RawConfig, diagnostics: Diagnostic[]): string | undefined {
  const { name, written, args } = entry;
  if (name.startsWith('<')) {
    const section = HTTPD_SECTIONS.find((s) => s.toLowerCase() === name.slice(1).toLowerCase());
    return section
      ? `<${section}> sections are not supported in MPM Lab; only <IfModule> is`
      : invalidCommand(written);
  }

  const match = findDirective(name);
  if (!match) {
    const unsupported = findUnsupported(name);
    return unsupported ? `${unsupported} is an httpd directive that MPM Lab does not support` : invalidCommand(written);
  }
  // A directive of another MPM: its module is not loaded, so httpd does not know the name at all.
  const { spec, alias } = match;
  if (!appliesTo(spec, mpm)) return invalidCommand(written);

  const help = alias?.help ?? forMpm(spec.help, mpm) ?? '';
  const arity = checkArity(spec.args, name, help, args);
  if (arity !== undefined) return arity;

  const where: Pick<Diagnostic, 'file' | 'line'> = entry.set !== undefined
    ? { file: '--set' }
    : { file: entry.file, line: entry.line };
  const note = (d: Omit<Diagnostic, 'file' | 'line' | 'directive' | 'startup'>) =>
    diagnostics.push({ ...d, startup: false, ...where, directive: spec.name });

  if (alias) {
    // logged by the handler itself (e.g. set_max_clients), at info level
    note({ level: 'info', module: forMpm(alias.module, mpm) ?? 'core', ah: forMpm(alias.ah, mpm) ?? '', text: alias.text });
  }
  if (spec.kind === 'ignored') {
    note({ level: 'warn', module: 'core', ah: '', text: `${spec.name} has no effect in MPM Lab's node engine; ignored` });
    return undefined;
  }
  if (spec.kind === 'listen') {
    const listen = parseListen(args);
    if (!listen.ok) return listen.message;
    const list = raw.Listen ?? [];
    if (list.some((a) => sameListen(a, listen.addr))) return 'Cannot define multiple Listeners on the same IP:port';
    raw.Listen = [...list, listen.addr];
    if (listen.note) note({ level: 'warn', module: 'core', ah: '', text: listen.note });
    return undefined;
  }

  const value = parseValue(spec, name, args);
  if (!value.ok) return value.message;
  if (spec.validate) {
    const refused = spec.validate(value.value, args[0] ?? '');
    if (refused !== undefined) return refused;
  }
  // the registry test ties each entry's kind to its DirectiveValues type
  (raw as Record<string, DirectiveValue>)[spec.name] = value.value;
  return undefined;
}

function parseValue(spec: DirectiveSpec, name: string, args: readonly string[]): Parsed<DirectiveValue> {
  const arg = args[0] ?? '';
  switch (spec.kind) {
    case 'int': return parseInt32(name, arg);
    case 'bytes': return parseBytes(name, arg);
    case 'float': return parseNumber(name, arg);
    case 'onoff': return parseOnOff(name, args);
    case 'keepalive-timeout': return parseKeepAliveTimeout(arg);
    case 'loglevel': return parseLogLevel(args);
    case 'string': return { ok: true, value: arg };
    case 'listen':
    case 'ignored':
      throw new Error(`${spec.name}: handled before parseValue`);
    default: {
      const never: never = spec.kind;
      return never;
    }
  }
}

function invalidCommand(written: string): string {
  return `Invalid command '${written}', perhaps misspelled or defined by a module not included in the server configuration`;
}

/** httpd: "httpd: Could not open configuration file /x: No such file or directory". */
function readConfigFile(file: string): Parsed<string> {
  try {
    return { ok: true, value: readFileSync(file, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    const why = ERRNO_TEXT[code] ?? (e as Error).message;
    return { ok: false, message: `${ARGV0}: Could not open configuration file ${file}: ${why}` };
  }
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
};
