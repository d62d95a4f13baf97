// Build-time: the directive table as JSON for the config editor's hover docs,
// completions and markers. The browser fetches this file; it never imports
// engine code.
import { DIRECTIVES, MPM_NAMES, UNSUPPORTED_DIRECTIVES, forMpm, type DirectiveSpec } from '../../engine/config/directives.js';

function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'On' : 'Off';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x && 'port' in x ? `${(x as { host: string }).host}:${(x as { port: number }).port}` : String(x))).join(', ');
  return String(v);
}

function entry(d: DirectiveSpec) {
  const mpms = d.mpms === 'core' ? [...MPM_NAMES] : [...d.mpms];
  return {
    name: d.name,
    aliases: d.aliases.map((a) => a.name),
    kind: d.kind,
    mpms,
    core: d.mpms === 'core',
    help: Object.fromEntries(mpms.map((m) => [m, forMpm(d.help, m) ?? ''])),
    defaults: Object.fromEntries(mpms.map((m) => [m, show(forMpm(d.default as never, m))])),
    doc: d.doc,
  };
}

export function GET() {
  return new Response(JSON.stringify({ directives: DIRECTIVES.map(entry), unsupported: UNSUPPORTED_DIRECTIVES }), {
    headers: { 'Content-Type': 'application/json' },
  });
}
