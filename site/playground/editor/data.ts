// The directive table the config editor knows, as served by
// site/pages/directives.json.ts (built from engine/config/directives.ts).
// Pure: no Monaco, no DOM, no engine runtime code (unit-tested in Node).

export type MpmName = 'prefork' | 'worker' | 'event' | 'winnt' | 'netware' | 'mpmt_os2';
export const MPMS: readonly MpmName[] = ['prefork', 'worker', 'event', 'winnt', 'netware', 'mpmt_os2'];

export interface DirectiveEntry {
  name: string;
  /** old names httpd still accepts (MaxClients) */
  aliases: string[];
  kind: string;
  mpms: string[];
  /** true = every MPM has it (core / http) */
  core: boolean;
  help: Record<string, string>;
  defaults: Record<string, string>;
  doc: string;
}

export interface DirectivesData {
  directives: DirectiveEntry[];
  /** real httpd directives MPM Lab refuses with its own message */
  unsupported: string[];
}

export interface Lookup {
  entry: DirectiveEntry;
  /** set when the name used is an old alias, as written in the table (MaxClients) */
  alias?: string;
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrRecord = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(isStr);

/** Check the fetched JSON; throws with a readable message when it is not the table. */
export function parseDirectivesData(json: unknown): DirectivesData {
  const bad = (why: string): never => { throw new Error(`directives JSON: ${why}`); };
  if (typeof json !== 'object' || json === null) return bad('not an object');
  const { directives, unsupported } = json as Record<string, unknown>;
  if (!Array.isArray(directives)) return bad('no "directives" array');
  const out: DirectiveEntry[] = directives.map((d: unknown, i) => {
    const o = (typeof d === 'object' && d !== null ? d : {}) as Record<string, unknown>;
    if (!isStr(o.name) || o.name === '') return bad(`entry ${i} has no name`);
    const aliases = Array.isArray(o.aliases) ? o.aliases.filter(isStr) : [];
    const mpms = Array.isArray(o.mpms) ? o.mpms.filter(isStr) : [...MPMS];
    return {
      name: o.name,
      aliases,
      kind: isStr(o.kind) ? o.kind : 'string',
      mpms,
      core: o.core === true,
      help: isStrRecord(o.help) ? o.help : {},
      defaults: isStrRecord(o.defaults) ? o.defaults : {},
      doc: isStr(o.doc) ? o.doc : '',
    };
  });
  return { directives: out, unsupported: Array.isArray(unsupported) ? unsupported.filter(isStr) : [] };
}

/** Case-insensitive lookups (httpd compares directive names with ap_cstr_casecmp). */
export class DirectiveIndex {
  readonly data: DirectivesData;
  private readonly byLower = new Map<string, Lookup>();
  private readonly unsupportedByLower = new Map<string, string>();

  constructor(data: DirectivesData) {
    this.data = data;
    for (const entry of data.directives) {
      this.byLower.set(entry.name.toLowerCase(), { entry });
      for (const alias of entry.aliases) this.byLower.set(alias.toLowerCase(), { entry, alias });
    }
    for (const u of data.unsupported) this.unsupportedByLower.set(u.toLowerCase(), u);
  }

  find(name: string): Lookup | undefined {
    return this.byLower.get(name.toLowerCase());
  }

  /** canonical spelling of a real httpd directive MPM Lab refuses (Include, Define …) */
  unsupported(name: string): string | undefined {
    return this.unsupportedByLower.get(name.toLowerCase());
  }

  get directives(): readonly DirectiveEntry[] {
    return this.data.directives;
  }

  /** every canonical name */
  names(): string[] {
    return this.data.directives.map((d) => d.name);
  }

  /** every old name */
  aliases(): string[] {
    return this.data.directives.flatMap((d) => d.aliases);
  }
}

export function appliesTo(entry: DirectiveEntry, mpm: MpmName): boolean {
  return entry.core || entry.mpms.includes(mpm);
}

/**
 * The modules MPM Lab's server "has loaded" for <IfModule>, under both names
 * httpd accepts (identifier and source file), compared case-sensitively.
 * Mirrors loadedModules() in engine/config/parse.ts (a unit test keeps them equal);
 * the browser never imports engine runtime code.
 */
/** the MPM's source file, as <IfModule> may name it (winnt and netware's carry an mpm_ prefix) */
function mpmSourceFile(mpm: MpmName): string {
  return mpm === 'winnt' || mpm === 'netware' ? `mpm_${mpm}.c` : `${mpm}.c`;
}

export function loadedModules(mpm: MpmName): ReadonlySet<string> {
  return new Set([
    'core_module', 'core.c',
    'http_module', 'http_core.c',
    'so_module', 'mod_so.c',
    `mpm_${mpm}_module`, mpmSourceFile(mpm),
    'status_module', 'mod_status.c',
    'headers_module', 'mod_headers.c',
    'log_config_module', 'mod_log_config.c',
  ]);
}

/** The module identifier whose <IfModule> keeps lines for one MPM only. */
export function mpmModule(mpm: MpmName): string {
  return `mpm_${mpm}_module`;
}

/** httpd's words for a name no loaded module defines. */
export function invalidCommand(written: string): string {
  return `Invalid command '${written}', perhaps misspelled or defined by a module not included in the server configuration`;
}

/** "prefork", "worker and event", "prefork, worker and event" */
export function listAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
