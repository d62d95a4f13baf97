// Real Apache httpd for integration tests (Debian apache2-bin). Absent → those
// tests are skipped with a loud message; under CI=true absence is a failure.
import { findHttpd } from '../../engine/httpd/find.js';

const found = findHttpd(process.env.HTTPD);
export const HTTPD = 'error' in found ? null : found;

if (!HTTPD) {
  const msg = `\n*** Apache httpd not found (${'error' in found ? found.error : ''}): real-httpd tests are SKIPPED ***\n`;
  if (process.env.CI) throw new Error(msg + 'CI=true: a missing apache2 is a failure.');
  console.warn(msg);
}
