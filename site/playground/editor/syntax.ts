// Reading Apache config text the way httpd does (enough for the editor):
// logical lines (a backslash right before the newline continues the line),
// comments only where a line starts with '#', words split like ap_getword_conf,
// and the 1-based line/column positions Monaco needs. Pure: no Monaco, no DOM.

/** A span on one physical line: 1-based line, 1-based columns, end exclusive (Monaco's convention). */
export interface Span {
  line: number;
  startColumn: number;
  endColumn: number;
}

export interface LogicalLine {
  /** joined and trimmed, as httpd reads it */
  text: string;
  /** first physical line (1-based) */
  first: number;
  /** last physical line: httpd reports this one in "Syntax error on line N" */
  last: number;
  /** where `text` starts */
  start: Span;
  /** the physical pieces: line number, column of their first char, their text without the trailing backslash */
  parts: { line: number; text: string }[];
}

/** Split into physical lines, dropping a trailing \r. */
export function physicalLines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Logical lines (empty ones included), as engine/config/parse.ts logicalLines, with positions. */
export function logicalLines(text: string): LogicalLine[] {
  const physical = physicalLines(text);
  const out: LogicalLine[] = [];
  let parts: { line: number; text: string }[] = [];
  physical.forEach((l, i) => {
    const followedByNewline = i < physical.length - 1;
    if (followedByNewline && l.endsWith('\\')) {
      parts.push({ line: i + 1, text: l.slice(0, -1) });
      return;
    }
    parts.push({ line: i + 1, text: l });
    out.push(make(parts));
    parts = [];
  });
  return out;
}

function make(parts: { line: number; text: string }[]): LogicalLine {
  const joined = parts.map((p) => p.text).join('');
  const lead = joined.length - joined.trimStart().length;
  const text = joined.trim();
  return {
    text,
    first: parts[0]!.line,
    last: parts[parts.length - 1]!.line,
    start: spanAt(parts, lead, text.length === 0 ? 0 : 1),
    parts,
  };
}

/** The span of `length` characters starting at `offset` of the joined text, clipped to the physical line it starts on. */
export function spanAt(parts: readonly { line: number; text: string }[], offset: number, length: number): Span {
  let rest = offset;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const isLast = i === parts.length - 1;
    if (rest < p.text.length || isLast) {
      const startColumn = Math.min(rest, p.text.length) + 1;
      const endColumn = Math.min(startColumn + length, p.text.length + 1);
      return { line: p.line, startColumn, endColumn: Math.max(endColumn, startColumn) };
    }
    rest -= p.text.length;
  }
  return { line: 1, startColumn: 1, endColumn: 1 };
}

/** Span of a logical line's first word (as httpd reads it) within the physical text. */
export function firstWordSpan(ll: LogicalLine): Span {
  const joined = ll.parts.map((p) => p.text).join('');
  const lead = joined.length - joined.trimStart().length;
  const [, end] = readWord(joined, lead);
  return spanAt(ll.parts, lead, end - lead);
}

/** Span of the whole (trimmed) logical line on its first physical line. */
export function lineSpan(ll: LogicalLine): Span {
  const joined = ll.parts.map((p) => p.text).join('');
  const lead = joined.length - joined.trimStart().length;
  return spanAt(ll.parts, lead, ll.text.length);
}

// ---- words (ap_getword_conf, as engine/config/words.ts) -----------------------------

const SPACE = /\s/;

function skipSpace(s: string, i: number): number {
  while (i < s.length && SPACE.test(s[i]!)) i++;
  return i;
}

/** One word starting at `i`: the word and the index after it. */
export function readWord(s: string, i: number): [string, number] {
  const quote = s[i] === '"' || s[i] === "'" ? s[i]! : '';
  let out = '';
  let j = quote ? i + 1 : i;
  while (j < s.length) {
    const c = s[j]!;
    if (quote ? c === quote : SPACE.test(c)) break;
    const n = s[j + 1];
    if (c === '\\' && (n === '\\' || (quote !== '' && n === quote))) {
      out += n;
      j += 2;
      continue;
    }
    out += c;
    j++;
  }
  if (quote && j < s.length) j++;
  return [out, j];
}

export function splitWords(s: string): string[] {
  const words: string[] = [];
  let i = skipSpace(s, 0);
  while (i < s.length) {
    const [word, next] = readWord(s, i);
    words.push(word);
    i = skipSpace(s, next);
  }
  return words;
}

export function firstWord(s: string): { word: string; rest: string } {
  const start = skipSpace(s, 0);
  if (start >= s.length) return { word: '', rest: '' };
  const [word, next] = readWord(s, start);
  return { word, rest: s.slice(skipSpace(s, next)) };
}

// ---- what is at a position (hover, completion) --------------------------------------

export type PositionContext =
  /** inside or right after the directive name (or on an empty line: name === '') */
  | { kind: 'directive'; name: string; span: Span }
  /** in the arguments of a directive; `word` is the argument under/before the cursor */
  | { kind: 'argument'; directive: string; word: string; span: Span; index: number }
  /** on a section tag: "<IfModule" / "</IfModule>"; name without < / > */
  | { kind: 'section'; name: string; closing: boolean; span: Span }
  /** in the arguments of a section tag, e.g. the module of <IfModule !mpm_event_module> */
  | { kind: 'section-argument'; section: string; word: string; negated: boolean; span: Span }
  | { kind: 'comment' }
  | { kind: 'none' };

/**
 * What the 1-based (line, column) position is on. Column `c` is the caret
 * before character c (Monaco's Position); a position at the end of a word still
 * belongs to that word (so completion can replace it; hover passes the column
 * of the character under the mouse, which works the same way).
 */
export function contextAt(getLine: (line: number) => string, lineCount: number, line: number, column: number): PositionContext {
  // find the first physical line of the logical line containing `line`
  let first = line;
  while (first > 1 && getLine(first - 1).endsWith('\\')) first--;
  let last = line;
  while (last < lineCount && getLine(last).endsWith('\\')) last++;
  const parts: { line: number; text: string }[] = [];
  for (let n = first; n <= last; n++) {
    const t = getLine(n);
    parts.push({ line: n, text: n < last && t.endsWith('\\') ? t.slice(0, -1) : t });
  }
  const joined = parts.map((p) => p.text).join('');
  // offset of the caret in the joined text
  let offset = 0;
  for (const p of parts) {
    if (p.line === line) {
      offset += Math.min(column - 1, p.text.length);
      break;
    }
    offset += p.text.length;
  }

  const lead = joined.length - joined.trimStart().length;
  if (lead >= joined.length) {
    // blank line: a directive may start here
    return { kind: 'directive', name: '', span: { line, startColumn: column, endColumn: column } };
  }
  if (joined[lead] === '#') return offset >= lead ? { kind: 'comment' } : { kind: 'none' };

  // the words of the line with their offsets
  const words: { word: string; raw: string; start: number; end: number }[] = [];
  let i = lead;
  while (i < joined.length) {
    const [word, end] = readWord(joined, i);
    words.push({ word, raw: joined.slice(i, end), start: i, end });
    i = skipSpace(joined, end);
  }
  const wordAt = words.findIndex((w) => offset >= w.start && offset <= w.end);
  const head = words[0]!;

  if (head.raw.startsWith('<')) {
    const closing = head.raw.startsWith('</');
    const name = head.raw.slice(closing ? 2 : 1).replace(/>$/, '');
    if (wordAt === 0 || offset < head.start) {
      return { kind: 'section', name, closing, span: spanAt(parts, head.start, head.end - head.start) };
    }
    if (wordAt > 0) {
      const w = words[wordAt]!;
      let raw = w.raw.replace(/>$/, '');
      let start = w.start;
      const negated = raw.startsWith('!');
      if (negated) { raw = raw.slice(1); start += 1; }
      return { kind: 'section-argument', section: name, word: raw, negated, span: spanAt(parts, start, raw.length) };
    }
    return { kind: 'none' };
  }

  if (offset <= head.end) {
    if (offset < head.start) return { kind: 'none' };
    return { kind: 'directive', name: head.word, span: spanAt(parts, head.start, head.end - head.start) };
  }
  if (wordAt > 0) {
    const w = words[wordAt]!;
    return { kind: 'argument', directive: head.word, word: w.word, span: spanAt(parts, w.start, w.end - w.start), index: wordAt - 1 };
  }
  // in the spaces between arguments: a new argument starts at the caret
  const index = words.filter((w) => w.end <= offset).length - 1;
  return { kind: 'argument', directive: head.word, word: '', span: { line, startColumn: column, endColumn: column }, index };
}
