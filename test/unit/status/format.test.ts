import { describe, expect, it } from 'vitest';
import {
  aprF,
  aprG,
  atol,
  escapeHtml,
  escapeLogitem,
  formatByteOut,
  formatKbyteOut,
  htTime,
  showTime,
} from '../../../engine/status/format.js';

// Expected values were produced by APR 1.7.x's own apr_gcvt/conv_fp
// (strings/apr_snprintf.c) compiled natively, not by C's printf.
describe('aprG: APR %g', () => {
  it.each([
    [1 / 15, '.0666667'],
    [12.5, '12.5'],
    [0, '0'],
    [0.5, '.5'],
    [-3.25, '-3.25'],
    [123456, '123456'],
    // APR quirks, unlike C's printf:
    [100000, '1.e+5'], // C: 100000
    [1234567, '1234570'], // C: 1.23457e+06
    [0.00001, '1.e-5'], // C: 1e-05
    [999999.5, '1.e+6'], // C: 1e+06
    [1e21, '1.e+21'],
    [Math.fround(0.67), '.67'], // a float promoted to double
    [Infinity, '0.e+79'], // no inf check in %g
  ])('%g -> %s', (value, expected) => {
    expect(aprG(value)).toBe(expected);
  });

  it.each([
    [Math.fround(2.5 / 7505) * 100, '.0333'],
    [1234567, '1230000'],
    [2.675, '2.67'], // the double is 2.67499999…; digits are truncated then rounded
    [99.995, '100'],
    [4039.11, '4040'],
  ])('%%.3g of %d -> %s', (value, expected) => {
    expect(aprG(value, 3)).toBe(expected);
  });
});

describe('aprF: APR %.Nf', () => {
  it.each([
    [0, 2, '0.00'],
    [0.125, 2, '0.13'], // half-up on the digit string (glibc: 0.12)
    [0.5, 2, '0.50'],
    [0.006, 2, '0.01'],
    [0.0001, 2, '0.00'],
    [-0.001, 2, '-0.00'],
    [1.5, 1, '1.5'],
    [-3.25, 1, '-3.3'],
    [1464.84375, 1, '1464.8'],
    [1234567, 2, '1234567.00'],
    [Infinity, 2, 'inf'],
  ])('%d with %d decimals -> %s', (value, precision, expected) => {
    expect(aprF(value, precision)).toBe(expected);
  });
});

describe('showTime', () => {
  it.each([
    [0, ''],
    [1, ' 1 second'],
    [59, ' 59 seconds'],
    [60, ' 1 minute'],
    [7205, ' 2 hours 5 seconds'],
    [7505, ' 2 hours 5 minutes 5 seconds'],
    [90061, ' 1 day 1 hour 1 minute 1 second'],
    [172800, ' 2 days'],
  ])('%d s -> "%s"', (secs, expected) => {
    expect(showTime(secs)).toBe(expected);
  });
});

describe('byte formats', () => {
  it.each([
    [0, '0 B'],
    [5119, '5119 B'],
    [5120, '5.0 kB'],
    [70000, '68.4 kB'],
    [524287, '512.0 kB'],
    [524288, '0.5 MB'],
    [1572864, '1.5 MB'],
    [536870912, '0.5 GB'],
  ])('format_byte_out(%d) = %s', (bytes, expected) => {
    expect(formatByteOut(bytes)).toBe(expected);
  });

  it.each([
    [8, '8 kB'],
    [1023, '1023 kB'],
    [1024, '1.0 MB'],
    [1536, '1.5 MB'],
    [1048576, '1.0 GB'],
  ])('format_kbyte_out(%d) = %s', (kb, expected) => {
    expect(formatKbyteOut(kb)).toBe(expected);
  });
});

describe('htTime: DEFAULT_TIME_FORMAT in local time', () => {
  const t = Date.UTC(2026, 10, 22, 5, 38, 37, 900);
  it('formats like strftime "%A, %d-%b-%Y %H:%M:%S %Z" and drops the milliseconds', () => {
    expect(htTime(t, 'UTC')).toBe('Sunday, 22-Nov-2026 05:38:37 UTC');
  });
  it('uses the zone abbreviation of that date', () => {
    expect(htTime(t, 'Europe/Berlin')).toBe('Sunday, 22-Nov-2026 06:38:37 CET');
    expect(htTime(Date.UTC(2026, 6, 1), 'America/New_York')).toBe('Tuesday, 30-Jun-2026 20:00:00 EDT');
  });
  it('prints tzdata-style offsets for zones without letters', () => {
    expect(htTime(t, 'Asia/Kathmandu')).toBe('Sunday, 22-Nov-2026 11:23:37 +0545');
  });
});

describe('escapes', () => {
  it('ap_escape_html replaces only < > & "', () => {
    expect(escapeHtml(`<a href="x">&'é</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;\'é&lt;/a&gt;');
  });
  it('ap_escape_logitem escapes controls, quotes, backslashes and 8-bit bytes', () => {
    expect(escapeLogitem('GET /a"b\\c\td\n\x01\x7f\xe9 HTTP/1.1')).toBe(
      'GET /a\\"b\\\\c\\td\\n\\x01\\x7f\\xe9 HTTP/1.1',
    );
    expect(escapeLogitem('€')).toBe('\\xe2\\x82\\xac');
  });
});

describe('atol', () => {
  it.each([
    ['5', 5],
    ['  42abc', 42],
    ['-3', -3],
    ['+7', 7],
    ['', 0],
    ['abc', 0],
  ])('atol(%j) = %d', (s, n) => {
    expect(atol(s)).toBe(n);
  });
});
