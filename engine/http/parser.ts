// Incremental HTTP/1.x request reader, behaving like httpd 2.4's core with its defaults
// (HttpProtocolOptions Strict LenientMethods Allow0.9, HostnameLookups/UseCanonicalName irrelevant).
//
// Sources (2.4.x, f45abec1): server/protocol.c (read_request_line, ap_rgetline_core,
// ap_parse_request_line, ap_parse_uri, ap_get_mime_headers_core, ap_read_request,
// ap_check_request_header), server/vhost.c (fix_hostname), modules/http/http_filters.c
// (ap_http_filter, parse_chunk_size, read_chunked_trailers), server/util.c (ap_find_token,
// ap_is_chunked, ap_parse_strict_length), apr-util apr_uri_parse / apr_parse_addr_port.
//
// Pure: no sockets, no timers. Bytes go in with push(); heads and bodies come out.
// Strings are latin1 (one char per byte), so nothing a client sends is lost or re-encoded.

import { isIPv6 } from 'node:net';

export interface RequestLimits {
  /** LimitRequestLine (default 8190) */
  limitRequestLine: number;
  /** LimitRequestFieldSize (default 8190); also bounds chunk-size lines */
  limitRequestFieldSize: number;
  /** LimitRequestFields (default 100, 0 = unlimited) */
  limitRequestFields: number;
  /** LimitRequestBody in bytes (0 = unlimited); 2.4.54+ defaults to 1 GiB */
  limitRequestBody: number;
}

export const DEFAULT_REQUEST_LIMITS: Readonly<RequestLimits> = Object.freeze({
  limitRequestLine: 8190,
  limitRequestFieldSize: 8190,
  limitRequestFields: 100,
  limitRequestBody: 1 << 30, // AP_DEFAULT_LIMIT_REQ_BODY
});

/** HTTP_VERSION(major, minor) from httpd.h: 1.1 → 1001, 0.9 → 9. */
export const httpVersion = (major: number, minor: number): number => major * 1000 + minor;

/**
 * One error_log line httpd would write. Levels and modules are as httpd prints them
 * (protocol.c logs as "core", http_filters.c as "http"). The caller filters by LogLevel:
 * with the default `LogLevel warn` none of these appear.
 */
export interface ProtocolLog {
  level: 'info' | 'debug';
  module: 'core' | 'http';
  /** "AH00565", or "" for the few unnumbered messages */
  ah: string;
  text: string;
  /** errno prefix httpd prints before the text, e.g. "(22)Invalid argument" */
  status?: string;
}

/** What httpd knew about the request line when it failed, for the access log (%r %m %H %U). */
export interface RequestLineInfo {
  /** r->the_request (%r); null when nothing was read (logged as "-") */
  requestLine: string | null;
  method: string | null;
  target: string | null;
  path: string | null;
  protocol: string;
  protoNum: number;
}

export type BodyFraming =
  | { kind: 'none' }
  | { kind: 'length'; length: number }
  | { kind: 'chunked' };

export interface RequestError {
  status: number;
  logs: ProtocolLog[];
  /** r->notes "error-notes": shown in the default 400/414/… page (see errorDocument) */
  errorNotes: string | null;
  /**
   * The connection cannot carry another request: ap_read_request's die_unusable_input,
   * or a body error (bail_out_on_error sets c->keepalive = AP_CONN_CLOSE).
   */
  fatal: boolean;
  /** false when httpd sends no response at all (EOF/timeout before a request line) */
  respond: boolean;
  request: RequestLineInfo;
  /** the complete head, when the error came after it was read (417, bad Host) */
  head: RequestHead | null;
}

export type HeadResult = { kind: 'head'; head: RequestHead } | { kind: 'error'; error: RequestError };

export type BodyResult =
  /** need more bytes; `data` holds the body bytes decoded by this call (maybe none) */
  | { kind: 'more'; data: Buffer[] }
  | { kind: 'done'; data: Buffer[]; trailers: Array<[string, string]> }
  | { kind: 'error'; data: Buffer[]; error: RequestError };

// ---------------------------------------------------------------------------
// Character classes (server/gen_test_char.c, C locale)

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;

/** RFC 7230 tchar; everything else is T_HTTP_TOKEN_STOP (NUL included). */
const TOKEN = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  if (/[0-9A-Za-z]/.test(ch) || "!#$%&'*+-.^_`|~".includes(ch)) TOKEN[c] = 1;
}
/** apr_isspace: SP HT LF VT FF CR */
const isSpace = (c: number): boolean => c === SP || (c >= 0x09 && c <= 0x0d);
/** T_VCHAR_OBSTEXT: visible ASCII or obs-text (0x80+) */
const isVchar = (c: number): boolean => c > SP && c !== 0x7f;
/** T_HTTP_CTRLS: C0 controls except HT, and DEL */
const isCtl = (c: number): boolean => (c < SP && c !== HT) || c === 0x7f;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isXdigit = (c: number): boolean =>
  isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const HAS_UPPER = /[A-Z]/;
const toLowerAscii = (s: string): string => (HAS_UPPER.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s);

/** ASCII case-insensitive: a[at, at+len) equals b[0, len)? (apr's casecmp, without allocating) */
function caseEqAt(a: string, at: number, b: string, len: number): boolean {
  if (at + len > a.length || len > b.length) return false;
  for (let i = 0; i < len; i++) {
    let x = a.charCodeAt(at + i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0x41 && x <= 0x5a) x += 32;
    if (y >= 0x41 && y <= 0x5a) y += 32;
    if (x !== y) return false;
  }
  return true;
}
const caseEq = (a: string, b: string): boolean => a.length === b.length && caseEqAt(a, 0, b, b.length);

/** Core input filter GETLINE reads at most HUGE_STRING_LEN bytes per call. */
const HUGE_STRING_LEN = 8192;
/** DEFAULT_LIMIT_BLANK_LINES: empty lines skipped before a request line */
const LIMIT_BLANK_LINES = 10;
/** LOG_NAME_MAX_LEN in protocol.c */
const LOG_NAME_MAX = 80;

const ERRNO_EINVAL = '(22)Invalid argument';
const ERRNO_ENOSPC = '(28)No space left on device';
const NOTE_FIELD_TOO_LARGE = 'Size of a request header field exceeds server limit.';
const NOTE_TOO_MANY_FIELDS = "The number of request header fields exceeds this server's limit.";

/** field_name_len() + "%.*s": up to the first ':' if within 80 bytes, else 80 bytes. */
function fieldName(s: string): string {
  const c = s.indexOf(':');
  return s.slice(0, c < 0 || c > LOG_NAME_MAX ? LOG_NAME_MAX : c);
}

const core = (level: ProtocolLog['level'], ah: string, text: string, status?: string): ProtocolLog =>
  status === undefined ? { level, module: 'core', ah, text } : { level, module: 'core', ah, text, status };

// ---------------------------------------------------------------------------
// Token helpers (server/util.c), shared with keepalive.ts

/**
 * ap_find_token(): is `tok` one of the tokens in a header value?
 * Quirk kept: httpd compares only the length of the token found in the line
 * (ap_cstr_casecmpn(start, tok, len)), so a line token that is a prefix of `tok`
 * also matches: "Connection: clo" counts as "close".
 */
export function findToken(line: string | null | undefined, tok: string): boolean {
  if (line == null) return false;
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && !isTokenChar(line.charCodeAt(i))) i++;
    if (i >= n) return false;
    const start = i;
    while (i < n && isTokenChar(line.charCodeAt(i))) i++;
    const len = i - start;
    if (len <= tok.length && caseEqAt(line, start, tok, len)) {
      return true;
    }
    if (i >= n) return false;
  }
}
const isTokenChar = (c: number): boolean => c < 256 && TOKEN[c] === 1;

/** ap_is_chunked(): "chunked" is the whole value or its last list element. */
export function isChunked(line: string | null | undefined): boolean {
  if (line == null) return false;
  if (caseEq(line, 'chunked')) return true;
  const lidx = line.length - 7;
  if (lidx < 0) return false;
  if (lidx > 0) {
    const before = line.charCodeAt(lidx - 1);
    if (!(isSpace(before) || before === 0x2c)) return false;
  }
  if (!caseEqAt(line, lidx, 'chunked', 7)) return false;
  // eat spaces right-to-left to see what precedes "chunked"
  let s = lidx;
  while (--s > 0) if (line.charCodeAt(s) !== SP) break;
  const c = line.charCodeAt(s);
  return c === 0x2c || c === SP;
}

/** ap_parse_strict_length(): digits only, fits apr_off_t. Returns null when invalid. */
export function parseStrictLength(s: string): number | null {
  if (!/^[0-9]+$/.test(s)) return null;
  const digits = s.replace(/^0+(?=.)/, '');
  if (digits.length > 19 || (digits.length === 19 && digits > '9223372036854775807')) return null;
  return Number(digits);
}

/** apr_table_get with APR_OVERLAP_TABLES_MERGE semantics: duplicates joined by ", ". */
export function headerGet(headers: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  let out: string | undefined;
  for (const [k, v] of headers) {
    if (caseEq(k, name)) out = out === undefined ? v : `${out}, ${v}`;
  }
  return out;
}

// ---------------------------------------------------------------------------
// The parsed head

export interface RequestHeadFields {
  /** r->the_request, rebuilt with single spaces as ap_parse_request_line does (%r) */
  requestLine: string;
  method: string;
  /** raw request-target, r->unparsed_uri */
  target: string;
  /** r->uri: path part, still %-encoded ("/" or "*" when the target has none) */
  path: string;
  /** r->args: after '?', null when there is no '?' */
  query: string | null;
  /** "HTTP/1.1"; "HTTP/0.9" for a simple request */
  protocol: string;
  protoNum: number;
  /** HTTP/0.9 simple request: no request headers, and the response has no head either */
  assbackwards: boolean;
  /** headers_in after apr_table_compress: duplicates merged into the first one, in order */
  headers: Array<[string, string]>;
  /** r->hostname after fix_hostname (lowercased, port and trailing dot removed) */
  hostname: string | null;
  body: BodyFraming;
  /** Content-Length together with chunked: httpd drops C-L and closes after the response */
  closeConnection: boolean;
  /** r->expecting_100 */
  expecting100: boolean;
  /** debug notes httpd logs even for a good request (AH02417) */
  logs: ProtocolLog[];
}

export interface RequestHead extends Readonly<RequestHeadFields> {}
export class RequestHead {
  constructor(fields: RequestHeadFields) {
    Object.assign(this, fields);
  }

  /** HEAD: r->header_only (HEAD shares M_GET, flagged by its first letter) */
  get headerOnly(): boolean {
    return this.method === 'HEAD';
  }

  /** apr_table_get, case-insensitive */
  get(name: string): string | undefined {
    return headerGet(this.headers, name);
  }

  /** ap_find_token on a request header */
  hasToken(name: string, token: string): boolean {
    return findToken(this.get(name), token);
  }
}

/**
 * What to do about "Expect: 100-continue" when the handler first reads the body
 * (ap_http_filter): send the interim 100, skip reading the body (the response is not
 * 2xx; expecting100 stays set, so ap_set_keepalive closes), or just read.
 */
export function continueAction(
  head: RequestHead,
  status: number,
  opts: { responseStarted?: boolean; bodyBytesSeen?: boolean } = {},
): 'send-100' | 'skip-body' | 'read' {
  const hasBody = head.body.kind === 'chunked' || (head.body.kind === 'length' && head.body.length > 0);
  if (!hasBody || !head.expecting100 || head.protoNum < 1001 || opts.responseStarted) return 'read';
  if (status < 200 || status > 299) return 'skip-body';
  return opts.bodyBytesSeen ? 'read' : 'send-100';
}

// ---------------------------------------------------------------------------
// Byte queue: amortised appends, zero-copy when a chunk arrives on an empty queue.
// Handed-out subarrays stay valid: bytes below `end` are never rewritten.

class ByteQueue {
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  private owned = false;
  /** bytes at the front already known to hold no LF (saves rescans on slow senders) */
  lfFree = 0;

  get length(): number {
    return this.end - this.start;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.start === this.end) {
      this.buf = chunk;
      this.start = 0;
      this.end = chunk.length;
      this.owned = false;
      return;
    }
    if (this.owned && this.end + chunk.length <= this.buf.length) {
      chunk.copy(this.buf, this.end);
      this.end += chunk.length;
      return;
    }
    const live = this.end - this.start;
    const next = Buffer.allocUnsafe(Math.max(2 * (live + chunk.length), 4096));
    this.buf.copy(next, 0, this.start, this.end);
    chunk.copy(next, live);
    this.buf = next;
    this.start = 0;
    this.end = live + chunk.length;
    this.owned = true;
  }

  at(i: number): number {
    return this.buf[this.start + i];
  }

  /** first offset of LF in [0, to), or -1 */
  indexOfLf(to: number): number {
    const lim = Math.min(to, this.length);
    if (lim <= this.lfFree) return -1;
    const i = this.buf.subarray(this.start, this.start + lim).indexOf(LF, this.lfFree);
    if (i < 0) this.lfFree = lim;
    return i;
  }

  slice(from: number, to: number): Buffer {
    return this.buf.subarray(this.start + from, this.start + to);
  }

  consume(n: number): void {
    this.lfFree = 0;
    this.start += n;
    if (this.start >= this.end) {
      this.buf = Buffer.alloc(0);
      this.start = this.end = 0;
      this.owned = false;
    }
  }

  clear(): void {
    this.consume(this.length);
  }
}

// ---------------------------------------------------------------------------
// ap_rgetline_core with AP_GETLINE_CRLF (Strict) and a buffer of limit + 2 bytes.
// The last byte is kept for the NUL, yet a line whose LF is the only byte that does
// not fit is accepted: so a line of limit + 1 bytes (without CRLF) still passes,
// and limit + 2 is the first length refused. We reproduce that.

type GetLine =
  | { kind: 'more' }
  | { kind: 'line'; line: Buffer; consumed: number }
  /** APR_ENOSPC: `text` is what httpd kept (the first limit + 1 bytes, cut at a NUL) */
  | { kind: 'nospc'; text: string }
  /** APR_EINVAL: bare LF (strict) or a NUL byte */
  | { kind: 'inval'; text: string };

function cutAtNul(b: Buffer): string {
  const z = b.indexOf(0);
  return b.toString('latin1', 0, z < 0 ? b.length : z);
}

function getLine(q: ByteQueue, limit: number): GetLine {
  const n = limit + 2;
  const lf = q.indexOfLf(n + 1);
  if (lf < 0) {
    // httpd only fails once a read overflows the buffer, i.e. with n + 1 bytes in hand
    return q.length > n ? { kind: 'nospc', text: cutAtNul(q.slice(0, n - 1)) } : { kind: 'more' };
  }
  if (lf === n && q.at(n - 1) !== CR) return { kind: 'nospc', text: cutAtNul(q.slice(0, n - 1)) };
  if (lf === 0 || q.at(lf - 1) !== CR) {
    return { kind: 'inval', text: cutAtNul(q.slice(0, Math.min(lf + 1, n - 1))) };
  }
  const line = q.slice(0, lf - 1);
  if (line.indexOf(0) >= 0) return { kind: 'inval', text: cutAtNul(line) };
  return { kind: 'line', line, consumed: lf + 1 };
}

// ---------------------------------------------------------------------------
// ap_parse_request_line (strict). Emulated on a NUL-terminated copy of the line,
// because httpd's error choice depends on where it writes its NULs.

const enum Rrl {
  none,
  badmethod,
  badwhitespace,
  excesswhitespace,
  missinguri,
  baduri,
  badprotocol,
  badmethod09,
}

interface ParsedUri {
  ok: boolean;
  scheme: string | null;
  hostname: string | null;
  portStr: string | null;
  user: boolean;
  path: string | null;
  query: string | null;
  fragment: string | null;
}

interface ParsedLine {
  theRequest: string;
  method: string;
  unparsedUri: string;
  uri: string;
  args: string | null;
  protocol: string;
  protoNum: number;
  assbackwards: boolean;
  /** r->hostname taken from an absolute URI (or CONNECT) */
  uriHostname: string | null;
  uriPortStr: string | null;
  error: { logs: ProtocolLog[] } | null;
}

function strpbrkSpace(b: Buffer, i: number): number {
  for (; b[i] !== 0; i++) if (isSpace(b[i])) return i;
  return -1;
}

function cstr(b: Buffer, i: number): string {
  if (i < 0) return '';
  return b.toString('latin1', i, b.indexOf(0, i));
}

function parseRequestLine(line: Buffer): ParsedLine {
  const b = Buffer.alloc(line.length + 2); // zero-filled: NUL terminators
  line.copy(b);
  let deferred = Rrl.none;
  let m = 0;
  if (isSpace(b[0])) {
    deferred = Rrl.badwhitespace;
    while (isSpace(b[m])) m++;
  }
  let ll = m;
  while (TOKEN[b[ll]]) ll++;
  if ((ll === m || (b[ll] !== 0 && !isSpace(b[ll]))) && deferred === Rrl.none) {
    deferred = Rrl.badmethod;
    ll = strpbrkSpace(b, ll);
  }
  let uri = -1; // -1 stands for httpd's "" literal
  let proto = -1;
  scan: {
    if (ll < 0) {
      if (deferred === Rrl.none) deferred = Rrl.missinguri;
      break scan;
    }
    if (b[ll] !== 0 && isSpace(b[ll + 1]) && deferred === Rrl.none) deferred = Rrl.excesswhitespace;
    for (uri = ll; isSpace(b[uri]); uri++) {
      if (b[uri] !== SP && deferred === Rrl.none) deferred = Rrl.badwhitespace;
    }
    b[ll] = 0;
    if (b[uri] === 0 && deferred === Rrl.none) deferred = Rrl.missinguri;
    ll = uri;
    while (isVchar(b[ll])) ll++;
    if (ll === uri || (b[ll] !== 0 && !isSpace(b[ll]))) {
      deferred = Rrl.baduri;
      ll = strpbrkSpace(b, ll);
    }
    if (ll < 0) break scan;
    if (b[ll] !== 0 && isSpace(b[ll + 1]) && deferred === Rrl.none) deferred = Rrl.excesswhitespace;
    for (proto = ll; isSpace(b[proto]); proto++) {
      if (b[proto] !== SP && deferred === Rrl.none) deferred = Rrl.badwhitespace;
    }
    b[ll] = 0;
    ll = proto;
    while (isVchar(b[ll])) ll++;
    if (b[ll] !== 0 && !isSpace(b[ll])) deferred = Rrl.badprotocol;
    else if (b[ll] !== 0) deferred = Rrl.excesswhitespace; // Strict: no trailing whitespace
    b[ll] = 0;
  }
  const method = cstr(b, m);
  const uriStr = cstr(b, uri);
  let protocol = cstr(b, proto);
  // apr_pstrcat stops at the first NULL: an empty URI hides the protocol too
  const theRequest = uriStr ? (protocol ? `${method} ${uriStr} ${protocol}` : `${method} ${uriStr}`) : method;

  let protoNum: number;
  let assbackwards = false;
  if (protocol.length === 8 && /^HTTP\/[1-9]\.[0-9]$/.test(protocol)) {
    protoNum = httpVersion(protocol.charCodeAt(5) - 0x30, protocol.charCodeAt(7) - 0x30);
  } else if (protocol.length === 8 && /^[Hh][Tt][Tt][Pp]\/[1-9]\.[0-9]$/.test(protocol)) {
    protoNum = httpVersion(protocol.charCodeAt(5) - 0x30, protocol.charCodeAt(7) - 0x30);
    if (deferred === Rrl.none) deferred = Rrl.badprotocol; // Strict: "HTTP" must be upper case
  } else if (protocol) {
    protoNum = 9;
    if (deferred === Rrl.none) deferred = Rrl.badprotocol;
  } else {
    assbackwards = true;
    protocol = 'HTTP/0.9';
    protoNum = 9;
  }

  const isGet = method === 'GET' || method === 'HEAD'; // M_GET
  const parsed = parseUri(uriStr, method === 'CONNECT');
  let badTarget = !parsed.ok;
  let uriHostname: string | null = null;
  let path: string;
  if (parsed.ok) {
    if (parsed.scheme && toLowerAscii(parsed.scheme) === 'http') uriHostname = parsed.hostname;
    else if (method === 'CONNECT') uriHostname = parsed.hostname;
    path = parsed.path ?? (method === 'OPTIONS' ? '*' : '/');
    // RFC 7230 5.3: origin-form must start with '/', except OPTIONS *
    if (parsed.path !== null && parsed.path[0] !== '/' && !(method === 'OPTIONS' && parsed.path === '*')) {
      badTarget = true;
    }
  } else {
    path = collapseSlashes(uriStr);
  }

  if (protoNum === 9 && deferred === Rrl.none && (!isGet || method === 'HEAD')) deferred = Rrl.badmethod09;

  const result: ParsedLine = {
    theRequest,
    method,
    unparsedUri: uriStr,
    uri: path,
    args: parsed.ok ? parsed.query : null,
    protocol,
    protoNum,
    assbackwards,
    uriHostname,
    uriPortStr: parsed.ok ? parsed.portStr : null,
    error: null,
  };

  let msg: string | null = null;
  let ah = '';
  switch (deferred) {
    case Rrl.badmethod:
      [ah, msg] = ['AH03445', `HTTP Request Line; Invalid method token: '${fieldName(method)}'`];
      break;
    case Rrl.badmethod09:
      [ah, msg] = [
        'AH03444',
        `HTTP Request Line; Invalid method token: '${fieldName(method)}' (only GET is allowed for HTTP/0.9 requests)`,
      ];
      break;
    case Rrl.missinguri:
      [ah, msg] = ['AH03446', 'HTTP Request Line; Missing URI'];
      break;
    case Rrl.baduri:
      [ah, msg] = ['AH03454', `HTTP Request Line; URI incorrectly encoded: '${fieldName(uriStr)}'`];
      break;
    case Rrl.badwhitespace:
      [ah, msg] = ['AH03447', 'HTTP Request Line; Invalid whitespace'];
      break;
    case Rrl.excesswhitespace:
      [ah, msg] = ['AH03448', 'HTTP Request Line; Excess whitespace (disallowed by HttpProtocolOptions Strict)'];
      break;
    case Rrl.badprotocol:
      [ah, msg] = [
        'AH02418',
        `HTTP Request Line; Unrecognized protocol '${fieldName(protocol)}' (perhaps whitespace was injected?)`,
      ];
      break;
    case Rrl.none:
      if (badTarget) {
        [ah, msg] = ['AH03450', `HTTP Request Line; Unable to parse URI: '${fieldName(path)}'`];
      } else if (parsed.fragment !== null) {
        [ah, msg] = ['AH02421', 'HTTP Request Line; URI must not contain a fragment'];
      } else if (parsed.user) {
        [ah, msg] = ['AH02422', 'HTTP Request Line; URI must not contain a username/password'];
      }
      break;
  }
  if (msg !== null) {
    result.error = { logs: [core('debug', ah, msg)] };
    if (protoNum === 9) {
      // rrl_failed: a failed 0.9-looking line is answered as HTTP/1.0
      result.protoNum = 1000;
      result.protocol = 'HTTP/1.0';
      result.assbackwards = false;
    }
  }
  return result;
}

/** ap_parse_uri treats a leading "//" as a path, not an authority. */
function collapseSlashes(u: string): string {
  let i = 0;
  while (u.charCodeAt(i) === 0x2f && u.charCodeAt(i + 1) === 0x2f) i++;
  return i ? u.slice(i) : u;
}

/** strtol(port, &end, 10) consumed everything */
const strtolWhole = (s: string): boolean => /^[\t\n\v\f\r ]*[+-]?[0-9]+$/.test(s);

/** ap_parse_uri → apr_uri_parse (or apr_uri_parse_hostinfo for CONNECT). */
function parseUri(raw: string, connect: boolean): ParsedUri {
  const u = collapseSlashes(raw);
  const r: ParsedUri = {
    ok: true, scheme: null, hostname: null, portStr: null, user: false, path: null, query: null, fragment: null,
  };
  const fail = (): ParsedUri => ({ ...r, ok: false });

  if (connect) {
    let s: number;
    let host: string;
    if (u[0] === '[') {
      const rsb = u.indexOf(']');
      if (rsb < 0 || u[rsb + 1] !== ':') return fail();
      s = rsb + 1;
      host = u.slice(1, rsb);
    } else {
      s = u.indexOf(':');
      if (s < 0) return fail();
      host = u.slice(0, s);
    }
    r.hostname = host;
    r.portStr = u.slice(s + 1);
    if (r.portStr === '' || !strtolWhole(r.portStr)) return fail();
    return r;
  }

  const dealWithPath = (p: number): ParsedUri => {
    let s = p;
    while (s < u.length && u[s] !== '?' && u[s] !== '#') s++;
    if (s !== p) r.path = u.slice(p, s);
    if (s >= u.length) return r;
    if (u[s] === '?') {
      const hash = u.indexOf('#', s + 1);
      if (hash >= 0) {
        r.fragment = u.slice(hash + 1);
        r.query = u.slice(s + 1, hash);
      } else {
        r.query = u.slice(s + 1);
      }
      return r;
    }
    r.fragment = u.slice(s + 1);
    return r;
  };

  // (the "//authority" form after a leading '/' cannot occur: the slashes were collapsed)
  if (u[0] === '/') return dealWithPath(0);

  let s = 0;
  if (isAlpha(u.charCodeAt(0))) {
    s = 1;
    while (s < u.length && /[A-Za-z0-9+.-]/.test(u[s])) s++;
  }
  if (s !== 0 && u[s] === ':') {
    r.scheme = u.slice(0, s);
    s++;
  } else {
    s = 0;
  }
  if (u[s] !== '/' || u[s + 1] !== '/') {
    if (s === 0) {
      // RFC 3986 3.3: without scheme, the first segment must not contain ':'
      const slash = u.indexOf('/');
      const colon = u.indexOf(':');
      if (colon >= 0 && (slash < 0 || colon < slash)) return fail();
    }
    return dealWithPath(s);
  }
  s += 2;
  // authority
  let e = s;
  while (e < u.length && u[e] !== '/' && u[e] !== '?' && u[e] !== '#') e++;
  let h = s;
  const at = u.lastIndexOf('@', e - 1);
  if (at >= s) {
    r.user = true; // user and/or password present
    h = at + 1;
  }
  let portSep = -1;
  if (u[h] === '[') {
    const rsb = u.indexOf(']', h);
    if (rsb < 0 || rsb >= e) return fail();
    if (u[rsb + 1] === ':' && rsb + 1 < e) portSep = rsb + 1;
    r.hostname = u.slice(h + 1, portSep >= 0 ? portSep - 1 : e - 1);
  } else {
    const c = u.indexOf(':', h);
    if (c >= 0 && c < e) portSep = c;
    r.hostname = u.slice(h, portSep >= 0 ? portSep : e);
  }
  if (portSep >= 0) {
    r.portStr = u.slice(portSep + 1, e);
    if (r.portStr !== '' && !strtolWhole(r.portStr)) return fail();
  }
  return dealWithPath(e);
}

// ---------------------------------------------------------------------------
// fix_hostname (server/vhost.c), strict

interface HostCheck {
  ok: boolean;
  hostname: string | null;
  portStr: string | null;
  v6: boolean;
  logs: ProtocolLog[];
}

/** apr_parse_addr_port for a Host header: host[:port] or [v6][:port] */
function parseAddrPort(str: string): { host: string; port: string | null } | null {
  let ch = str.length - 1;
  const lastchar0 = ch;
  while (ch >= 0 && isDigit(str.charCodeAt(ch))) ch--;
  let lastchar = lastchar0;
  let port: string | null = null;
  if (ch < 0) return null; // all digits: rejected earlier by the strict numeric check
  if (str[ch] === ':' && ch < lastchar0) {
    if (ch === 0) return null;
    const p = Number(str.slice(ch + 1));
    if (p < 1 || p > 65535) return null;
    port = str.slice(ch + 1);
    lastchar = ch - 1;
  }
  const addr = str.slice(0, lastchar + 1);
  if (str[0] === '[') {
    const rb = addr.indexOf(']');
    if (rb < 0 || rb !== addr.length - 1) return null;
    if (addr.includes('%')) return null; // scope ids are refused by fix_hostname
    const inner = addr.slice(1, -1);
    if (!isIPv6(inner)) return null;
    return { host: inner, port };
  }
  return { host: addr, port };
}

function strictHostnameCheck(host: string): string | null {
  let dotted = true;
  let leadingZeroes = false;
  let dots = 0;
  let i = 0;
  for (; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (isAlpha(c) || c === 0x2d || c === 0x5f) dotted = false;
    else if (c === 0x2e) {
      dots++;
      if (host[i + 1] === '0' && isDigit(host.charCodeAt(i + 2))) leadingZeroes = true;
    } else if (!isDigit(c)) {
      return `[strict] Invalid host name '${host}', problem near: ${host.slice(i, i + 6)}`;
    }
  }
  if (dotted) {
    if (host[0] === '.' || (host[0] === '0' && isDigit(host.charCodeAt(1)))) leadingZeroes = true;
    if (leadingZeroes || dots !== 3) return `[strict] Invalid host name '${host}'`;
  } else {
    // the top-level domain must start with a letter (RFC 1123 2.1)
    const dot = host.lastIndexOf('.');
    if (dot >= 0 && dot + 1 < host.length && !isAlpha(host.charCodeAt(dot + 1))) {
      return `[strict] Invalid host name '${host}', problem near: ${host.slice(dot, dot + 6)}`;
    }
  }
  return null;
}

/** fix_hostname_v6_literal: hex digits, ':' and '.', one "::", no ":." ".:" ".." */
function v6LiteralOk(host: string): boolean {
  let doubleColon = false;
  for (let i = 0; i < host.length; i++) {
    const c = host[i];
    const next = host[i + 1];
    if (isXdigit(host.charCodeAt(i))) continue;
    if (c === ':') {
      if (next === ':') {
        if (doubleColon) return false;
        doubleColon = true;
      } else if (next === '.') return false;
    } else if (c === '.') {
      if (next === ':' || next === '.') return false;
    } else return false;
  }
  return true;
}

function fixHostname(src: string, fromHeader: boolean): HostCheck {
  const out: HostCheck = { ok: true, hostname: fromHeader ? null : src, portStr: null, v6: false, logs: [] };
  if (src === '') return out; // RFC 2616: Host may be blank
  const bad = (extra?: ProtocolLog): HostCheck => {
    if (extra) out.logs.push(extra);
    out.logs.push(core('debug', 'AH00550', `Client sent malformed Host header: ${src}`));
    return { ...out, ok: false };
  };
  if (/^[0-9]+$/.test(src)) {
    out.logs.push(core('debug', 'AH02416', `[strict] purely numeric host names not allowed: ${src}`));
    return { ...out, ok: false };
  }
  let host: string;
  if (fromHeader) {
    const ap = parseAddrPort(src);
    if (!ap) return bad();
    host = ap.host;
    out.portStr = ap.port;
    out.v6 = src[0] === '[';
  } else {
    host = src;
    out.v6 = host.includes(':');
  }
  if (out.v6) {
    if (!v6LiteralOk(host)) return bad();
    host = host.toLowerCase();
  } else {
    if (host.includes('..') || /[/\\]/.test(host)) return bad();
    host = toLowerAscii(host);
    if (host.endsWith('.')) host = host.slice(0, -1);
    const err = strictHostnameCheck(host);
    if (err) return bad(core('debug', 'AH02415', err));
  }
  out.hostname = host;
  return out;
}

// ---------------------------------------------------------------------------
// ap_get_mime_headers_core, line by line (also used for chunked trailers)

interface FieldError {
  logs: ProtocolLog[];
  errorNotes: string | null;
}

class FieldReader {
  readonly fields: Array<[string, string]> = [];
  private last: Buffer | null = null;
  private count = 0;

  constructor(
    private readonly fieldSize: number,
    private readonly maxFields: number,
  ) {}

  /** Feed one getLine() result. Returns 'more', 'end', or the error httpd stops on. */
  step(g: Exclude<GetLine, { kind: 'more' }>): 'more' | 'end' | FieldError {
    if (g.kind === 'nospc') {
      return {
        logs: [
          core('debug', '', `Failed to read request header line ${g.text}`, ERRNO_ENOSPC),
          core(
            'info',
            'AH00561',
            `Request header exceeds LimitRequestFieldSize${g.text ? ': ' : ''}${fieldName(g.text)}`,
          ),
        ],
        errorNotes: NOTE_FIELD_TOO_LARGE,
      };
    }
    if (g.kind === 'inval') {
      return { logs: [core('debug', '', `Failed to read request header line ${g.text}`, ERRNO_EINVAL)], errorNotes: null };
    }
    const line = g.line;
    // trailing whitespace never matters: collapse it, but keep a lone one
    let len = line.length;
    while (len > 1 && (line[len - 1] === HT || line[len - 1] === SP)) len--;

    if (len > 0 && (line[0] === HT || line[0] === SP)) {
      // obs-fold: appended to the previous field with a single SP (RFC 7230 3.2.4)
      if (this.last === null) {
        return { logs: [core('debug', 'AH03442', 'Line folding encountered before first header line')], errorNotes: null };
      }
      if (len === 1) return { logs: [core('debug', 'AH03443', 'Empty folded line encountered')], errorNotes: null };
      let s = 0;
      while (line[s + 1] === HT || line[s + 1] === SP) s++;
      const foldLen = this.last.length + (len - s) + 1;
      if (foldLen >= this.fieldSize) {
        return {
          logs: [
            core(
              'info',
              'AH00562',
              `Request header exceeds LimitRequestFieldSize after folding: ${fieldName(this.last.toString('latin1'))}`,
            ),
          ],
          errorNotes: NOTE_FIELD_TOO_LARGE,
        };
      }
      this.last = Buffer.concat([this.last, Buffer.from(' '), line.subarray(s + 1, len)]);
      return 'more';
    }
    if (this.last !== null) {
      const err = this.addField(this.last);
      if (err) return err;
    }
    if (len === 0) return this.finish();
    this.last = line.subarray(0, len);
    return 'more';
  }

  private addField(f: Buffer): FieldError | null {
    if (this.maxFields && ++this.count > this.maxFields) {
      return {
        logs: [core('info', 'AH00563', 'Number of request headers exceeds LimitRequestFields')],
        errorNotes: NOTE_TOO_MANY_FIELDS,
      };
    }
    let i = 0;
    while (i < f.length && TOKEN[f[i]]) i++;
    if (i === 0 || f[i] !== COLON) {
      return {
        logs: [core('debug', 'AH02426', `Request header field name is malformed: ${f.toString('latin1', 0, LOG_NAME_MAX)}`)],
        errorNotes: null,
      };
    }
    let v = i + 1;
    while (f[v] === SP || f[v] === HT) v++;
    for (let j = v; j < f.length; j++) {
      if (isCtl(f[j])) {
        return {
          logs: [core('debug', 'AH02427', `Request header value is malformed: ${f.toString('latin1', v, v + LOG_NAME_MAX)}`)],
          errorNotes: null,
        };
      }
    }
    this.fields.push([f.toString('latin1', 0, i), f.toString('latin1', v)]);
    return null;
  }

  /** apr_table_compress(MERGE), then LimitRequestFieldSize on the merged values. */
  private finish(): 'end' | FieldError {
    const merged = mergeFields(this.fields);
    this.fields.length = 0;
    this.fields.push(...merged);
    for (const [k, v] of merged) {
      if (v.length > this.fieldSize) {
        return {
          logs: [core('info', 'AH00560', `Request header exceeds LimitRequestFieldSize after merging: ${fieldName(k)}`)],
          errorNotes: NOTE_FIELD_TOO_LARGE,
        };
      }
    }
    return 'end';
  }
}

/** apr_table_compress(APR_OVERLAP_TABLES_MERGE): order kept, duplicates join the first. */
function mergeFields(fields: Array<[string, string]>): Array<[string, string]> {
  if (fields.length < 2) return fields.slice();
  // a handful of fields (LimitRequestFields caps them): a scan beats a Map of lowercased names
  const out: Array<[string, string]> = [];
  for (const [k, v] of fields) {
    let at = -1;
    for (let j = 0; j < out.length && at < 0; j++) if (caseEq(out[j][0], k)) at = j;
    if (at < 0) out.push([k, v]);
    else out[at][1] = `${out[at][1]}, ${v}`;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Body: ap_http_filter (content-length and chunked, strict)

const enum Chunk {
  size, // BODY_CHUNK: expecting a chunk-size line
  part, // BODY_CHUNK_PART: in the hex digits
  ext, // BODY_CHUNK_EXT
  cr, // BODY_CHUNK_CR: after BWS
  lf, // BODY_CHUNK_LF: after CR
  data, // BODY_CHUNK_DATA
  end, // BODY_CHUNK_END: CRLF after data
  endLf, // BODY_CHUNK_END_LF
  trailer, // BODY_CHUNK_TRAILER
}

type ChunkParse = 'ok' | 'inval' | 'nospc';

class BodyReader {
  private remaining = 0;
  private limitUsed = 0;
  private started = false;
  private state: Chunk = Chunk.size;
  private chunkBits = 0;
  private chunkUsed = 0;
  private chunkBws = 0;
  /** first significant hex digit (sizes past 2^53 lose precision as numbers) */
  private leadDigit = 0;
  private trailers: FieldReader | null = null;

  constructor(
    private readonly framing: BodyFraming,
    private readonly limits: RequestLimits,
  ) {}

  read(q: ByteQueue): { kind: 'more' | 'done'; data: Buffer[]; trailers?: Array<[string, string]> } | BodyFailure {
    const data: Buffer[] = [];
    const f = this.framing;
    if (f.kind === 'none') return { kind: 'done', data };
    const limit = this.limits.limitRequestBody;
    if (f.kind === 'length') {
      if (!this.started) {
        this.started = true;
        this.remaining = f.length;
        if (limit && limit < f.length) {
          return bodyError(413, [
            {
              level: 'info',
              module: 'http',
              ah: 'AH01588',
              text: `Requested content-length of ${f.length} is larger than the configured limit of ${limit}`,
            },
          ]);
        }
      }
      const take = Math.min(this.remaining, q.length);
      if (take > 0) {
        data.push(q.slice(0, take));
        q.consume(take);
        this.remaining -= take;
      }
      return { kind: this.remaining === 0 ? 'done' : 'more', data };
    }
    this.started = true;
    for (;;) {
      if (this.state === Chunk.data) {
        // reads are HUGE_STRING_LEN at most, as ap_discard_request_body asks for
        const take = Math.min(this.remaining, q.length, HUGE_STRING_LEN);
        if (take === 0) return { kind: 'more', data };
        data.push(q.slice(0, take));
        q.consume(take);
        this.remaining -= take;
        if (this.remaining === 0) {
          this.state = Chunk.end;
          this.chunkUsed = 0;
        }
        if (limit) {
          this.limitUsed += take;
          if (limit < this.limitUsed) {
            const e = bodyError(413, [
              {
                level: 'info',
                module: 'http',
                ah: 'AH01591',
                text: `Read content length of ${this.limitUsed} is larger than the configured limit of ${limit}`,
              },
            ]);
            return { ...e, data };
          }
        }
        continue;
      }
      if (this.state === Chunk.trailer) {
        this.trailers ??= new FieldReader(this.limits.limitRequestFieldSize, this.limits.limitRequestFields);
        const g = getLine(q, this.limits.limitRequestFieldSize);
        if (g.kind === 'more') return { kind: 'more', data };
        if (g.kind === 'line') q.consume(g.consumed);
        const r = this.trailers.step(g);
        if (r === 'more') continue;
        if (r === 'end') return { kind: 'done', data, trailers: this.trailers.fields };
        const notes = r.errorNotes ? `: ${r.errorNotes}` : '';
        const e = bodyError(400, [
          ...r.logs,
          { level: 'info', module: 'http', ah: 'AH02656', text: `Error while reading HTTP trailer: 400${notes}` },
        ]);
        return { ...e, data };
      }
      // a chunk-size line or the CRLF after data: GETLINE hands over up to LF, or 8192 bytes
      const lf = q.indexOfLf(HUGE_STRING_LEN);
      let n: number;
      if (lf >= 0) n = lf + 1;
      else if (q.length >= HUGE_STRING_LEN) n = HUGE_STRING_LEN;
      else return { kind: 'more', data };
      const piece = q.slice(0, n);
      q.consume(n);
      const rv = this.parseChunkSize(piece);
      if (rv !== 'ok') {
        const e = bodyError(rv === 'nospc' ? 413 : 400, [
          {
            level: 'info',
            module: 'http',
            ah: 'AH01590',
            text: `Error reading/parsing chunk ${rv === 'nospc' ? '(overflow)' : ''} `,
            status: rv === 'nospc' ? ERRNO_ENOSPC : ERRNO_EINVAL,
          },
        ]);
        return { ...e, data };
      }
    }
  }

  /** parse_chunk_size(): strict CRLF, up to 10 BWS, 63-bit sizes, line ≤ LimitRequestFieldSize. */
  private parseChunkSize(buf: Buffer): ChunkParse {
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i];
      if (this.state === Chunk.end || this.state === Chunk.endLf) {
        if (c === LF) {
          if (this.state !== Chunk.endLf) return 'inval'; // CR missing before LF
          this.state = Chunk.size;
        } else if (c === CR && this.state === Chunk.end) {
          this.state = Chunk.endLf;
        } else {
          return 'inval';
        }
        continue;
      }
      if (this.state === Chunk.size) {
        if (!isXdigit(c)) return 'inval';
        this.state = Chunk.part;
        this.remaining = 0;
        this.chunkBits = 64;
        this.chunkUsed = 0;
        this.chunkBws = 0;
      }
      if (c === LF) {
        if (this.state !== Chunk.lf) return 'inval';
        this.state = this.remaining ? Chunk.data : Chunk.trailer;
      } else if (this.state === Chunk.lf) {
        return 'inval';
      } else if (c === CR) {
        this.state = Chunk.lf;
      } else if (c === 0x3b /* ; */) {
        this.state = Chunk.ext;
      } else if (this.state === Chunk.ext) {
        if (c !== HT && (c < SP || c === 0x7f)) return 'inval';
      } else if (c === SP || c === HT) {
        this.state = Chunk.cr;
        if (++this.chunkBws > 10) return 'inval';
      } else if (this.state === Chunk.cr) {
        return 'inval';
      } else if (this.state === Chunk.part) {
        if (!this.remaining && c === 0x30) continue; // leading zeros are free
        this.chunkBits -= 4;
        if (this.chunkBits < 0) return 'nospc';
        if (!isXdigit(c)) return 'inval';
        const x = c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
        if (this.remaining === 0) this.leadDigit = x;
        // apr_off_t is signed: 16 digits led by 8..f overflow into the sign bit
        if (this.chunkBits === 0 && this.leadDigit >= 8) return 'nospc';
        this.remaining = this.remaining * 16 + x;
      } else {
        return 'inval';
      }
    }
    this.chunkUsed += buf.length;
    return this.chunkUsed > this.limits.limitRequestFieldSize ? 'nospc' : 'ok';
  }
}

interface BodyFailure {
  kind: 'error';
  status: number;
  logs: ProtocolLog[];
  data: Buffer[];
}

const bodyError = (status: number, logs: ProtocolLog[]): BodyFailure => ({ kind: 'error', status, logs, data: [] });

// ---------------------------------------------------------------------------
// RequestReader

export type ReaderPhase = 'request-line' | 'headers' | 'body' | 'dead';

export class RequestReader {
  private readonly q = new ByteQueue();
  private readonly limits: RequestLimits;
  private phase_: ReaderPhase = 'request-line';
  private blankLeft = LIMIT_BLANK_LINES;
  private sawBytes = false;
  private line: ParsedLine | null = null;
  private fields: FieldReader | null = null;
  private head: RequestHead | null = null;
  private body: BodyReader | null = null;

  constructor(limits: Partial<RequestLimits> = {}) {
    this.limits = { ...DEFAULT_REQUEST_LIMITS, ...limits };
  }

  push(chunk: Buffer): void {
    if (this.phase_ === 'dead') return; // die_unusable_input: later input reads as EOF
    if (chunk.length > 0) this.sawBytes = true;
    this.q.push(chunk);
  }

  /** bytes received but not consumed yet (e.g. a pipelined next request) */
  get buffered(): number {
    return this.q.length;
  }

  /**
   * Hand over the bytes received but not consumed (a pipelined next request),
   * between requests only: the event MPM parks a connection in its listener and
   * the next request may be read by another thread.
   */
  takeBuffered(): Buffer {
    if (this.phase_ !== 'request-line' && !(this.phase_ === 'body' && this.head?.body.kind === 'none')) {
      throw new Error('RequestReader: only whole requests can be handed over');
    }
    const out = Buffer.from(this.q.slice(0, this.q.length));
    this.q.clear();
    return out;
  }

  /** any byte of the current request seen (skipped blank lines count) */
  get sawAnyByte(): boolean {
    return this.sawBytes;
  }

  get phase(): ReaderPhase {
    return this.phase_;
  }

  /** The next request head; null = need more bytes. */
  readHead(): HeadResult | null {
    if (this.phase_ === 'dead') return null;
    if (this.phase_ === 'body') {
      if (this.head && this.head.body.kind !== 'none') {
        throw new Error('RequestReader: read (or discard) the previous body before the next head');
      }
      this.nextRequest();
    }
    if (this.phase_ === 'request-line') {
      const r = this.readRequestLine();
      if (r !== undefined) return r;
    }
    if (this.phase_ === 'headers') return this.readHeaders();
    return null;
  }

  /** Consume body bytes of the last head (call until 'done' or 'error'). */
  readBody(): BodyResult {
    if (this.phase_ === 'request-line') return { kind: 'done', data: [], trailers: [] }; // nothing pending
    if (this.phase_ !== 'body' || !this.body || !this.head) {
      throw new Error(`RequestReader: no body to read in phase ${this.phase_}`);
    }
    const r = this.body.read(this.q);
    if (r.kind === 'error') {
      const error = this.fail(r.status, r.logs, null, true, this.head);
      return { kind: 'error', data: r.data, error };
    }
    if (r.kind === 'done') {
      this.nextRequest();
      return { kind: 'done', data: r.data, trailers: r.trailers ?? [] };
    }
    return { kind: 'more', data: r.data };
  }

  /**
   * The peer closed its side. What httpd does depends on how far the request got:
   * before/inside the request line nothing is sent; inside the headers a 400 is sent
   * and logged; inside a body the read fails with 400.
   */
  onEof(): RequestError | null {
    switch (this.phase_) {
      case 'request-line':
        return null;
      case 'headers': {
        // ap_rgetline hands back the partial line; printf prints a NULL one as "(null)"
        const partial = this.q.length ? cutAtNul(this.q.slice(0, this.limits.limitRequestFieldSize + 1)) : '(null)';
        return this.fail(
          400,
          [
            core('debug', '', `Failed to read request header line ${partial}`, '(70014)End of file found'),
            core('debug', 'AH00567', 'request failed: error reading the headers'),
          ],
          null,
          true,
        );
      }
      case 'body':
        return this.head && this.head.body.kind !== 'none' ? this.fail(400, [], null, true, this.head) : null;
      default:
        return null;
    }
  }

  /**
   * Timeout (Timeout, or KeepAliveTimeout while waiting for the request line):
   * 408. Before a request line httpd sends nothing; it logs the 408 only on the
   * first request of a connection (keepalives == 0), which is the caller's to know.
   */
  onTimeout(): RequestError | null {
    switch (this.phase_) {
      case 'request-line': {
        const e = this.fail(408, [], null, true);
        e.respond = false;
        return e;
      }
      case 'headers':
        return this.fail(408, [core('debug', 'AH00567', 'request failed: error reading the headers')], null, true);
      case 'body':
        return this.head && this.head.body.kind !== 'none' ? this.fail(408, [], null, true, this.head) : null;
      default:
        return null;
    }
  }

  // -- phases ---------------------------------------------------------------

  private nextRequest(): void {
    this.phase_ = 'request-line';
    this.blankLeft = LIMIT_BLANK_LINES;
    this.sawBytes = this.q.length > 0;
    this.line = null;
    this.fields = null;
    this.head = null;
    this.body = null;
  }

  /** read_request_line + ap_parse_request_line; undefined = continue with headers */
  private readRequestLine(): HeadResult | null | undefined {
    for (;;) {
      const g = getLine(this.q, this.limits.limitRequestLine);
      if (g.kind === 'more') return null;
      if (g.kind === 'nospc') {
        return this.error(
          414,
          [
            core(
              'info',
              'AH00565',
              `request failed: client's request-line exceeds LimitRequestLine (longer than ${this.limits.limitRequestLine})`,
            ),
          ],
          null,
          { requestLine: g.text },
        );
      }
      if (g.kind === 'inval') {
        return this.error(400, [core('debug', 'AH00566', 'request failed: malformed request line')], null, {
          requestLine: g.text,
        });
      }
      this.q.consume(g.consumed);
      // browsers may send CRLF after a POST body: skip up to 10 empty lines; an 11th is parsed (and fails)
      if (g.line.length === 0 && this.blankLeft-- > 0) continue;
      const pl = parseRequestLine(g.line);
      this.line = pl;
      if (pl.error) return this.error(400, pl.error.logs, null);
      if (pl.assbackwards) return this.complete([]);
      this.phase_ = 'headers';
      this.fields = new FieldReader(this.limits.limitRequestFieldSize, this.limits.limitRequestFields);
      return undefined;
    }
  }

  private readHeaders(): HeadResult | null {
    const fr = this.fields!;
    for (;;) {
      const g = getLine(this.q, this.limits.limitRequestFieldSize);
      if (g.kind === 'more') return null;
      if (g.kind === 'line') this.q.consume(g.consumed);
      const r = fr.step(g);
      if (r === 'more') continue;
      if (r === 'end') return this.complete(fr.fields);
      return this.error(400, [...r.logs, core('debug', 'AH00567', 'request failed: error reading the headers')], r.errorNotes);
    }
  }

  /** the rest of ap_read_request: C-L / T-E checks, then ap_check_request_header */
  private complete(headers: Array<[string, string]>): HeadResult {
    const pl = this.line!;
    const logs: ProtocolLog[] = [];
    let closeConnection = false;
    const clen = headerGet(headers, 'Content-Length');
    let length: number | null = null;
    if (clen !== undefined) {
      length = parseStrictLength(clen);
      if (length === null) {
        return this.error(400, [core('debug', 'AH10242', `client sent invalid Content-Length (${clen}): ${pl.uri}`)], null);
      }
    }
    const tenc = headerGet(headers, 'Transfer-Encoding');
    if (tenc !== undefined) {
      if (!isChunked(tenc)) {
        return this.error(400, [core('debug', 'AH02539', `client sent unknown Transfer-Encoding (${tenc}): ${pl.uri}`)], null);
      }
      if (clen !== undefined) {
        // RFC 7230 3.3.3: T-E wins; don't reuse the connection (request smuggling)
        headers = headers.filter(([k]) => toLowerAscii(k) !== 'content-length');
        closeConnection = true;
      }
    }
    const body: BodyFraming =
      tenc !== undefined ? { kind: 'chunked' } : length !== null ? { kind: 'length', length } : { kind: 'none' };

    // ap_update_vhost_from_headers_ex → fix_hostname
    let hostname: string | null = null;
    let hostBad: ProtocolLog[] | null = null;
    const hostHeader = headerGet(headers, 'Host');
    if (pl.uriHostname !== null) {
      const h = fixHostname(pl.uriHostname, false);
      if (!h.ok) hostBad = h.logs;
      else {
        hostname = h.hostname;
        if (hostHeader !== undefined) {
          const repl = (h.v6 ? `[${hostname}]` : hostname) + (pl.uriPortStr !== null ? `:${pl.uriPortStr}` : '');
          headers = headers.map(([k, v]) => (toLowerAscii(k) === 'host' ? [k, repl] : [k, v]));
          logs.push(core('debug', 'AH02417', `Replacing host header '${hostHeader}' with host '${repl}' given in the request uri`));
        }
      }
    } else if (hostHeader !== undefined) {
      const h = fixHostname(hostHeader, true);
      if (!h.ok) hostBad = h.logs;
      else hostname = h.hostname;
    }

    let expecting100 = false;
    const head = (): RequestHead =>
      new RequestHead({
        requestLine: pl.theRequest,
        method: pl.method,
        target: pl.unparsedUri,
        path: pl.uri,
        query: pl.args,
        protocol: pl.protocol,
        protoNum: pl.protoNum,
        assbackwards: pl.assbackwards,
        headers,
        hostname,
        body,
        closeConnection,
        expecting100,
        logs,
      });
    this.phase_ = 'body';
    this.body = new BodyReader(body, this.limits);

    if (hostBad) {
      const h = head();
      this.head = h;
      return { kind: 'error', error: this.fail(400, [...logs, ...hostBad], null, false, h) };
    }
    if ((hostname === null && pl.protoNum >= 1001) || (pl.protoNum === 1001 && hostHeader === undefined)) {
      const h = head();
      this.head = h;
      const text = `client sent HTTP/1.1 request without hostname (see RFC2616 section 14.23): ${pl.uri}`;
      return { kind: 'error', error: this.fail(400, [...logs, core('debug', 'AH00569', text)], null, false, h) };
    }
    const expect = headerGet(headers, 'Expect');
    if (expect !== undefined && expect !== '') {
      if (toLowerAscii(expect) === '100-continue') {
        expecting100 = true;
      } else {
        const h = head();
        this.head = h;
        const text = `client sent an unrecognized expectation value of Expect: ${expect}`;
        return { kind: 'error', error: this.fail(417, [...logs, core('info', 'AH00570', text)], null, false, h) };
      }
    }
    const h = head();
    this.head = h;
    return { kind: 'head', head: h };
  }

  // -- errors ---------------------------------------------------------------

  /** an error from ap_read_request's die_unusable_input path */
  private error(
    status: number,
    logs: ProtocolLog[],
    errorNotes: string | null,
    override?: { requestLine: string },
  ): HeadResult {
    const e = this.fail(status, logs, errorNotes, true);
    if (override) e.request.requestLine = override.requestLine;
    return { kind: 'error', error: e };
  }

  private fail(
    status: number,
    logs: ProtocolLog[],
    errorNotes: string | null,
    fatal: boolean,
    head: RequestHead | null = null,
  ): RequestError {
    const pl = this.line;
    const request: RequestLineInfo = pl
      ? { requestLine: pl.theRequest, method: pl.method, target: pl.unparsedUri, path: pl.uri, protocol: pl.protocol, protoNum: pl.protoNum }
      : // read_request_line failed: httpd answers as HTTP/1.0
        { requestLine: null, method: null, target: null, path: null, protocol: 'HTTP/1.0', protoNum: 1000 };
    if (fatal) {
      this.phase_ = 'dead';
      this.q.clear();
    }
    return { status, logs, errorNotes, fatal, respond: true, request, head };
  }
}
