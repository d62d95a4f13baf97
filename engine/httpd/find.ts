// Where a real Apache httpd 2.4 lives on this machine: Debian/Ubuntu's apache2
// (modules in /usr/lib/apache2/modules), or an httpd elsewhere (modules next to
// it), or the binary given with --httpd.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface HttpdInstall {
  bin: string;
  modulesDir: string;
  /** "Apache/2.4.71 (Debian)" */
  version: string;
}

const CANDIDATES = ['/usr/sbin/apache2', '/usr/sbin/httpd', '/usr/local/apache2/bin/httpd', '/opt/homebrew/bin/httpd', '/usr/local/bin/httpd'];
const MODULE_DIRS = ['/usr/lib/apache2/modules', '/usr/lib64/httpd/modules', '/usr/lib/httpd/modules', '/usr/local/apache2/modules'];

export function findHttpd(explicit?: string): HttpdInstall | { error: string } {
  const bins = explicit ? [explicit] : CANDIDATES;
  for (const bin of bins) {
    if (!fs.existsSync(bin)) continue;
    const v = spawnSync(bin, ['-v'], { encoding: 'utf8' });
    const version = /Server version:\s*(\S+(?: \([^)]*\))?)/.exec(v.stdout ?? '')?.[1];
    if (v.status !== 0 || !version) continue;
    if (!/^Apache\/2\.4\./.test(version)) return { error: `${bin} is ${version}; MPM Lab drives Apache httpd 2.4` };
    const near = path.resolve(path.dirname(bin), '../modules');
    const modulesDir = [near, ...MODULE_DIRS].find((d) => fs.existsSync(path.join(d, 'mod_mpm_prefork.so')));
    if (!modulesDir) return { error: `found ${bin} (${version}) but not its modules (mod_mpm_prefork.so); on Debian: apt-get install apache2-bin` };
    return { bin, modulesDir, version };
  }
  return { error: explicit ? `${explicit} is not an Apache httpd binary` : 'no Apache httpd found (Debian/Ubuntu: apt-get install apache2-bin; or pass --httpd PATH)' };
}
