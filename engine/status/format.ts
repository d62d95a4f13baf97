// The small formatting routines mod_status's output depends on, rewritten so
// our numbers come out byte for byte as httpd prints them.
//
// Why not Number.prototype.toFixed / toPrecision?  mod_status prints with
// ap_rprintf(), i.e. APR's own formatter (apr_vformatter in
// apr/strings/apr_snprintf.c, branch 1.7.x), not the C library's printf.
// APR converts doubles with an old UNIX V7-style digit generator (apr_cvt):
// it peels integer digits off with repeated modf(x / 10), multiplies the
// fraction by 10 for the others, and then rounds the *generated* digit string
// half-up. Its %g (apr_gcvt) also has its own layout rules. The visible
// differences from C's printf (all checked against APR's code compiled
// natively):
//
//   value        C "%g"        APR "%g"      why
//   0.0666667    0.0666667     .0666667      no "0" before the point
//   12.5         12.5          12.5
//   100000       100000        1.e+5         E-style when (exponent+1) - significant
//                                            digits > 4; the "." is kept; exponent
//                                            has no leading zero
//   1234567      1.23457e+06   1234570       ...but not when the digits fill up:
//                                            rounded to 6 digits, then zero-padded
//   0.00001      1e-05         1.e-5
//   0            0             0
//   0.125 "%.2f" 0.12          0.13          half-up on the digit string, not to-even
//   1/0          inf           0.e+79        %g has no inf check (%f prints "inf")
//
// So we port the algorithm itself. Doubles behave the same in JS and C
// (IEEE 754 binary64, SSE arithmetic, no x87 extended precision), and modf()
// is exact, so the digits match.
//
// mod_status also does much of its arithmetic in C `float`; `f32()` rounds a
// value to single precision where the C code converts to or computes in float.

/** C's `(float)x`, and the result of float arithmetic. */
export const f32 = Math.fround;

/** C modf(): [fraction, integer part], exact; modf(±inf) = [±0, ±inf]. */
function modf(x: number): [number, number] {
  if (x === Infinity || x === -Infinity) return [0 * Math.sign(x), x];
  const i = Math.trunc(x);
  return [x - i, i];
}

const NDIG = 80;
const ZERO = 48; // '0'

interface Cvt {
  /** the digit string (may be shorter than asked, e.g. "" when everything rounds away) */
  digits: string;
  /** position of the decimal point relative to the first digit */
  decpt: number;
  negative: boolean;
}

/**
 * apr_cvt: `ndigits` significant digits (eflag, for %e/%g) or `ndigits`
 * digits after the point (fixed, for %f).
 */
function aprCvt(value: number, ndigits: number, eflag: boolean): Cvt {
  if (ndigits >= NDIG - 1) ndigits = NDIG - 2;
  // char codes; 0 is the C string terminator
  const buf = new Array<number>(NDIG + 1).fill(0);
  let r2 = 0;
  let negative = false;
  let p = 0;
  let arg = value;
  if (arg < 0) {
    negative = true;
    arg = -arg;
  }
  let fi: number;
  let fj: number;
  [arg, fi] = modf(arg);
  if (fi !== 0) {
    // integer part: digits come out backwards, written from the end of buf
    let p1 = NDIG;
    while (p1 > 0 && fi !== 0) {
      [fj, fi] = modf(fi / 10);
      buf[--p1] = Math.trunc((fj + 0.03) * 10) + ZERO;
      r2++;
    }
    while (p1 < NDIG) buf[p++] = buf[p1++];
  } else if (arg > 0) {
    // pure fraction: count the leading zeros
    while ((fj = arg * 10) < 1) {
      arg = fj;
      r2--;
    }
  }
  let p1 = ndigits;
  if (!eflag) p1 += r2;
  if (p1 < 0) return { digits: '', decpt: -ndigits, negative };
  let decpt = r2;
  while (p <= p1 && p < NDIG) {
    arg *= 10;
    [arg, fj] = modf(arg);
    buf[p++] = Math.trunc(fj) + ZERO;
  }
  if (p1 >= NDIG) {
    buf[NDIG - 1] = 0;
    return { digits: cString(buf), decpt, negative };
  }
  // round half-up on the digit after the last one kept, carrying leftwards
  p = p1;
  buf[p1] += 5;
  while (buf[p1] > ZERO + 9) {
    buf[p1] = ZERO;
    if (p1 > 0) {
      ++buf[--p1];
    } else {
      buf[p1] = ZERO + 1;
      decpt++;
      if (!eflag) {
        if (p > 0) buf[p] = ZERO;
        p++;
      }
    }
  }
  buf[p] = 0;
  return { digits: cString(buf), decpt, negative };
}

function cString(codes: number[]): string {
  let s = '';
  for (const c of codes) {
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/**
 * APR's `%g` / `%.Ng` (apr_gcvt without the '#' flag): `precision`
 * significant digits, default 6 as in C; 0 means 1.
 */
export function aprG(value: number, precision = 6): string {
  let ndigit = precision === 0 ? 1 : precision;
  const { digits, decpt: d, negative } = aprCvt(value, ndigit, true);
  let decpt = d;
  let out = negative ? '-' : '';
  // trailing zeros do not count as significant digits
  for (let i = ndigit - 1; i > 0 && digits[i] === '0'; i--) ndigit--;
  let k = 0; // read position in digits
  if ((decpt >= 0 && decpt - ndigit > 4) || (decpt < 0 && decpt < -3)) {
    // E-style: d.ddde±x; the point stays even with a single digit ("1.e+5")
    decpt--;
    out += digits[k++] + '.';
    for (let i = 1; i < ndigit; i++) out += digits[k++];
    out += 'e';
    if (decpt < 0) {
      decpt = -decpt;
      out += '-';
    } else {
      out += '+';
    }
    if (Math.trunc(decpt / 100) > 0) out += String(Math.trunc(decpt / 100));
    if (Math.trunc(decpt / 10) > 0) out += String(Math.trunc((decpt % 100) / 10));
    out += String(decpt % 10);
  } else {
    if (decpt <= 0) {
      // no leading "0" before the point: ".0666667"
      if (digits[0] !== '0') out += '.';
      while (decpt < 0) {
        decpt++;
        out += '0';
      }
    }
    for (let i = 1; i <= ndigit; i++) {
      out += digits[k++] ?? '';
      if (i === decpt) out += '.';
    }
    if (ndigit < decpt) {
      // more integer digits than significant ones: pad with zeros ("1234570")
      while (ndigit++ < decpt) out += '0';
      out += '.';
    }
  }
  if (out.endsWith('.')) out = out.slice(0, -1);
  return out;
}

/** APR's `%.Nf` (conv_fp 'f' plus the nan/inf checks of apr_vformatter). */
export function aprF(value: number, precision: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return 'inf';
  const { digits, decpt, negative } = aprCvt(value, precision, false);
  let s = '';
  let k = 0;
  if (decpt <= 0) {
    s += '0';
    if (precision > 0) {
      s += '.';
      for (let d = decpt; d < 0; d++) s += '0';
    }
  } else {
    for (let d = decpt; d > 0; d--) {
      // only for values ≥ 1e79, past apr_cvt's 80-digit buffer: C copies the
      // string's terminator here, so what is printed stops at this point
      if (k >= digits.length) return (negative ? '-' : '') + s;
      s += digits[k++];
    }
    if (precision > 0) s += '.';
  }
  s += digits.slice(k);
  return (negative ? '-' : '') + s;
}

/** C's `(long)x` / `(int)x` for the values mod_status casts: truncation toward zero. */
export const cInt = Math.trunc;

const KBYTE = 1024;
const MBYTE = 1048576;
const GBYTE = 1073741824;

/** mod_status format_byte_out(): "812 B", "5.0 kB", "1.2 MB", "3.4 GB". */
export function formatByteOut(bytes: number): string {
  if (bytes < 5 * KBYTE) return `${cInt(bytes)} B`;
  if (bytes < MBYTE / 2) return `${aprF(f32(f32(bytes) / KBYTE), 1)} kB`;
  if (bytes < GBYTE / 2) return `${aprF(f32(f32(bytes) / MBYTE), 1)} MB`;
  return `${aprF(f32(f32(bytes) / GBYTE), 1)} GB`;
}

/** mod_status format_kbyte_out(). */
export function formatKbyteOut(kbytes: number): string {
  if (kbytes < KBYTE) return `${cInt(kbytes)} kB`;
  if (kbytes < MBYTE) return `${aprF(f32(f32(kbytes) / KBYTE), 1)} MB`;
  return `${aprF(f32(f32(kbytes) / MBYTE), 1)} GB`;
}

/** mod_status show_time(): " 2 hours 5 seconds" (only the non-zero parts; "" for 0). */
export function showTime(tsecs: number): string {
  let t = tsecs >>> 0; // apr_uint32_t
  const secs = t % 60;
  t = Math.floor(t / 60);
  const mins = t % 60;
  t = Math.floor(t / 60);
  const hrs = t % 24;
  const days = Math.floor(t / 24);
  let out = '';
  if (days) out += ` ${days} day${days === 1 ? '' : 's'}`;
  if (hrs) out += ` ${hrs} hour${hrs === 1 ? '' : 's'}`;
  if (mins) out += ` ${mins} minute${mins === 1 ? '' : 's'}`;
  if (secs) out += ` ${secs} second${secs === 1 ? '' : 's'}`;
  return out;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** English locales whose CLDR data carry the abbreviations their regions use (CET, AEDT, IST…) */
const ZONE_LOCALES = ['en-GB', 'en-AU', 'en-IN', 'en-NZ', 'en-ZA', 'en-CA'];
const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function zoneParts(epochMs: number, timeZone: string | undefined, locale: string): Record<string, string> {
  const key = `${locale}|${timeZone ?? ''}`;
  let fmt = partsFormatters.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    partsFormatters.set(key, fmt);
  }
  const parts: Record<string, string> = {};
  for (const part of fmt.formatToParts(epochMs)) parts[part.type] = part.value;
  return parts;
}

/**
 * ap_ht_time(p, t, DEFAULT_TIME_FORMAT, 0), i.e. strftime
 * "%A, %d-%b-%Y %H:%M:%S %Z" in local time (C locale names):
 * "Sunday, 22-Nov-2026 05:38:37 UTC". Sub-second parts are dropped, as
 * apr_time_exp_lt does.
 *
 * %Z is glibc's tzname[] abbreviation from tzdata. JS has no direct
 * equivalent; Intl's "short" zone name agrees for UTC and for the zones some
 * English CLDR locale abbreviates (en-US: EST/PDT, en-GB: CET/BST, en-AU:
 * AEDT, en-IN: IST…). Otherwise Intl only has "GMT+9", which we print the way
 * tzdata writes zones it has no letters for ("+09", "+0530"); tzdata does have
 * letters for a few of those (Asia/Tokyo is "JST"), so there we differ.
 * `timeZone` (IANA name) defaults to the process's local zone.
 */
export function htTime(epochMs: number, timeZone?: string): string {
  const t = Math.floor(epochMs / 1000) * 1000;
  const p = zoneParts(t, timeZone, 'en-US');
  let zone = p.timeZoneName ?? '';
  for (const locale of ZONE_LOCALES) {
    if (!/^GMT[+-]/.test(zone)) break;
    zone = zoneParts(t, timeZone, locale).timeZoneName ?? zone;
  }
  // tzdata's numeric style for zones without a letter abbreviation: "+04", "+0530"
  const offset = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(zone);
  if (offset) zone = `${offset[1]}${offset[2].padStart(2, '0')}${offset[3] ?? ''}`;
  const year = Number(p.year);
  const month = Number(p.month);
  const day = Number(p.day);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return (
    `${WEEKDAYS[weekday]}, ${pad2(day)}-${MONTHS[month - 1]}-${year} ` +
    `${pad2(Number(p.hour))}:${pad2(Number(p.minute))}:${pad2(Number(p.second))} ${zone}`
  );
}

/** ap_escape_html() (ap_escape_html2 with toasc = 0): only < > & " are replaced. */
export function escapeHtml(s: string): string {
  return s.replace(/[<>&"]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '&quot;',
  );
}

const LOGITEM_NAMED: Record<number, string> = {
  0x08: '\\b',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x0b: '\\v',
  0x5c: '\\\\',
  0x22: '\\"',
};

/**
 * ap_escape_logitem(): every byte that is not printable ASCII (controls, DEL,
 * bytes ≥ 0x80), plus `"` and `\`, becomes a backslash escape
 * (\n \t … or \xhh). The scoreboard holds bytes; characters up to U+00FF are
 * taken as those bytes (latin1), anything above as its UTF-8 bytes.
 */
export function escapeLogitem(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    const bytes = code <= 0xff ? [code] : [...Buffer.from(ch, 'utf8')];
    for (const b of bytes) {
      if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c) out += String.fromCharCode(b);
      else out += LOGITEM_NAMED[b] ?? `\\x${b.toString(16).padStart(2, '0')}`;
    }
  }
  return out;
}

/**
 * C atol(): optional leading white space, an optional sign, then decimal
 * digits up to the first non-digit; 0 when there are none. Out-of-range
 * values saturate as glibc's strtol does (to ±LONG_MAX, approximated).
 */
export function atol(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(s);
  if (!m || m[2] === '') return 0;
  const LONG_MAX = 9223372036854775807;
  const n = Math.min(Number(m[2]), LONG_MAX);
  return m[1] === '-' && n !== 0 ? -n : n;
}
