// The engine's verdict on a config (ConfigReport from config.check / engine.apply)
// → markers (owner 'mpm-lab-engine'). Pure: no Monaco, no DOM.

import type { ConfigReport } from '../../../engine/protocol/messages.js';
import type { DirectiveIndex } from './data.js';
import type { MarkerSpec, Severity } from './lint.js';
import { marker } from './lint.js';
import type { LogicalLine } from './syntax.js';
import { firstWord, lineSpan, logicalLines, physicalLines } from './syntax.js';

export type { ConfigReport };
export type ReportDiagnostic = ConfigReport['diagnostics'][number];

/** httpd log levels → marker severity: error and worse are errors, warn a warning, the rest info. */
export function severityOf(level: string): Severity {
  switch (level) {
    case 'emerg': case 'alert': case 'crit': case 'error': return 'error';
    case 'warn': case 'warning': return 'warning';
    default: return 'info';
  }
}

/** "[mpm_prefork:warn] AH00180: WARNING: …" — the shape of an httpd error_log line. */
export function diagnosticMessage(d: ReportDiagnostic): string {
  return `[${d.module}:${d.level}] ${d.ah ? `${d.ah}: ` : ''}${d.text}`;
}

/** The whole line `line` (1-based) without its surrounding white space, clamped to the text. */
function physicalLineSpan(lines: readonly string[], line: number) {
  const n = Math.min(Math.max(1, line), Math.max(1, lines.length));
  const t = lines[n - 1] ?? '';
  const lead = t.length - t.trimStart().length;
  const end = t.trimEnd().length;
  return end > lead ? { line: n, startColumn: lead + 1, endColumn: end + 1 } : { line: n, startColumn: 1, endColumn: Math.max(2, t.length + 1) };
}

/**
 * The logical line that sets `directive` (canonical name or any alias), the last
 * one outside comments: that is the one whose value the engine ran with.
 */
export function findDirectiveLine(text: string, directive: string, index?: DirectiveIndex): LogicalLine | undefined {
  const names = new Set([directive.toLowerCase()]);
  const found = index?.find(directive);
  if (found) {
    names.add(found.entry.name.toLowerCase());
    for (const a of found.entry.aliases) names.add(a.toLowerCase());
  }
  let hit: LogicalLine | undefined;
  for (const ll of logicalLines(text)) {
    if (ll.text === '' || ll.text.startsWith('#')) continue;
    if (names.has(firstWord(ll.text).word.toLowerCase())) hit = ll;
  }
  return hit;
}

/**
 * An error marker at errorLine (none when the error has no line, e.g. a --set
 * problem); one marker per diagnostic that has a line, or failing that whose
 * directive is written in the text. Diagnostics that point nowhere get no marker
 * (the playground lists every diagnostic anyway).
 */
export function engineMarkers(report: ConfigReport | null, text: string, index?: DirectiveIndex): MarkerSpec[] {
  if (!report) return [];
  const lines = physicalLines(text);
  const out: MarkerSpec[] = [];
  if (report.error && report.errorLine !== undefined && report.errorLine > 0) {
    out.push(marker('error', physicalLineSpan(lines, report.errorLine), report.error, 'httpd'));
  }
  for (const d of report.diagnostics) {
    let span;
    if (d.line !== undefined && d.line > 0) {
      span = physicalLineSpan(lines, d.line);
    } else if (d.directive) {
      const ll = findDirectiveLine(text, d.directive, index);
      if (ll) span = lineSpan(ll);
    }
    if (!span) continue;
    out.push(marker(severityOf(d.level), span, diagnosticMessage(d), d.ah || d.module));
  }
  return out;
}
