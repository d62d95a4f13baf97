// The config editor's hover text, completion entries and engine markers, from the real directive table.
import { describe, expect, it } from 'vitest';
import { GET } from '../../../site/pages/directives.json.js';
import { DirectiveIndex, parseDirectivesData } from '../../../site/playground/editor/data.js';
import {
  defaultLine, directiveCompletions, directiveHover, escapeMd, moduleCompletions, moduleHover, sectionCompletion, sectionHover,
  unknownHover, valueCompletions,
} from '../../../site/playground/editor/docs.js';
import { diagnosticMessage, engineMarkers, findDirectiveLine, severityOf } from '../../../site/playground/editor/report.js';

const index = new DirectiveIndex(parseDirectivesData(await GET().json()));
const find = (name: string) => {
  const f = index.find(name);
  if (!f) throw new Error(`no ${name}`);
  return f;
};

describe('the directive table', () => {
  it('is checked when fetched', () => {
    expect(() => parseDirectivesData(null)).toThrow(/not an object/);
    expect(() => parseDirectivesData({})).toThrow(/no "directives" array/);
    expect(() => parseDirectivesData({ directives: [{}] })).toThrow(/entry 0 has no name/);
    expect(parseDirectivesData({ directives: [{ name: 'X' }] }).directives[0]).toMatchObject({ name: 'X', aliases: [], mpms: ['prefork', 'worker', 'event', 'winnt', 'netware', 'mpmt_os2'], help: {} });
    expect(parseDirectivesData({ directives: [] }).unsupported).toEqual([]);
  });

  it('finds names and old names case-insensitively', () => {
    expect(index.find('maxrequestworkers')?.entry.name).toBe('MaxRequestWorkers');
    expect(index.find('MAXCLIENTS')).toMatchObject({ entry: { name: 'MaxRequestWorkers' }, alias: 'MaxClients' });
    expect(index.find('Foo')).toBeUndefined();
    expect(index.unsupported('include')).toBe('Include');
  });
});

describe('hover', () => {
  it('StartServers: help, default for this MPM, MPMs, doc', () => {
    const md = directiveHover(find('StartServers'), 'StartServers', 'prefork');
    expect(md.split('\n\n')[0]).toBe('**StartServers** — Number of child processes launched at server startup');
    expect(md).toContain('Default: `5` (for prefork)  \nApplies to: prefork, worker, event');
    expect(md).toContain('spare-server maintenance');
    expect(directiveHover(find('StartServers'), 'StartServers', 'event')).toContain('Default: `3` (for event)');
  });

  it('per-MPM help', () => {
    expect(directiveHover(find('MaxRequestWorkers'), 'MaxRequestWorkers', 'worker')).toMatch(/^\*\*MaxRequestWorkers\*\* — Maximum number of threads alive/);
    expect(directiveHover(find('MaxRequestWorkers'), 'MaxRequestWorkers', 'prefork')).toMatch(/^\*\*MaxRequestWorkers\*\* — Maximum number of children alive/);
  });

  it('an old name says which name replaced it', () => {
    const md = directiveHover(find('MaxClients'), 'MaxClients', 'prefork');
    expect(md).toContain('*MaxClients* is the old name of this directive: **MaxRequestWorkers** replaced it.');
  });

  it("a directive of another MPM says so, with the httpd error and the defaults of the MPMs that have it", () => {
    const md = directiveHover(find('ThreadsPerChild'), 'ThreadsPerChild', 'prefork');
    expect(md).toContain('⚠ **Not a prefork directive**: only worker, event and winnt have it.');
    expect(md).toContain("Invalid command 'ThreadsPerChild'");
    expect(md).toContain('Default: `25` for worker, `25` for event, `64` for winnt');
    expect(directiveHover(find('ThreadLimit'), 'ThreadLimit', 'prefork')).toContain('Default: `64` for worker, `64` for event, `1920` for winnt');
    expect(directiveHover(find('MinSpareServers'), 'MinSpareServers', 'event')).toContain('unless it sits inside `<IfModule mpm_prefork_module>`');
  });

  it('core directives and ignored ones', () => {
    expect(directiveHover(find('KeepAlive'), 'KeepAlive', 'event')).toContain('Default: `On` (for event)  \nApplies to: prefork, worker, event, winnt, netware, mpmt_os2 (core, every MPM)');
    const user = directiveHover(find('User'), 'User', 'prefork');
    expect(user).toContain('Default: none (for prefork)');
    expect(user).toContain('*Accepted but has no effect in MPM Lab.*');
  });

  it('defaults that differ between the owning MPMs are listed one by one', () => {
    const entry = { ...find('ServerLimit').entry, core: false, mpms: ['prefork', 'worker'] };
    expect(defaultLine(entry, 'event')).toBe('Default: `256` for prefork, `16` for worker');
  });

  it('unknown and unsupported names', () => {
    expect(unknownHover('Foo', index)).toBe("**Foo** is not a directive MPM Lab knows. httpd refuses it: *Invalid command 'Foo', perhaps misspelled or defined by a module not included in the server configuration*.");
    expect(unknownHover('Fo*o_', index)).toContain('**Fo\\*o\\_**');
    expect(unknownHover('include', index)).toMatch(/^\*\*Include\*\* is a real httpd directive that MPM Lab does not support/);
  });

  it('sections and modules', () => {
    expect(sectionHover('IfModule')).toMatch(/^\*\*<IfModule>\*\* — Container for directives/);
    expect(sectionHover('VirtualHost')).toContain('only supports `<IfModule>`');
    expect(moduleHover('mpm_prefork_module', false, 'prefork')).toBe('`mpm_prefork_module` is loaded under prefork: the lines inside **are read**.');
    expect(moduleHover('mpm_event_module', false, 'prefork')).toBe('`mpm_event_module` is not loaded under prefork (it is under event): httpd **skips** the lines inside, up to the matching `</IfModule>`.');
    expect(moduleHover('mpm_prefork_module', true, 'prefork')).toContain('negated (`!`): httpd **skips**');
    expect(moduleHover('prefork.c', false, 'prefork')).toContain('are read');
  });

  it('escapes Markdown', () => {
    expect(escapeMd('a*b_c`d<e>')).toBe('a\\*b\\_c\\`d\\<e\\>');
  });
});

describe('completion', () => {
  const items = directiveCompletions(index, 'prefork');
  const byLabel = (l: string) => items.find((i) => i.label === l);

  it('offers every directive and every old name', () => {
    for (const d of index.directives) expect(byLabel(d.name)).toBeDefined();
    expect(byLabel('MaxClients')).toMatchObject({ deprecated: true, kind: 'alias', detail: 'Deprecated: old name of MaxRequestWorkers' });
    expect(byLabel('MaxRequestsPerChild')).toMatchObject({ deprecated: true });
  });

  it('has the help as detail, and inserts the default of this MPM as a placeholder', () => {
    expect(byLabel('MaxRequestWorkers')).toMatchObject({
      detail: 'Maximum number of children alive at the same time', insertText: 'MaxRequestWorkers ${1:256}', deprecated: false,
    });
    expect(directiveCompletions(index, 'event').find((i) => i.label === 'MaxRequestWorkers')?.insertText).toBe('MaxRequestWorkers ${1:400}');
    expect(byLabel('Listen')?.insertText).toBe('Listen $0');
    expect(byLabel('User')?.insertText).toBe('User $0');
  });

  it("sorts this MPM's directives first, then ignored ones, other MPMs', old names", () => {
    const order = (l: string) => byLabel(l)!.sortText;
    expect(order('StartServers') < order('User')).toBe(true);
    expect(order('User') < order('ThreadsPerChild')).toBe(true);
    expect(order('ThreadsPerChild') < order('MaxClients')).toBe(true);
    expect(byLabel('ThreadsPerChild')!.detail).toMatch(/\(not in prefork: worker, event and winnt only\)$/);
  });

  it('offers values for On/Off and log levels, modules for <IfModule>, and the section itself', () => {
    expect(valueCompletions(index, 'keepalive', 0).map((v) => v.label)).toEqual(['On', 'Off']);
    expect(valueCompletions(index, 'LogLevel', 0).map((v) => v.label)).toContain('trace8');
    expect(valueCompletions(index, 'StartServers', 0)).toEqual([]);
    expect(valueCompletions(index, 'KeepAlive', 1)).toEqual([]);
    expect(moduleCompletions('worker').find((m) => m.label === 'mpm_worker_module')?.detail).toBe('loaded under worker');
    expect(moduleCompletions('worker').find((m) => m.label === 'mpm_event_module')?.detail).toBe('not loaded under worker');
    expect(sectionCompletion('event').insertText).toBe('IfModule ${1:mpm_event_module}>\n\t$0\n</IfModule>');
  });
});

describe('engine markers (setReport)', () => {
  const text = '# c\nStartServers 0\n  MaxClients 10\nMinSpareServers 1\n';

  it('maps httpd levels to severities and formats like an error_log line', () => {
    expect(['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug'].map(severityOf))
      .toEqual(['error', 'error', 'error', 'error', 'warning', 'info', 'info', 'info']);
    expect(diagnosticMessage({ level: 'warn', module: 'mpm_prefork', ah: 'AH00180', text: 'WARNING: x', startup: true })).toBe('[mpm_prefork:warn] AH00180: WARNING: x');
    expect(diagnosticMessage({ level: 'warn', module: 'core', ah: '', text: 'User has no effect', startup: false })).toBe('[core:warn] User has no effect');
  });

  it('nothing for null', () => {
    expect(engineMarkers(null, text)).toEqual([]);
  });

  it('an error at errorLine, over the trimmed line', () => {
    expect(engineMarkers({ ok: false, effective: [], diagnostics: [], error: 'AH00526: Syntax error on line 3 of x:\nno', errorLine: 3 }, text)).toEqual([{
      severity: 'error', message: 'AH00526: Syntax error on line 3 of x:\nno', code: 'httpd', startLineNumber: 3, startColumn: 3, endLineNumber: 3, endColumn: 16,
    }]);
  });

  it('no error marker when the error has no line', () => {
    expect(engineMarkers({ ok: false, effective: [], diagnostics: [], error: "Syntax error in --set 'x'" }, text)).toEqual([]);
  });

  it('diagnostics on their line, or on the line of their directive (old names count), or nowhere', () => {
    const ms = engineMarkers({
      ok: true, effective: [], diagnostics: [
        { level: 'warn', module: 'mpm_prefork', ah: 'AH00179', text: 'on line 2', startup: true, line: 2 },
        { level: 'info', module: 'mpm_prefork', ah: 'AH00188', text: 'MaxClients is deprecated', startup: false, directive: 'MaxRequestWorkers' },
        { level: 'warn', module: 'mpm_prefork', ah: '', text: 'about MinSpareServers', startup: true, directive: 'MinSpareServers' },
        { level: 'warn', module: 'core', ah: '', text: 'about nothing written', startup: true, directive: 'ServerLimit' },
        { level: 'notice', module: 'core', ah: 'AH00094', text: 'no place', startup: false },
      ],
    }, text, index);
    expect(ms.map((m) => [m.severity, m.startLineNumber, m.startColumn, m.endColumn, m.code])).toEqual([
      ['warning', 2, 1, 15, 'AH00179'],
      ['info', 3, 3, 16, 'AH00188'],
      ['warning', 4, 1, 18, 'mpm_prefork'],
    ]);
    expect(ms[1]!.message).toBe('[mpm_prefork:info] AH00188: MaxClients is deprecated');
  });

  it('clamps a line beyond the text', () => {
    expect(engineMarkers({ ok: false, effective: [], diagnostics: [], error: 'x', errorLine: 99 }, 'A 1\n')[0]).toMatchObject({ startLineNumber: 2, startColumn: 1, endColumn: 2 });
  });

  it('finds the last line that sets a directive, outside comments', () => {
    expect(findDirectiveLine('StartServers 1\n# StartServers 2\nstartservers 3\n', 'StartServers')?.first).toBe(3);
    expect(findDirectiveLine('MaxClients 3\n', 'MaxRequestWorkers', index)?.first).toBe(1);
    expect(findDirectiveLine('MaxClients 3\n', 'MaxRequestWorkers')).toBeUndefined();
  });
});
