// The config editor's instant markers, and their agreement with the engine's own verdict.
import { describe, expect, it } from 'vitest';
import { MPM_NAMES } from '../../../engine/config/directives.js';
import { loadConfig } from '../../../engine/config/load.js';
import { loadedModules as engineModules } from '../../../engine/config/parse.js';
import { GET } from '../../../site/pages/directives.json.js';
import type { MpmName } from '../../../site/playground/editor/data.js';
import { DirectiveIndex, loadedModules, parseDirectivesData } from '../../../site/playground/editor/data.js';
import { ifModuleTest, localMarkers } from '../../../site/playground/editor/lint.js';

const index = new DirectiveIndex(parseDirectivesData(await GET().json()));
const lint = (text: string, mpm: MpmName = 'prefork') => localMarkers(text, mpm, index);
const brief = (text: string, mpm: MpmName = 'prefork') =>
  lint(text, mpm).map((m) => [m.severity, m.startLineNumber, m.startColumn, m.endColumn, m.code] as const);

describe('localMarkers', () => {
  it('is silent on a good config', () => {
    expect(lint('# comment\nStartServers 3\nMinSpareServers 1\nKeepAlive On\nKeepAliveTimeout 300ms\nLogLevel info\n')).toEqual([]);
  });

  it('warns about an unknown directive, in httpd\'s words, on the name only', () => {
    const [m, ...rest] = lint('StartServers 3\n  Foo 1\n');
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ severity: 'warning', startLineNumber: 2, startColumn: 3, endLineNumber: 2, endColumn: 6, code: 'unknown-directive' });
    expect(m!.message).toBe("Unknown directive 'Foo' — httpd refuses it: Invalid command 'Foo', perhaps misspelled or defined by a module not included in the server configuration");
  });

  it('knows names case-insensitively, as httpd does', () => {
    expect(lint('startservers 3\nKEEPALIVE off\n')).toEqual([]);
  });

  it('says which httpd directives MPM Lab does not support', () => {
    expect(lint('include other.conf')).toMatchObject([{ severity: 'warning', code: 'unsupported', message: expect.stringContaining('Include is an httpd directive that MPM Lab does not support') }]);
  });

  it("flags another MPM's directive, and suggests the <IfModule> that keeps it", () => {
    const [m] = lint('MinSpareServers 2', 'event');
    expect(m).toMatchObject({ severity: 'warning', code: 'other-mpm' });
    expect(m!.message).toContain('MinSpareServers is not a event directive (only prefork has it)');
    expect(m!.message).toContain("Invalid command 'MinSpareServers'");
    expect(m!.message).toContain('<IfModule mpm_prefork_module>');
    expect(lint('ThreadsPerChild 25', 'prefork')[0]!.message).toContain('only worker, event and winnt have it');
  });

  it('skips lines inside an <IfModule> that is false for this MPM, as httpd does', () => {
    const text = '<IfModule mpm_event_module>\n  ThreadsPerChild 25\n  Foo 1\n</IfModule>\n<IfModule !mpm_prefork_module>\nBar\n</IfModule>\n';
    expect(lint(text, 'prefork')).toEqual([]);
    expect(brief(text, 'event')).toEqual([['warning', 3, 3, 6, 'unknown-directive'], ['warning', 6, 1, 4, 'unknown-directive']]);
  });

  it('marks old names as deprecated hints', () => {
    expect(lint('MaxClients 10')).toMatchObject([{
      severity: 'hint', tags: ['deprecated'], code: 'deprecated',
      message: 'MaxClients is the old name of MaxRequestWorkers: httpd still accepts it but logs that it is deprecated. Write MaxRequestWorkers instead.',
    }]);
  });

  it('reports a closing tag without an opening one', () => {
    expect(lint('StartServers 3\n</IfModule>\n')).toMatchObject([{
      severity: 'error', startLineNumber: 2, startColumn: 1, endColumn: 12, code: 'section',
      message: expect.stringMatching(/^<\/IfModule> without matching <IfModule> section — httpd refuses to start/),
    }]);
  });

  it('reports an unclosed <IfModule> on its opening line', () => {
    expect(lint('<IfModule mpm_prefork_module>\nStartServers 3\n')).toMatchObject([{
      severity: 'error', startLineNumber: 1, code: 'section', message: expect.stringContaining('Expected </IfModule> before end of configuration'),
    }]);
  });

  it('reports a mismatched closing tag once, then keeps checking directives', () => {
    const ms = brief('<IfModule mpm_prefork_module>\n<VirtualHost *:80>\n</IfModule>\nFoo\n');
    expect(ms).toEqual([['warning', 2, 1, 13, 'section'], ['error', 3, 1, 12, 'section'], ['warning', 4, 1, 4, 'unknown-directive']]);
  });

  it('reports <IfModule> without its ">" or its module', () => {
    expect(lint('<IfModule mpm_prefork_module\n</IfModule>')[0]!.message).toContain("<IfModule> directive missing closing '>'");
    expect(lint('<IfModule>\n</IfModule>')[0]!.message).toContain('<IfModule> directive requires additional arguments');
  });

  it('refuses other sections with the engine\'s words', () => {
    expect(lint('<VirtualHost *:80>\n</VirtualHost>')[0]!.message).toContain('<VirtualHost> sections are not supported in MPM Lab; only <IfModule> is');
    expect(lint('<Foo>\n</Foo>')[0]!.message).toContain("Invalid command '<Foo'");
  });

  it('places the marker on the first physical line of a continued directive', () => {
    expect(brief('KeepAlive On\n  Fooo \\\n  1\n')).toEqual([['warning', 2, 3, 7, 'unknown-directive']]);
  });
});

describe('agreement with the engine (engine/config/load.ts)', () => {
  it('knows the same loaded modules', () => {
    for (const mpm of MPM_NAMES) expect([...loadedModules(mpm)].sort()).toEqual([...engineModules(mpm)].sort());
  });

  it('evaluates <IfModule> like the engine', () => {
    expect(ifModuleTest('mpm_prefork_module>', 'prefork')).toBe(true);
    expect(ifModuleTest('!mpm_prefork_module>', 'prefork')).toBe(false);
    expect(ifModuleTest('event.c>', 'event')).toBe(true);
    expect(ifModuleTest('MPM_EVENT_MODULE>', 'event')).toBe(false); // case-sensitive, like httpd
  });

  const pieces = [
    'StartServers 3', 'MinSpareServers 2', 'ThreadsPerChild 25', 'AsyncRequestWorkerFactor 2', 'Foo 1', 'Include x.conf',
    'MaxClients 10', 'keepalive on', 'LoadModule status_module x.so', 'User nobody',
    '<IfModule mpm_prefork_module>\nMinSpareServers 2\n</IfModule>',
    '<IfModule !mpm_prefork_module>\nThreadsPerChild 25\n</IfModule>',
    '<IfModule mpm_worker_module>\nBogus 1\n</IfModule>',
    '<VirtualHost *:80>\n</VirtualHost>', '</IfModule>', '<IfModule mpm_event_module>', '<IfModule>\n</IfModule>',
    '<IfModule status_module>\n  <IfModule mpm_event_module>\n    AsyncRequestWorkerFactor 3\n  </IfModule>\n</IfModule>',
  ];
  const corpus: string[] = [...pieces];
  for (const a of pieces) for (const b of pieces) if (a !== b) corpus.push(`${a}\n${b}\n`);

  for (const mpm of MPM_NAMES) {
    it(`${mpm}: never flags a config the engine accepts, always flags the line of an "Invalid command"`, () => {
      for (const text of corpus) {
        const engine = loadConfig({ mpm, text, sets: [], file: 'test.conf' });
        const local = localMarkers(text, mpm, index).filter((m) => m.severity === 'error' || m.severity === 'warning');
        if (engine.ok) {
          expect({ text, local }).toEqual({ text, local: [] });
          continue;
        }
        expect({ text, flagged: local.length > 0 }).toEqual({ text, flagged: true });
        if (/Invalid command|does not support|sections are not supported/.test(engine.error)) {
          const line = engine.location?.line;
          expect({ text, line, lines: local.map((m) => m.startLineNumber) }).toEqual({ text, line, lines: expect.arrayContaining([line]) });
        }
      }
    });
  }
});
