import { describe, expect, it } from 'vitest';
import { loadedModules, logicalLines, parseConfig } from '../../../engine/config/parse.js';
import type { MpmName } from '../../../engine/config/directives.js';
import { splitWords } from '../../../engine/config/words.js';

const FILE = '/etc/mpm-lab/test.conf';

function lines(text: string, mpm: MpmName = 'prefork') {
  const r = parseConfig(text, { file: FILE, modules: loadedModules(mpm) });
  if (!r.ok) throw new Error(`unexpected parse error: ${r.error}`);
  return r.lines.map((l) => [l.name, l.args, l.line] as const);
}

function parseError(text: string, mpm: MpmName = 'prefork') {
  const r = parseConfig(text, { file: FILE, modules: loadedModules(mpm) });
  if (r.ok) throw new Error('expected a parse error');
  return { error: r.error, line: r.location.line };
}

describe('splitWords (ap_getword_conf)', () => {
  it.each([
    ['5', ['5']],
    ['  a   b\tc  ', ['a', 'b', 'c']],
    ['"my host" x', ['my host', 'x']],
    ["'single quoted' y", ['single quoted', 'y']],
    ['"say \\"hi\\""', ['say "hi"']],
    ['"back\\\\slash"', ['back\\slash']],
    ['a\\\\b', ['a\\b']],
    ['a\\b', ['a\\b']],
    ['""', ['']],
    ['"unterminated words', ['unterminated words']],
    ['', []],
  ])('%j → %j', (input, words) => {
    expect(splitWords(input)).toEqual(words);
  });
});

describe('logical lines', () => {
  it.each([
    ['a\nb', [['a', 1], ['b', 2]]],
    ['  a  \r\nb\r\n', [['a', 1], ['b', 2], ['', 3]]],
    ['a \\\n  b\nc', [['a   b', 2], ['c', 3]]],
    ['a \\\n b \\\n c', [['a  b  c', 3]]],
    ['ends with \\', [['ends with \\', 1]]],
    ['a \\\r\nb', [['a b', 2]]],
  ])('%j', (text, expected) => {
    expect(logicalLines(text).map((l) => [l.text, l.line])).toEqual(expected);
  });
});

describe('parseConfig: lines', () => {
  it.each([
    ['comments and blank lines', '# a comment\n\n   # indented comment\nStartServers 3\n', [['StartServers', ['3'], 4]]],
    ['line continuation (httpd reports the last physical line)', 'MaxRequestWorkers \\\n    150\n', [['MaxRequestWorkers', ['150'], 2]]],
    ['CRLF line ends', 'StartServers 3\r\nKeepAlive Off\r\n', [['StartServers', ['3'], 1], ['KeepAlive', ['Off'], 2]]],
    ['double-quoted args with spaces', 'ServerName "my host"', [['ServerName', ['my host'], 1]]],
    ['several args', 'LogLevel info  debug', [['LogLevel', ['info', 'debug'], 1]]],
    ['names are case-insensitive and canonicalised', 'startservers 3\nKEEPALIVETIMEOUT 2', [['StartServers', ['3'], 1], ['KeepAliveTimeout', ['2'], 2]]],
    ['aliases keep their own canonical name', 'maxclients 5', [['MaxClients', ['5'], 1]]],
    ['LimitRequestFieldsize (httpd table spelling) → LimitRequestFieldSize', 'LimitRequestFieldsize 10', [['LimitRequestFieldSize', ['10'], 1]]],
    ['unknown names stay as written', 'FooBar 1', [['FooBar', ['1'], 1]]],
    ['a trailing comment is an argument (as in httpd)', 'StartServers 5 # five', [['StartServers', ['5', '#', 'five'], 1]]],
    ['other sections are passed on as "<Name" lines', '<VirtualHost *:80>\nServerName x\n</VirtualHost>',
      [['<VirtualHost', ['*:80'], 1], ['ServerName', ['x'], 2]]],
  ])('%s', (_what, text, expected) => {
    expect(lines(text)).toEqual(expected);
  });

  it('keeps the name as written next to the canonical one', () => {
    const r = parseConfig('maxClients 5\nfoo 1', { file: FILE, modules: loadedModules('prefork') });
    expect(r.ok && r.lines.map((l) => [l.name, l.written])).toEqual([['MaxClients', 'maxClients'], ['foo', 'foo']]);
  });
});

describe('parseConfig: <IfModule>', () => {
  const block = (test: string) => `StartServers 1\n<IfModule ${test}>\n  StartServers 2\n</IfModule>\nStartServers 3\n`;
  const kept = [['StartServers', ['1'], 1], ['StartServers', ['2'], 3], ['StartServers', ['3'], 5]];
  const skipped = [['StartServers', ['1'], 1], ['StartServers', ['3'], 5]];

  it.each([
    ['mpm_prefork_module', 'prefork', kept],
    ['mpm_prefork_module', 'worker', skipped],
    ['prefork.c', 'prefork', kept],
    ['worker.c', 'prefork', skipped],
    ['mpm_event_module', 'event', kept],
    ['mod_status.c', 'worker', kept],
    ['status_module', 'event', kept],
    ['headers_module', 'prefork', kept],
    ['log_config_module', 'prefork', kept],
    ['mod_ssl.c', 'prefork', skipped],
    ['!mpm_prefork_module', 'prefork', skipped],
    ['!mpm_prefork_module', 'worker', kept],
    ['!mod_ssl.c', 'prefork', kept],
    // httpd compares module names with strcmp
    ['MPM_PREFORK_MODULE', 'prefork', skipped],
  ] as const)('<IfModule %s> under %s', (test, mpm, expected) => {
    expect(lines(block(test), mpm)).toEqual(expected);
  });

  it('the section name itself is case-insensitive', () => {
    expect(lines('<ifmodule mpm_prefork_module>\nStartServers 2\n</IFMODULE>')).toEqual([['StartServers', ['2'], 2]]);
  });

  it.each([
    ['true inside true', 'mpm_prefork_module', 'mod_status.c', [['A', 2], ['B', 4], ['C', 6]]],
    ['false inside true', 'mpm_prefork_module', 'mod_ssl.c', [['A', 2], ['C', 6]]],
    ['true inside false', 'mod_ssl.c', 'mpm_prefork_module', []],
    ['negated inside false', 'mod_ssl.c', '!mod_ssl.c', []],
  ])('nesting: %s', (_what, outer, inner, expected) => {
    const text = `<IfModule ${outer}>\nA 1\n<IfModule ${inner}>\nB 1\n</IfModule>\nC 1\n</IfModule>\n`;
    expect(lines(text).map(([name, , line]) => [name, line])).toEqual(expected);
  });

  it('skips anything inside a false <IfModule>, even unknown directives and sections', () => {
    const text = '<IfModule mod_ssl.c>\nSSLEngine on\n<VirtualHost *:443>\nFoo\n</VirtualHost>\n</IfModule>\nStartServers 2';
    expect(lines(text)).toEqual([['StartServers', ['2'], 7]]);
  });
});

describe('parseConfig: errors (build phase, one line, prefixed with the program name)', () => {
  it.each([
    ['stray </IfModule>', 'StartServers 1\n</IfModule>\n', 2,
      `mpm-lab: Syntax error on line 2 of ${FILE}: </IfModule> without matching <IfModule> section`],
    ['unclosed true <IfModule>', 'StartServers 1\n<IfModule mpm_prefork_module>\nStartServers 2\n', 2,
      `mpm-lab: Syntax error on line 2 of ${FILE}: Expected </IfModule> before end of configuration`],
    ['unclosed false <IfModule>', '<IfModule mod_ssl.c>\nStartServers 2\n', 1,
      `mpm-lab: Syntax error on line 1 of ${FILE}: Expected </IfModule> before end of configuration`],
    ['unclosed inner <IfModule>', '<IfModule mpm_prefork_module>\n<IfModule mod_status.c>\n</IfModule>\n', 1,
      `mpm-lab: Syntax error on line 1 of ${FILE}: Expected </IfModule> before end of configuration`],
    ['<IfModule> without a module', '<IfModule>\n</IfModule>', 1,
      `mpm-lab: Syntax error on line 1 of ${FILE}: <IfModule> directive requires additional arguments`],
    ['<IfModule !> without a module', '<IfModule !>\n</IfModule>', 1,
      `mpm-lab: Syntax error on line 1 of ${FILE}: <IfModule> directive requires additional arguments`],
    ['<IfModule without >', '<IfModule mpm_prefork_module\n</IfModule>', 1,
      `mpm-lab: Syntax error on line 1 of ${FILE}: <IfModule> directive missing closing '>'`],
    ['unclosed other section', 'StartServers 1\n<VirtualHost *:80>\n', 2,
      `mpm-lab: Syntax error on line 2 of ${FILE}: ${FILE}:2: <VirtualHost> was not closed.`],
    ['mismatched closing tag', '<VirtualHost *:80>\n</IfModule>\n', 2,
      `mpm-lab: Syntax error on line 2 of ${FILE}: Expected </VirtualHost> but saw </IfModule>`],
    ['other closing tag inside a true <IfModule>', '<IfModule mpm_prefork_module>\n</VirtualHost>\n</IfModule>', 2,
      `mpm-lab: Syntax error on line 2 of ${FILE}: </VirtualHost> without matching <VirtualHost> section`],
    ['mismatched closing tag inside a false <IfModule>', '<IfModule mod_ssl.c>\n<VirtualHost *:443>\n</IfModule>\n', 3,
      `mpm-lab: Syntax error on line 3 of ${FILE}: Expected </VirtualHost> but saw </IfModule>`],
  ])('%s', (_what, text, line, error) => {
    expect(parseError(text)).toEqual({ error, line });
  });

  it('reports a broken structure even after a bad directive (httpd reads the whole file first)', () => {
    expect(parseError('Foo 1\n</IfModule>').line).toBe(2);
  });
});

describe('loadedModules', () => {
  it.each(['prefork', 'worker', 'event'] as const)('%s', (mpm) => {
    expect([...loadedModules(mpm)].sort()).toEqual([
      'core.c', 'core_module', 'headers_module', 'http_core.c', 'http_module', 'log_config_module',
      'mod_headers.c', 'mod_log_config.c', 'mod_so.c', 'mod_status.c', `mpm_${mpm}_module`, `${mpm}.c`,
      'so_module', 'status_module',
    ].sort());
  });
});
