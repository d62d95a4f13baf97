// What the engine calls itself. It models httpd 2.4 (the spec is read from the
// 2.4.x branch, 2.4.63-dev), so it presents httpd's version string with our own
// component added, the way modules add theirs ("… OpenSSL/3.0").
export const LAB_VERSION = '0.1.0';
export const SERVER_VERSION = `Apache/2.4.63 (Unix) MPM-Lab/${LAB_VERSION}`;
/** ap_get_server_built(): __DATE__ " " __TIME__ of the build, e.g. "Nov 22 2026 07:25:00". */
export function serverBuilt(epochMs: number): string {
  const d = new Date(epochMs);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${mon} ${String(d.getDate()).padStart(2, ' ')} ${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
