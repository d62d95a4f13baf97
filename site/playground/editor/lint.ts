// Instant, local markers for the config editor (owner 'mpm-lab-local'): what can
// be told from the text and the directive table alone, before the engine has
// read the file. The engine's verdict (report.ts) stays the authority; these
// follow its rules (engine/config/parse.ts, load.ts) so they never disagree.
// Pure: no Monaco, no DOM.

import type { DirectiveIndex, MpmName } from './data.js';
import { MPMS, appliesTo, invalidCommand, listAnd, loadedModules, mpmModule } from './data.js';
import type { Span } from './syntax.js';
import { firstWord, firstWordSpan, lineSpan, logicalLines, splitWords } from './syntax.js';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A marker in Monaco's shape (1-based, end column exclusive), severity by name. */
export interface MarkerSpec {
  severity: Severity;
  message: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  /** short id, shown after the message */
  code?: string;
  /** 'deprecated' renders struck through */
  tags?: 'deprecated'[];
}

export function marker(severity: Severity, span: Span, message: string, code?: string): MarkerSpec {
  return {
    severity, message, code,
    startLineNumber: span.line, startColumn: span.startColumn,
    endLineNumber: span.line, endColumn: Math.max(span.endColumn, span.startColumn + 1),
  };
}

/** httpd sections MPM Lab recognises but refuses (engine/config/load.ts HTTPD_SECTIONS). */
const HTTPD_SECTIONS = [
  'VirtualHost', 'Directory', 'DirectoryMatch', 'Files', 'FilesMatch', 'Location', 'LocationMatch',
  'Limit', 'LimitExcept', 'IfDefine', 'IfFile', 'IfDirective', 'IfSection', 'IfVersion', 'If', 'ElseIf', 'Else',
  'Proxy', 'ProxyMatch', 'Macro', 'RequireAll', 'RequireAny', 'RequireNone',
];

interface Open {
  name: string;
  line: number;
  span: Span;
  /** false = an <IfModule> whose test fails for this MPM: httpd skips everything inside */
  active: boolean;
}

/** <IfModule [!]name>: true/false, or httpd's error text (engine/config/parse.ts ifModule). */
export function ifModuleTest(args: string, mpm: MpmName): boolean | string {
  const end = args.lastIndexOf('>');
  if (end < 0) return "<IfModule> directive missing closing '>'";
  let inner = args.slice(0, end);
  const negated = inner.startsWith('!');
  if (negated) inner = inner.slice(1);
  const module = splitWords(inner)[0] ?? '';
  if (module === '') return '<IfModule> directive requires additional arguments';
  return loadedModules(mpm).has(module) !== negated;
}

export function localMarkers(text: string, mpm: MpmName, index: DirectiveIndex): MarkerSpec[] {
  const out: MarkerSpec[] = [];
  const open: Open[] = [];
  // after the first broken section httpd stops reading; later structure errors would be noise
  let structureBroken = false;
  const structure = (span: Span, message: string) => {
    if (structureBroken) return;
    structureBroken = true;
    out.push(marker('error', span, message, 'section'));
  };

  for (const ll of logicalLines(text)) {
    if (ll.text === '' || ll.text.startsWith('#')) continue;
    const { word, rest } = firstWord(ll.text);
    if (word === '') continue;
    const skipping = open.some((s) => !s.active);

    if (word.startsWith('</')) {
      const closing = word.slice(2).replace(/>$/, '');
      const top = open[open.length - 1];
      if (top === undefined) {
        structure(lineSpan(ll), `${word} without matching <${word.slice(2)} section — httpd refuses to start. `
          + `Remove it, or add the opening <${closing} …> above.`);
        continue;
      }
      if (closing.toLowerCase() !== top.name.toLowerCase()) {
        const httpd = !skipping && top.name.toLowerCase() === 'ifmodule'
          ? `${word} without matching <${word.slice(2)} section`
          : `Expected </${top.name}> but saw </${closing}>`;
        structure(lineSpan(ll), `${httpd} — httpd refuses to start. The section opened on line ${top.line} `
          + `(<${top.name}>) must be closed first.`);
        // resynchronise on the matching section, if any, so later lines are still checked
        const at = open.map((s) => s.name.toLowerCase()).lastIndexOf(closing.toLowerCase());
        if (at >= 0) open.length = at;
        continue;
      }
      open.pop();
      continue;
    }

    if (word.startsWith('<')) {
      const name = word.slice(1).replace(/>$/, '');
      const args = word.endsWith('>') && rest === '' ? '>' : rest;
      if (skipping) {
        open.push({ name, line: ll.first, span: lineSpan(ll), active: true });
        continue;
      }
      if (name.toLowerCase() === 'ifmodule') {
        const test = ifModuleTest(args, mpm);
        if (typeof test === 'string') {
          structure(lineSpan(ll), `${test} — httpd refuses to start. Write it as <IfModule ${mpmModule(mpm)}> … </IfModule>.`);
          open.push({ name, line: ll.first, span: lineSpan(ll), active: true });
          continue;
        }
        open.push({ name, line: ll.first, span: lineSpan(ll), active: test });
        continue;
      }
      const known = HTTPD_SECTIONS.find((s) => s.toLowerCase() === name.toLowerCase());
      out.push(marker('warning', firstWordSpan(ll), known
        ? `<${known}> sections are not supported in MPM Lab; only <IfModule> is — the engine refuses this file.`
        : `Unknown section '<${name}>' — httpd refuses it: ${invalidCommand(`<${name}`)}`, 'section'));
      open.push({ name, line: ll.first, span: lineSpan(ll), active: true });
      continue;
    }

    // inside an <IfModule> that is false for this MPM, httpd does not read the lines at all
    if (skipping) continue;
    const span = firstWordSpan(ll);
    const found = index.find(word);
    if (!found) {
      const unsupported = index.unsupported(word);
      out.push(unsupported
        ? marker('warning', span, `${unsupported} is an httpd directive that MPM Lab does not support — the engine refuses it.`, 'unsupported')
        : marker('warning', span, `Unknown directive '${word}' — httpd refuses it: ${invalidCommand(word)}`, 'unknown-directive'));
      continue;
    }
    const { entry, alias } = found;
    if (!appliesTo(entry, mpm)) {
      const owners = entry.mpms.filter((m): m is MpmName => (MPMS as readonly string[]).includes(m));
      const keep = owners.length === 1 ? ` Put it inside <IfModule ${mpmModule(owners[0]!)}> to keep it for ${owners[0]} only.` : '';
      out.push(marker('warning', span,
        `${entry.name} is not a ${mpm} directive (only ${listAnd(owners)} ${owners.length > 1 ? 'have' : 'has'} it) — `
        + `httpd with ${mpm} refuses it: ${invalidCommand(word)}.${keep}`, 'other-mpm'));
      continue;
    }
    if (alias) {
      out.push({
        ...marker('hint', span, `${alias} is the old name of ${entry.name}: httpd still accepts it but logs that it is deprecated. Write ${entry.name} instead.`, 'deprecated'),
        tags: ['deprecated'],
      });
    }
  }

  if (!structureBroken) {
    for (const s of [...open].reverse()) {
      out.push(marker('error', s.span,
        `<${s.name}> (line ${s.line}) is never closed — httpd refuses to start: "Expected </${s.name}> before end of configuration". `
        + `Add </${s.name}> after its lines.`, 'section'));
    }
  }
  return out;
}
