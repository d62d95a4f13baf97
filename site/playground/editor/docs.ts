// Hover text and completion entries for the config editor, from the directive
// table. Pure: no Monaco, no DOM. Markdown is rendered by Monaco without HTML
// (supportHtml off, not trusted), so only Markdown escaping matters here.

import type { DirectiveEntry, DirectiveIndex, Lookup, MpmName } from './data.js';
import { MPMS, appliesTo, invalidCommand, listAnd, loadedModules, mpmModule } from './data.js';

/** Escape Markdown punctuation in text that comes from the user's file. */
export function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

/** a value as inline code, whatever backticks it contains */
function code(s: string): string {
  const fence = s.includes('`') ? '``' : '`';
  return `${fence}${s.includes('`') ? ` ${s} ` : s}${fence}`;
}

function mpmsOf(entry: DirectiveEntry): MpmName[] {
  return MPMS.filter((m) => entry.core || entry.mpms.includes(m));
}

/** "Default: `5` (for prefork)" — or for the MPMs that have it, when this one does not. */
export function defaultLine(entry: DirectiveEntry, mpm: MpmName): string {
  const show = (v: string | undefined) => (v === undefined || v === '' ? 'none' : code(v));
  if (appliesTo(entry, mpm)) return `Default: ${show(entry.defaults[mpm])} (for ${mpm})`;
  const owners = mpmsOf(entry);
  const values = new Set(owners.map((m) => entry.defaults[m] ?? ''));
  if (values.size <= 1) return `Default: ${show(entry.defaults[owners[0]!])} (for ${listAnd(owners)})`;
  return `Default: ${owners.map((m) => `${show(entry.defaults[m])} for ${m}`).join(', ')}`;
}

export function helpFor(entry: DirectiveEntry, mpm: MpmName): string {
  return entry.help[mpm] || entry.help[mpmsOf(entry)[0] ?? 'prefork'] || '';
}

/** Hover Markdown for a directive name (or alias) as written, under `mpm`. */
export function directiveHover(found: Lookup, written: string, mpm: MpmName): string {
  const { entry, alias } = found;
  const owners = mpmsOf(entry);
  const parts: string[] = [];
  const help = helpFor(entry, mpm);
  parts.push(`**${entry.name}**${help ? ` — ${escapeMd(help)}` : ''}`);
  if (alias) {
    parts.push(`*${alias}* is the old name of this directive: **${entry.name}** replaced it. `
      + `httpd still accepts ${alias} but logs that it is deprecated.`);
  }
  if (!appliesTo(entry, mpm)) {
    parts.push(`⚠ **Not a ${mpm} directive**: only ${listAnd(owners)} ${owners.length > 1 ? 'have' : 'has'} it. `
      + `httpd built with ${mpm} refuses it (*${escapeMd(invalidCommand(written))}*)`
      + (owners.length === 1 ? ` unless it sits inside \`<IfModule ${mpmModule(owners[0]!)}>\`.` : '.'));
  }
  parts.push(`${defaultLine(entry, mpm)}  \nApplies to: ${owners.join(', ')}${entry.core ? ' (core, every MPM)' : ''}`);
  if (entry.kind === 'ignored') parts.push('*Accepted but has no effect in MPM Lab.*');
  if (entry.doc) parts.push(entry.doc);
  return parts.join('\n\n');
}

/** Hover Markdown for a first word the table does not know. */
export function unknownHover(written: string, index: DirectiveIndex): string {
  const unsupported = index.unsupported(written);
  if (unsupported) {
    return `**${unsupported}** is a real httpd directive that MPM Lab does not support: the engine refuses the file `
      + 'rather than silently changing what it means.';
  }
  return `**${escapeMd(written)}** is not a directive MPM Lab knows. httpd refuses it: *${escapeMd(invalidCommand(written))}*.`;
}

const IFMODULE_DOC = 'Lines between `<IfModule name>` and `</IfModule>` are read only when the module is loaded '
  + '(`<IfModule !name>`: only when it is not). The name is the module identifier (`mpm_prefork_module`) or its '
  + 'source file (`prefork.c`), compared case-sensitively. MPM Lab\'s server has core, http, so, the chosen MPM, '
  + 'status, headers and log_config loaded.';

/** Hover Markdown for a section tag. */
export function sectionHover(name: string): string {
  if (name.toLowerCase() === 'ifmodule') return `**<IfModule>** — Container for directives based on the presence of a module\n\n${IFMODULE_DOC}`;
  return `**<${escapeMd(name)}>** — MPM Lab only supports \`<IfModule>\` sections; the engine refuses any other.`;
}

/** Hover Markdown for the module name of an <IfModule>. */
export function moduleHover(module: string, negated: boolean, mpm: MpmName): string {
  const loaded = loadedModules(mpm).has(module);
  const read = loaded !== negated;
  const other = MPMS.filter((m) => m !== mpm && loadedModules(m).has(module));
  const what = loaded
    ? `\`${module}\` is loaded under ${mpm}`
    : `\`${module}\` is not loaded under ${mpm}${other.length ? ` (it is under ${listAnd(other)})` : ''}`;
  return `${what}${negated ? ', and the test is negated (`!`)' : ''}: `
    + (read ? 'the lines inside **are read**.' : 'httpd **skips** the lines inside, up to the matching `</IfModule>`.');
}

// ---- completion -----------------------------------------------------------------

export interface CompletionEntry {
  label: string;
  /** snippet text (Monaco snippet syntax) */
  insertText: string;
  detail: string;
  /** short text shown on the row, right of the label */
  description?: string;
  documentation: string;
  deprecated: boolean;
  /** sorts directives of this MPM first, other MPMs' next, old names last */
  sortText: string;
  kind: 'directive' | 'alias' | 'value' | 'section';
}

function snippetEscape(s: string): string {
  return s.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** Directive names (and old names) to offer at the start of a line. */
export function directiveCompletions(index: DirectiveIndex, mpm: MpmName): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  for (const entry of index.directives) {
    const applies = appliesTo(entry, mpm);
    const def = applies ? entry.defaults[mpm] ?? '' : '';
    const insert = def !== '' && entry.kind !== 'ignored' ? `${entry.name} \${1:${snippetEscape(def)}}` : `${entry.name} $0`;
    const help = helpFor(entry, mpm);
    out.push({
      label: entry.name,
      insertText: insert,
      detail: applies ? help : `${help} (not in ${mpm}: ${listAnd(mpmsOf(entry))} only)`,
      description: applies ? help : `not in ${mpm}`,
      documentation: directiveHover({ entry }, entry.name, mpm),
      deprecated: false,
      sortText: `${applies ? (entry.kind === 'ignored' ? '2' : '1') : '3'}${entry.name.toLowerCase()}`,
      kind: 'directive',
    });
    for (const alias of entry.aliases) {
      out.push({
        label: alias,
        insertText: `${alias} $0`,
        detail: `Deprecated: old name of ${entry.name}`,
        description: `old name of ${entry.name}`,
        documentation: directiveHover({ entry, alias }, alias, mpm),
        deprecated: true,
        sortText: `4${alias.toLowerCase()}`,
        kind: 'alias',
      });
    }
  }
  return out;
}

const LOG_LEVELS = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug',
  'trace1', 'trace2', 'trace3', 'trace4', 'trace5', 'trace6', 'trace7', 'trace8'];

/** Values to offer for an argument of `directive` (On/Off, log levels), if it has a closed set. */
export function valueCompletions(index: DirectiveIndex, directive: string, argIndex: number): CompletionEntry[] {
  const found = index.find(directive);
  if (!found || argIndex !== 0) return [];
  const values = found.entry.kind === 'onoff' ? ['On', 'Off'] : found.entry.kind === 'loglevel' ? LOG_LEVELS : [];
  return values.map((v, i) => ({
    label: v, insertText: v, detail: `${found.entry.name} value`, documentation: '', deprecated: false,
    sortText: String(i).padStart(2, '0'), kind: 'value' as const,
  }));
}

/** Module names to offer inside <IfModule …>. */
export function moduleCompletions(mpm: MpmName): CompletionEntry[] {
  const ids = [...new Set(MPMS.map(mpmModule)), 'status_module', 'headers_module', 'log_config_module', 'so_module'];
  return ids.map((id, i) => ({
    label: id, insertText: id,
    detail: loadedModules(mpm).has(id) ? `loaded under ${mpm}` : `not loaded under ${mpm}`,
    description: loadedModules(mpm).has(id) ? `loaded under ${mpm}` : `not loaded under ${mpm}`,
    documentation: moduleHover(id, false, mpm), deprecated: false, sortText: String(i).padStart(2, '0'), kind: 'value' as const,
  }));
}

/** The <IfModule> section, offered after a '<' at the start of a line. */
export function sectionCompletion(mpm: MpmName): CompletionEntry {
  return {
    label: 'IfModule',
    insertText: `IfModule \${1:${mpmModule(mpm)}}>\n\t$0\n</IfModule>`,
    detail: 'Container for directives based on the presence of a module',
    documentation: sectionHover('IfModule'),
    deprecated: false, sortText: '0', kind: 'section',
  };
}
