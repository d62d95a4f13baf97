// Who may drive the lab (DESIGN §5). The lab forks processes on command, so a
// page on another website must never reach it: a session token in the URL
// (compared in constant time), the lab's own Origin, and a loopback Host (no
// DNS rebinding). Pure functions, so each rule is tested as a table.
import crypto from 'node:crypto';

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

/** Constant-time: hash both sides to equal length first, so not even the length leaks. */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b);
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Host must name this lab on a loopback name and our port (a rebinding attacker's name fails). */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return LOOPBACK_NAMES.some((n) => h === `${n}:${port}` || (port === 80 && h === n));
}

/** The lab's own origins, plus any the user allowed explicitly (--allow-origin). */
export function allowedOrigins(port: number, extra: readonly string[] = []): Set<string> {
  return new Set([...LOOPBACK_NAMES.map((n) => `http://${n}:${port}`), ...extra.map((o) => o.replace(/\/+$/, ''))]);
}

export type Refusal = { status: 401 | 403; reason: string };

/** The checks of a control-socket upgrade, in order; null = allowed. */
export function checkUpgrade(
  req: { url?: string; headers: { host?: string; origin?: string } },
  opts: { token: string; port: number; origins: Set<string> },
): Refusal | null {
  if (!hostAllowed(req.headers.host, opts.port)) return { status: 403, reason: `Host '${req.headers.host ?? ''}' is not this lab (use http://127.0.0.1:${opts.port}/)` };
  const origin = req.headers.origin;
  if (!origin || !opts.origins.has(origin)) return { status: 403, reason: `Origin '${origin ?? ''}' may not use this lab's control socket` };
  const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  if (!tokenMatches(token, opts.token)) return { status: 401, reason: 'missing or wrong session token: open the URL mpm-lab start printed' };
  return null;
}
