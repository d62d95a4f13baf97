// The config editor's reading of Apache config text: logical lines, positions, what is under the caret.
import { describe, expect, it } from 'vitest';
import { logicalLines as engineLogicalLines } from '../../../engine/config/parse.js';
import { splitWords as engineSplitWords } from '../../../engine/config/words.js';
import { contextAt, firstWordSpan, lineSpan, logicalLines, splitWords } from '../../../site/playground/editor/syntax.js';

function at(text: string, line: number, column: number) {
  const lines = text.split('\n');
  return contextAt((n) => lines[n - 1] ?? '', lines.length, line, column);
}

describe('logicalLines', () => {
  const samples = [
    'StartServers 3\nMaxSpareServers 5\n',
    '  # comment \\\ncontinued\nA b\r\nC \\\n  d \\\n e\n',
    'Listen \\\n8080',
    'trailing backslash at the very end \\',
    '',
    '\n\n\n',
  ];
  it.each(samples)('agrees with the engine on text and line (%j)', (text) => {
    expect(logicalLines(text).map((l) => ({ text: l.text, line: l.last }))).toEqual(engineLogicalLines(text));
  });

  it('knows where a continued line starts and ends', () => {
    const [a, b] = logicalLines('  MaxRequestWorkers \\\n   150\nKeepAlive On');
    expect(a).toMatchObject({ text: 'MaxRequestWorkers    150', first: 1, last: 2, start: { line: 1, startColumn: 3 } });
    expect(firstWordSpan(a!)).toEqual({ line: 1, startColumn: 3, endColumn: 20 });
    expect(b).toMatchObject({ first: 3, last: 3 });
    expect(lineSpan(b!)).toEqual({ line: 3, startColumn: 1, endColumn: 13 });
  });

  it('places a word that starts on a continuation line', () => {
    const [a] = logicalLines('   \\\n  Timeout 5');
    expect(firstWordSpan(a!)).toEqual({ line: 2, startColumn: 3, endColumn: 10 });
  });
});

describe('splitWords', () => {
  it.each(['a b', '"my host" x', "'q' \"r\"", '"say \\"hi\\""', 'a\\\\b', '"unterminated rest'])('agrees with the engine (%j)', (s) => {
    expect(splitWords(s)).toEqual(engineSplitWords(s));
  });
});

describe('contextAt', () => {
  const text = [
    '# a comment',
    'StartServers 3',
    '  KeepAlive On',
    '<IfModule !mpm_event_module>',
    '</IfModule>',
    '',
    'LogLevel \\',
    '  info',
    'MaxClients',
  ].join('\n');

  it('finds the directive name under or right after the caret', () => {
    expect(at(text, 2, 1)).toEqual({ kind: 'directive', name: 'StartServers', span: { line: 2, startColumn: 1, endColumn: 13 } });
    expect(at(text, 2, 7)).toMatchObject({ kind: 'directive', name: 'StartServers' });
    expect(at(text, 2, 13)).toMatchObject({ kind: 'directive', name: 'StartServers' });
    expect(at(text, 3, 5)).toEqual({ kind: 'directive', name: 'KeepAlive', span: { line: 3, startColumn: 3, endColumn: 12 } });
    expect(at(text, 9, 11)).toMatchObject({ kind: 'directive', name: 'MaxClients' });
  });

  it('is nothing in the indentation before a name', () => {
    expect(at(text, 3, 1)).toEqual({ kind: 'none' });
  });

  it('finds arguments, with their index', () => {
    expect(at(text, 2, 14)).toEqual({ kind: 'argument', directive: 'StartServers', word: '3', span: { line: 2, startColumn: 14, endColumn: 15 }, index: 0 });
    expect(at(text, 3, 15)).toMatchObject({ kind: 'argument', directive: 'KeepAlive', word: 'On', index: 0 });
  });

  it('follows a continuation back to its directive', () => {
    expect(at(text, 8, 5)).toMatchObject({ kind: 'argument', directive: 'LogLevel', word: 'info', span: { line: 8, startColumn: 3, endColumn: 7 } });
  });

  it('offers a new directive on an empty line', () => {
    expect(at(text, 6, 1)).toEqual({ kind: 'directive', name: '', span: { line: 6, startColumn: 1, endColumn: 1 } });
  });

  it('knows comments', () => {
    expect(at(text, 1, 5)).toEqual({ kind: 'comment' });
  });

  it('knows section tags and the module of <IfModule>', () => {
    expect(at(text, 4, 3)).toEqual({ kind: 'section', name: 'IfModule', closing: false, span: { line: 4, startColumn: 1, endColumn: 10 } });
    expect(at(text, 4, 15)).toEqual({
      kind: 'section-argument', section: 'IfModule', word: 'mpm_event_module', negated: true, span: { line: 4, startColumn: 12, endColumn: 28 },
    });
    expect(at(text, 5, 4)).toMatchObject({ kind: 'section', name: 'IfModule', closing: true });
  });

  it('sees a bare "<" as the start of a section', () => {
    expect(at('<', 1, 2)).toMatchObject({ kind: 'section', name: '', closing: false });
  });
});
