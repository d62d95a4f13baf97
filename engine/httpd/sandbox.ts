// What of a learner's configuration reaches a real httpd. The config may come
// from a browser page (the lab's editor), so it must not reach outside the
// private ServerRoot: no piped logs (`ErrorLog "|cmd"` runs a program), no
// files or modules elsewhere, no Include, no user switch. Only directives the
// node engine knows and acts on pass (the MPM, keep-alive, timeouts, limits,
// LogLevel, ExtendedStatus, Listen — rewritten to loopback), with <IfModule>
// around them; everything else is commented out in the generated httpd.conf,
// and a warning names each line. User/Group pass only when MPM Lab runs as
// root and was started with --allow-user.
import { findDirective } from '../config/directives.js';
import { logicalLines } from '../config/parse.js';

export interface SandboxedConfig {
  text: string;
  /** one message per line not passed to httpd */
  warnings: string[];
}

const KEPT_SECTIONS = new Set(['ifmodule']);

export function sandboxConfig(userConfig: string, o: { allowUser: boolean }): SandboxedConfig {
  const out: string[] = [];
  const warnings: string[] = [];
  // depth inside a dropped section (<Directory>, <VirtualHost>…): everything in it goes
  let dropped: { name: string; depth: number } | null = null;
  for (const { text, line } of logicalLines(userConfig)) {
    const drop = (why: string) => {
      out.push(`# (MPM Lab: not passed to httpd) ${text}`);
      if (why) warnings.push(`mpm-lab: config line ${line}: ${why}`);
    };
    if (text === '' || text.startsWith('#')) {
      out.push(text);
      continue;
    }
    const section = /^<\s*(\/)?\s*([A-Za-z]+)/.exec(text);
    if (dropped) {
      if (section && section[2].toLowerCase() === dropped.name) dropped.depth += section[1] ? -1 : 1;
      if (dropped.depth === 0) dropped = null;
      drop('');
      continue;
    }
    if (section) {
      const name = section[2].toLowerCase();
      if (KEPT_SECTIONS.has(name)) {
        out.push(text);
      } else if (!section[1]) {
        dropped = { name, depth: 1 };
        drop(`<${section[2]}> section not passed to httpd: only MPM, connection and limit directives reach the real server`);
      } else {
        drop('');
      }
      continue;
    }
    const name = /^\S+/.exec(text)![0];
    const match = findDirective(name);
    const lower = match?.spec.name.toLowerCase();
    if (lower === 'user' || lower === 'group') {
      if (o.allowUser && process.getuid?.() === 0) out.push(text);
      else drop(`${match!.spec.name} ignored: httpd runs as you (as root: nobody/nogroup); as root, mpm-lab run --allow-user honours it`);
    } else if (match && match.spec.kind !== 'ignored') {
      out.push(text);
    } else {
      drop(`${name} not passed to httpd: it could reach files, programs or modules outside MPM Lab's private ServerRoot`);
    }
  }
  return { text: out.join('\n'), warnings };
}
