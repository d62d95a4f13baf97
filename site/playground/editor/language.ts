// The Apache configuration language for Monaco (language id 'apacheconf'):
// a Monarch tokenizer built from the directive table, plus the language
// configuration. Data only: no Monaco runtime import, so it can be built and
// inspected anywhere; index.ts registers it.
//
// Token names (themes in theme.ts colour them):
//   comment                      a line starting with # (continued lines included)
//   keyword                      a directive MPM Lab knows
//   keyword.deprecated           an old name (MaxClients)
//   identifier.unknown           a first word MPM Lab does not know (the local marker says why)
//   delimiter.angle, tag         < / </ / >, the section name (IfModule)
//   attribute.value, operator    the module tested by <IfModule>, its "!"
//   number, number.unit          5, 1.5, 300ms (unit: ms, s, mi, h)
//   constant                     On / Off, log levels
//   string, string.escape        "quoted" / 'quoted' arguments
//   identifier                   any other argument (127.0.0.1:8080, example.org)
//   delimiter.continuation       the backslash that continues a line

import type { languages } from 'monaco-editor/editor';
import type { DirectiveIndex } from './data.js';

export const LANGUAGE_ID = 'apacheconf';

const LOG_LEVELS = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug',
  'trace1', 'trace2', 'trace3', 'trace4', 'trace5', 'trace6', 'trace7', 'trace8'];

export function monarchLanguage(index: DirectiveIndex): languages.IMonarchLanguage {
  // the Monarch "cases" of the first word are matched case-insensitively (ignoreCase), as httpd does
  const firstWord = (next: string) => ({
    cases: {
      '@directives': { token: 'keyword', next },
      '@aliases': { token: 'keyword.deprecated', next },
      '@default': { token: 'identifier.unknown', next },
    },
  });
  return {
    defaultToken: '',
    tokenPostfix: `.${LANGUAGE_ID}`,
    ignoreCase: true,
    // lines are seen with their "\n", so a trailing backslash (continuation) can be told from the line end
    includeLF: true,
    directives: index.names(),
    aliases: index.aliases(),
    constants: ['on', 'off', ...LOG_LEVELS],
    tokenizer: {
      root: [
        // httpd: only a line that starts with # is a comment; a comment line can be continued too
        [/^(\s*)(#[^\n]*\\\n)/, ['white', { token: 'comment', next: '@comment' }]],
        [/^(\s*)(#[^\n]*)/, ['white', 'comment']],
        [/^(\s*)(<\/?)([^\s>\\]+)/, ['white', 'delimiter.angle', { token: 'tag', next: '@section' }]],
        [/^(\s*)([^\s#<\\][^\s\\]*)/, ['white', firstWord('@args')]],
        [/\s+/, 'white'],
      ],
      comment: [
        [/[^\n]*\\\n/, 'comment'],
        [/[^\n]*\n?/, { token: 'comment', next: '@pop' }],
      ],
      args: [
        [/\\\n/, 'delimiter.continuation'],
        [/\n/, { token: 'white', next: '@pop' }],
        [/[ \t\r\f\v]+/, 'white'],
        [/"/, { token: 'string', next: '@dstring' }],
        [/'/, { token: 'string', next: '@sstring' }],
        [/([+-]?\d+(?:\.\d+)?)(ms|mi|s|h)(?=[\s\\]|$)/, ['number', 'number.unit']],
        [/[+-]?\d+(?:\.\d+)?(?=[\s\\]|$)/, 'number'],
        [/[^\s"'\\]+/, { cases: { '@constants': 'constant', '@default': 'identifier' } }],
        [/\\/, 'identifier'],
      ],
      dstring: [
        [/[^"\\\n]+/, 'string'],
        [/\\["\\]/, 'string.escape'],
        [/\\\n/, 'delimiter.continuation'],
        [/\\/, 'string'],
        [/"/, { token: 'string', next: '@pop' }],
        // unterminated: httpd's word runs to the end of the line
        [/\n/, { token: 'white', next: '@popall' }],
      ],
      sstring: [
        [/[^'\\\n]+/, 'string'],
        [/\\['\\]/, 'string.escape'],
        [/\\\n/, 'delimiter.continuation'],
        [/\\/, 'string'],
        [/'/, { token: 'string', next: '@pop' }],
        [/\n/, { token: 'white', next: '@popall' }],
      ],
      section: [
        [/\\\n/, 'delimiter.continuation'],
        [/\n/, { token: 'white', next: '@pop' }],
        [/[ \t\r\f\v]+/, 'white'],
        [/>/, 'delimiter.angle'],
        [/!/, 'operator'],
        [/[^\s>!\\]+/, 'attribute.value'],
        [/\\/, 'attribute.value'],
      ],
    },
  } as languages.IMonarchLanguage;
}

/** Comments for Ctrl+/, quotes, and indentation inside sections. */
export const languageConfiguration: languages.LanguageConfiguration = {
  comments: { lineComment: '#' },
  brackets: [],
  autoClosingPairs: [{ open: '"', close: '"', notIn: ['string', 'comment'] }],
  surroundingPairs: [{ open: '"', close: '"' }, { open: "'", close: "'" }],
  // a "word" for hover, completion ranges and double-click: anything up to a space, quote or angle bracket
  wordPattern: /[^\s<>"'\\!]+/,
  indentationRules: {
    increaseIndentPattern: /^\s*<(?!\/)[^>]*>\s*$/,
    decreaseIndentPattern: /^\s*<\//,
  },
};
