// Real PHP for integration tests (Debian php8.2-fpm and libapache2-mod-php8.2).
// Absent → those tests are skipped with a loud message; under CI=true absence is a failure.
import { findModPhp, findPhpFpm } from '../../engine/httpd/php.js';
import { HTTPD } from './httpd.js';

const fpm = findPhpFpm();
const modPhp = HTTPD ? findModPhp(HTTPD.modulesDir) : { error: 'no httpd' };
const missing = [fpm, modPhp].filter((f): f is { error: string } => typeof f !== 'string').map((f) => f.error);
/** both real php-fpm and mod_php, beside real httpd */
export const PHP = HTTPD && missing.length === 0;

if (!PHP) {
  const msg = `\n*** real PHP not found (${missing.join('; ')}): real php-fpm / mod_php tests are SKIPPED ***\n`;
  if (process.env.CI) throw new Error(msg + 'CI=true: missing php8.2-fpm / libapache2-mod-php8.2 is a failure.');
  console.warn(msg);
}
