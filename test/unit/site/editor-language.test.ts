// The apacheconf Monarch grammar, run through Monaco's own Monarch compiler and
// lexer (their "common" layer needs no DOM), line by line as the editor does.
import { describe, expect, it } from 'vitest';
// @ts-expect-error Monaco's internal modules ship without type declarations for these paths
import { compile } from 'monaco-editor/editor/standalone/common/monarch/monarchCompile';
// @ts-expect-error see above
import { MonarchTokenizer } from 'monaco-editor/editor/standalone/common/monarch/monarchLexer';
import { GET } from '../../../site/pages/directives.json.js';
import { DirectiveIndex, parseDirectivesData } from '../../../site/playground/editor/data.js';
import { LANGUAGE_ID, languageConfiguration, monarchLanguage } from '../../../site/playground/editor/language.js';

const index = new DirectiveIndex(parseDirectivesData(await GET().json()));
const lexer = compile(LANGUAGE_ID, monarchLanguage(index));
const config = { getValue: () => 20_000, onDidChangeConfiguration: () => ({ dispose() {} }) };
const tokenizer = new MonarchTokenizer({ languageIdCodec: { encodeLanguageId: () => 1 } }, {}, LANGUAGE_ID, lexer, config);

type Tok = [text: string, type: string];
/** [text, token type without the .apacheconf postfix] per line, whitespace tokens dropped */
function tokenize(text: string): Tok[][] {
  const lines = text.split('\n');
  let state = tokenizer.getInitialState();
  return lines.map((line, i) => {
    const r = tokenizer.tokenize(line, i < lines.length - 1, state);
    state = r.endState;
    const toks: { offset: number; type: string }[] = r.tokens;
    return toks
      .map((t, j) => [line.slice(t.offset, toks[j + 1]?.offset ?? line.length), t.type.replace(/\.apacheconf$/, '')] as Tok)
      .filter(([s, type]) => s.trim() !== '' && type !== 'white');
  });
}

describe('apacheconf tokens', () => {
  it('directives known, old, unknown; case-insensitive', () => {
    expect(tokenize('StartServers 3\nmaxclients 10\nFoo bar\n')).toEqual([
      [['StartServers', 'keyword'], ['3', 'number']],
      [['maxclients', 'keyword.deprecated'], ['10', 'number']],
      [['Foo', 'identifier.unknown'], ['bar', 'identifier']],
      [],
    ]);
  });

  it('comments only at the start of a line', () => {
    expect(tokenize('  # a comment\nServerName a#b')).toEqual([
      [['# a comment', 'comment']],
      [['ServerName', 'keyword'], ['a#b', 'identifier']],
    ]);
  });

  it('numbers, units, On/Off, log levels, quoted strings', () => {
    expect(tokenize('KeepAliveTimeout 300ms\nAsyncRequestWorkerFactor 1.5\nKeepAlive Off\nLogLevel debug\nServerName "my host" \'x\'')).toEqual([
      [['KeepAliveTimeout', 'keyword'], ['300', 'number'], ['ms', 'number.unit']],
      [['AsyncRequestWorkerFactor', 'keyword'], ['1.5', 'number']],
      [['KeepAlive', 'keyword'], ['Off', 'constant']],
      [['LogLevel', 'keyword'], ['debug', 'constant']],
      [['ServerName', 'keyword'], ['"my host"', 'string'], ["'x'", 'string']],
    ]);
  });

  it('a number glued to other text is not a number', () => {
    expect(tokenize('Listen 127.0.0.1:8080')).toEqual([[['Listen', 'keyword'], ['127.0.0.1:8080', 'identifier']]]);
  });

  it('<IfModule> sections', () => {
    expect(tokenize('<IfModule !mpm_event_module>\n  ThreadsPerChild 25\n</IfModule>')).toEqual([
      [['<', 'delimiter.angle'], ['IfModule', 'tag'], ['!', 'operator'], ['mpm_event_module', 'attribute.value'], ['>', 'delimiter.angle']],
      [['ThreadsPerChild', 'keyword'], ['25', 'number']],
      [['</', 'delimiter.angle'], ['IfModule', 'tag'], ['>', 'delimiter.angle']],
    ]);
  });

  it('a continued line stays in its arguments; a continued comment stays a comment', () => {
    expect(tokenize('MaxRequestWorkers \\\n  150\nStartServers 2\n# c \\\nstill comment\nKeepAlive On')).toEqual([
      [['MaxRequestWorkers', 'keyword'], ['\\', 'delimiter.continuation']],
      [['150', 'number']],
      [['StartServers', 'keyword'], ['2', 'number']],
      [['# c \\', 'comment']],
      [['still comment', 'comment']],
      [['KeepAlive', 'keyword'], ['On', 'constant']],
    ]);
  });

  it('an unterminated quote ends with its line', () => {
    expect(tokenize('ServerName "open\nStartServers 1')).toEqual([
      [['ServerName', 'keyword'], ['"open', 'string']],
      [['StartServers', 'keyword'], ['1', 'number']],
    ]);
  });
});

describe('language configuration', () => {
  it('comments with #, indents inside sections', () => {
    expect(languageConfiguration.comments?.lineComment).toBe('#');
    expect(languageConfiguration.indentationRules?.increaseIndentPattern.test('<IfModule mpm_event_module>')).toBe(true);
    expect(languageConfiguration.indentationRules?.increaseIndentPattern.test('</IfModule>')).toBe(false);
    expect(languageConfiguration.indentationRules?.decreaseIndentPattern.test('  </IfModule>')).toBe(true);
  });
});
