// Reading one directive's arguments into a value, per registry kind.
//
// Deviation from httpd, on purpose: httpd reads most numbers with atoi(), so
// "StartServers abc" silently becomes 0 (and then "increasing to 1"). MPM Lab
// refuses anything that is not a whole number, naming the directive and the
// value. Out-of-range numbers (0, negatives) are still accepted here and
// clamped later by check.ts with httpd's own warnings.

import { LOG_LEVELS } from '../log/error-log.js';
import type { LogLevel } from '../log/error-log.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** A C int (32 bits), as atoi() would read it, but only from a real number. */
export function parseInt32(name: string, arg: string): Parsed<number> {
  return parseWhole(name, arg, INT_MIN, INT_MAX);
}

/** An apr_off_t byte count (LimitRequestBody); JS keeps integers exact up to 2^53. */
export function parseBytes(name: string, arg: string): Parsed<number> {
  return parseWhole(name, arg, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
}

/** A decimal number as strtod reads it (no hex, inf or nan). */
export function parseNumber(name: string, arg: string): Parsed<number> {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(arg)) {
    return { ok: false, message: `Invalid value '${arg}' for ${name}: a number is needed` };
  }
  return { ok: true, value: Number(arg) };
}

/** FLAG directives (config.c invoke_cmd): On or Off, any case. */
export function parseOnOff(name: string, args: readonly string[]): Parsed<boolean> {
  const w = (args[0] ?? '').toLowerCase();
  // Deviation: httpd ignores words after the flag; we refuse them like a bad flag.
  if (args.length !== 1 || (w !== 'on' && w !== 'off')) return { ok: false, message: `${name} must be On or Off` };
  return { ok: true, value: w === 'on' };
}

const TIME_UNIT_MS: Record<string, number> = { '': 1000, s: 1000, ms: 1, mi: 60_000, min: 60_000, h: 3_600_000 };

/**
 * KeepAliveTimeout: ap_timeout_parameter_parse with default unit seconds:
 * "5" = 5 s, "300ms", "2mi" (minutes), "1h". Result in milliseconds.
 */
export function parseKeepAliveTimeout(arg: string): Parsed<number> {
  const m = /^(\d+)([a-z]*)$/.exec(arg);
  const unit = m ? TIME_UNIT_MS[m[2]!] : undefined;
  const ms = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!Number.isSafeInteger(ms)) return { ok: false, message: 'KeepAliveTimeout has wrong format' };
  return { ok: true, value: ms };
}

const LOG_LEVEL_ERROR = 'Log level keyword must be one of emerg/alert/crit/error/warn/notice/info/debug/trace1/.../trace8';

/** LogLevel is ITERATE in httpd: each word is applied in turn, so the last one wins. */
export function parseLogLevel(args: readonly string[]): Parsed<LogLevel> {
  let level: LogLevel | undefined;
  for (const arg of args) {
    if (arg.includes(':')) {
      return { ok: false, message: `Per-module log levels ('${arg}') are not supported in MPM Lab; use one level for all` };
    }
    const found = LOG_LEVELS.find((l) => l === arg.toLowerCase());
    if (found === undefined) return { ok: false, message: LOG_LEVEL_ERROR };
    level = found;
  }
  return level === undefined ? { ok: false, message: LOG_LEVEL_ERROR } : { ok: true, value: level };
}

function parseWhole(name: string, arg: string, min: number, max: number): Parsed<number> {
  if (!/^[+-]?\d+$/.test(arg)) {
    return { ok: false, message: `Invalid value '${arg}' for ${name}: a whole number is needed` };
  }
  const value = Number(arg);
  if (value < min || value > max) {
    return { ok: false, message: `Invalid value '${arg}' for ${name}: out of range (${min} to ${max})` };
  }
  return { ok: true, value: value === 0 ? 0 : value }; // no -0
}
