// Apache config syntax → a flat list of directive lines, with <IfModule>
// evaluated. This is httpd's build phase (server/config.c ap_build_config and
// friends): it reads the whole file before any directive runs, so a broken
// section structure is reported even when an earlier line has a bad directive.
//
// What the walk phase (load.ts) gets:
// - every directive line in an active region, its name canonicalised to the
//   registry's spelling when the registry knows it;
// - the opening line of any other section (<VirtualHost …>, <Foo>) as a line
//   named "<VirtualHost", so load.ts can refuse it with its line number.

import type { ConfigLocation } from './diagnostic.js';
import { buildError } from './diagnostic.js';
import type { MpmName } from './directives.js';
import { findDirective, findUnsupported } from './directives.js';
import { firstWord, splitWords } from './words.js';

export interface DirectiveLine {
  /** the registry's spelling when it knows the name (aliases keep their own), else as written */
  name: string;
  /** the name exactly as written, for "Invalid command 'foo'" */
  written: string;
  args: string[];
  file: string;
  /** httpd counts the last physical line of a continued line */
  line: number;
}

export type ParseResult =
  | { ok: true; lines: DirectiveLine[] }
  | { ok: false; error: string; location: ConfigLocation };

export interface ParseOptions {
  /** used in messages */
  file: string;
  /** module names <IfModule> tests, e.g. loadedModules('prefork') */
  modules: ReadonlySet<string>;
}

/**
 * The modules MPM Lab's server "has loaded", under both names <IfModule>
 * accepts: the module identifier (mpm_prefork_module) and its source file
 * (prefork.c). httpd compares these case-sensitively.
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

interface OpenSection {
  /** as written after "<", e.g. "IfModule", "VirtualHost" */
  name: string;
  line: number;
  /** false = an <IfModule> whose test failed: everything inside is skipped */
  active: boolean;
}

export function parseConfig(text: string, opts: ParseOptions): ParseResult {
  const { file } = opts;
  const lines: DirectiveLine[] = [];
  const open: OpenSection[] = [];
  const fail = (line: number, message: string): ParseResult =>
    ({ ok: false, error: buildError({ file, line }, message), location: { file, line } });

  for (const { text: l, line } of logicalLines(text)) {
    if (l === '' || l.startsWith('#')) continue;
    const { word, rest } = firstWord(l);
    const skipping = open.some((s) => !s.active);

    if (word.startsWith('</')) {
      const closing = word.slice(2).replace(/>$/, '');
      const top = open[open.length - 1];
      if (top === undefined) return fail(line, `${word} without matching <${word.slice(2)} section`);
      if (closing.toLowerCase() !== top.name.toLowerCase()) {
        // a true <IfModule> is read as a fresh tree in httpd (ap_build_cont_config),
        // so a stray closing tag inside it has no parent to be compared with
        if (!skipping && top.name.toLowerCase() === 'ifmodule') {
          return fail(line, `${word} without matching <${word.slice(2)} section`);
        }
        return fail(line, `Expected </${top.name}> but saw </${closing}>`);
      }
      open.pop();
      continue;
    }

    if (word.startsWith('<')) {
      // "<IfModule>" with nothing after it: httpd treats the args as ">"
      const name = word.slice(1).replace(/>$/, '');
      const args = word.endsWith('>') && rest === '' ? '>' : rest;
      if (skipping) {
        // inside a false <IfModule> httpd only matches section names (ap_soak_end_container)
        open.push({ name, line, active: true });
        continue;
      }
      if (name.toLowerCase() === 'ifmodule') {
        const test = ifModule(args, opts.modules);
        if (typeof test === 'string') return fail(line, test);
        open.push({ name, line, active: test });
        continue;
      }
      // any other section: handed to load.ts, which refuses it with its line
      open.push({ name, line, active: true });
      lines.push({ name: `<${name}`, written: `<${name}`, args: splitWords(args.replace(/>\s*$/, '')), file, line });
      continue;
    }

    if (skipping) continue;
    const match = findDirective(word);
    const name = match ? (match.alias?.name ?? match.spec.name) : (findUnsupported(word) ?? word);
    lines.push({ name, written: word, args: splitWords(rest), file, line });
  }

  return unclosed(open, file) ?? { ok: true, lines };
}

/**
 * Physical lines joined where one ends with a backslash (ap_cfg_getline: the
 * backslash right before the newline is removed and the next line appended
 * as is), trimmed. `line` is the number of the last physical line used.
 */
export function logicalLines(text: string): { text: string; line: number }[] {
  const physical = text.split('\n');
  const out: { text: string; line: number }[] = [];
  let pending = '';
  physical.forEach((raw, i) => {
    const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const followedByNewline = i < physical.length - 1;
    if (followedByNewline && l.endsWith('\\')) {
      pending += l.slice(0, -1);
      return;
    }
    out.push({ text: (pending + l).trim(), line: i + 1 });
    pending = '';
  });
  return out;
}

/** <IfModule [!]name>: true/false, or httpd's error text. */
function ifModule(args: string, modules: ReadonlySet<string>): boolean | string {
  const end = args.lastIndexOf('>');
  if (end < 0) return "<IfModule> directive missing closing '>'";
  let inner = args.slice(0, end);
  const negated = inner.startsWith('!');
  if (negated) inner = inner.slice(1);
  const module = splitWords(inner)[0] ?? '';
  if (module === '') return '<IfModule> directive requires additional arguments';
  return modules.has(module) !== negated;
}

/** Sections still open at the end of the file. */
function unclosed(open: OpenSection[], file: string): ParseResult | undefined {
  if (open.length === 0) return undefined;
  const innermost = open[open.length - 1]!;
  const firstFalse = open.find((s) => !s.active);
  const lastIfModule = [...open].reverse().find((s) => s.name.toLowerCase() === 'ifmodule');
  // httpd: ap_soak_end_container reaches the end of the file inside a false
  // <IfModule>; the line is that <IfModule>'s. (httpd accepts an unclosed
  // *true* <IfModule> silently; we refuse that too, with the same words.)
  const soakAt = firstFalse ?? lastIfModule;
  if (soakAt) {
    const name = firstFalse ? innermost.name : soakAt.name;
    const at = { file, line: soakAt.line };
    return { ok: false, error: buildError(at, `Expected </${name}> before end of configuration`), location: at };
  }
  // ap_build_config: one "was not closed." line per open section, innermost first
  const message = [...open].reverse().map((s) => `${file}:${s.line}: <${s.name}> was not closed.`).join('\n');
  const at = { file, line: open[0]!.line };
  return { ok: false, error: buildError(at, message), location: at };
}
