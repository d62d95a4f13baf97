// How the MPM reaches the application for /app/ paths: through a PHP-FPM-style
// pool (the MPM's worker only shuttles bytes; the pool's processes run the
// application), or "mod_php": the application runs inside the serving MPM
// child itself. Shared by the parent, the children and the handlers.
export type AppBinding = { mode: 'fpm'; port: number } | { mode: 'mod_php' };

/** What PHP's apache2handler says when loaded into a threaded MPM without ZTS. */
export const MOD_PHP_THREADED_REFUSAL = [
  'Apache is running a threaded MPM, but your PHP Module is not compiled to be threadsafe.  You need to recompile PHP.',
  'AH00013: Pre-configuration failed',
];

/** PHP's answer for header('Content-Type: text/plain'): default_charset appended */
export const APP_CONTENT_TYPE = 'text/plain;charset=UTF-8';

/** The application's own work, the same in a pool process and inside an MPM child. */
export async function runApp(pathname: string, query: URLSearchParams, sleep: (ms: number) => Promise<void>): Promise<{ status: number; body: string }> {
  const ms = Math.max(0, Math.min(60_000, Number(query.get('ms') ?? 1000) || 0));
  if (pathname === '/app/sleep') {
    await sleep(ms);
    return { status: 200, body: `slept ${ms} ms in pid ${process.pid}\n` };
  }
  if (pathname === '/app/cpu') {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      // the application computes: nothing else runs in this process (or thread) meanwhile
    }
    return { status: 200, body: `computed ${ms} ms in pid ${process.pid}\n` };
  }
  if (pathname.startsWith('/app/')) return { status: 200, body: `hello from the application, pid ${process.pid}\n` };
  return { status: 404, body: 'not an application path (/app/…)\n' };
}
