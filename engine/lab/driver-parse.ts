// The request driver's HTTP response reader (engine/lab/driver.ts): an
// incremental parser fed the bytes of one connection as they arrive. It keeps
// only the response heads (bodies are counted, not stored, unless asked), so a
// burst of 10,000 requests or a /big?kb=… body costs no copies. Framing follows
// RFC 9112 §6.3: HEAD, 1xx, 204 and 304 have no body; Transfer-Encoding (last
// coding chunked) before Content-Length; otherwise the body runs to the close.
// HTTP/0.9 replies have no head at all: the bytes until close are the body.

/** What the next response answers, in the order requests were written. */
export interface ResponseExpectation {
  /** a HEAD request: the response has no body whatever its headers say */
  head?: boolean;
  /** an HTTP/0.9 request: the reply is the body alone, until the close */
  http09?: boolean;
}

export type Framing = 'length' | 'chunked' | 'close' | 'none' | 'http09';

export interface ParsedResponse {
  /** "HTTP/1.1"; "HTTP/0.9" for a reply without a head */
  version: string;
  /** null for an HTTP/0.9 reply */
  status: number | null;
  reason: string;
  /** header fields in order, names as sent */
  headers: Array<[string, string]>;
  /** chunked trailer fields, if any */
  trailers: Array<[string, string]>;
  framing: Framing;
  /** body bytes (decoded from chunks) */
  bodyBytes: number;
  /** statuses of the interim (1xx) responses that came before this one */
  interim: number[];
  /** the body, only when the parser was asked to keep bodies */
  body?: Buffer;
  /** set on the response cut short by the end of the connection */
  incomplete?: boolean;
}

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailer' | 'close' | 'http09' | 'failed';

const MAX_HEAD_BYTES = 256 * 1024;
const MAX_LINE_BYTES = 16 * 1024;
const HTTP_PREFIX = Buffer.from('HTTP/', 'latin1');
const STATUS_LINE = /^HTTP\/(\d)\.(\d)[ \t]+(\d{3})(?:[ \t]+(.*))?$/;
const EMPTY = Buffer.alloc(0);

/** Case-insensitive header lookup; repeated fields are joined with ", " (null when absent). */
export function headerValue(headers: ReadonlyArray<[string, string]>, name: string): string | null {
  const n = name.toLowerCase();
  let out: string | null = null;
  for (const [k, v] of headers) if (k.toLowerCase() === n) out = out === null ? v : `${out}, ${v}`;
  return out;
}

/** Does a comma-separated header value hold this token (case-insensitive)? */
export function hasToken(value: string | null, token: string): boolean {
  if (value === null) return false;
  const t = token.toLowerCase();
  return value.split(',').some((p) => p.trim().toLowerCase() === t);
}

/** Will the server close the connection after this response (RFC 9112 §9.3)? */
export function responseCloses(res: ParsedResponse): boolean {
  if (res.framing === 'http09' || res.framing === 'close') return true;
  const conn = headerValue(res.headers, 'connection');
  if (hasToken(conn, 'close')) return true;
  if (res.version === 'HTTP/1.0' && !hasToken(conn, 'keep-alive')) return true;
  return false;
}

export class ResponseParser {
  private state: State = 'head';
  /** head bytes so far (state head), or the partial line (chunk-size, chunk-end, trailer) */
  private pending: Buffer = EMPTY;
  private remaining = 0;
  private cur: ParsedResponse | null = null;
  private bodyParts: Buffer[] = [];
  private interim: number[] = [];
  private readonly expectations: ResponseExpectation[] = [];
  private truncated: ParsedResponse | null = null;
  private ended = false;
  /** why the bytes could not be read as HTTP; the parser stops there */
  failure: string | null = null;

  constructor(private readonly opts: { keepBody?: boolean } = {}) {}

  /** Queue what the next response answers (call once per request written). */
  expect(e: ResponseExpectation = {}): void {
    this.expectations.push(e);
  }

  /** Are some bytes of a response in, but not all of it? */
  get inProgress(): boolean {
    if (this.state === 'failed') return false;
    return this.state !== 'head' || this.pending.length > 0;
  }

  /** After end(): the response the close cut short (head parsed, body incomplete), if any. */
  get partial(): ParsedResponse | null {
    return this.truncated;
  }

  /** Feed the next bytes of the connection; returns the responses they complete. */
  feed(chunk: Buffer): ParsedResponse[] {
    const out: ParsedResponse[] = [];
    if (this.ended) return out;
    let data = chunk;
    let off = 0;
    while (off < data.length) {
      switch (this.state) {
        case 'failed':
          return out;
        case 'head': {
          const prev = this.pending.length;
          const buf = prev ? Buffer.concat([this.pending, data.subarray(off)]) : data.subarray(off);
          const exp = this.expectations[0] ?? {};
          if (!buf.subarray(0, HTTP_PREFIX.length).equals(HTTP_PREFIX.subarray(0, Math.min(buf.length, HTTP_PREFIX.length)))) {
            if (exp.http09) {
              // an HTTP/0.9 reply: no status line, every byte is body
              this.pending = EMPTY;
              this.startBody(this.newResponse('HTTP/0.9', null, '', []), 'http09');
              data = buf;
              off = 0;
              continue;
            }
            this.fail('the reply does not start with an HTTP status line');
            return out;
          }
          const end = findHeadEnd(buf, Math.max(0, prev - 3));
          if (!end) {
            if (buf.length > MAX_HEAD_BYTES) {
              this.fail(`the response head is over ${MAX_HEAD_BYTES / 1024} KiB`);
              return out;
            }
            this.pending = prev ? buf : Buffer.from(buf); // own the bytes: the chunk may be reused
            off = data.length;
            continue;
          }
          this.pending = EMPTY;
          const rest = buf.subarray(end.bodyAt);
          if (!this.onHead(buf.subarray(0, end.headEnd).toString('latin1'), out)) return out;
          data = rest;
          off = 0;
          continue;
        }
        case 'length': {
          const n = Math.min(this.remaining, data.length - off);
          this.body(data, off, n);
          off += n;
          this.remaining -= n;
          if (this.remaining === 0) this.complete(out);
          continue;
        }
        case 'close':
        case 'http09':
          this.body(data, off, data.length - off);
          off = data.length;
          continue;
        case 'chunk-data': {
          const n = Math.min(this.remaining, data.length - off);
          this.body(data, off, n);
          off += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = 'chunk-end';
          continue;
        }
        case 'chunk-size':
        case 'chunk-end':
        case 'trailer': {
          const lf = data.indexOf(10, off);
          if (lf < 0) {
            this.pending = this.pending.length ? Buffer.concat([this.pending, data.subarray(off)]) : Buffer.from(data.subarray(off));
            off = data.length;
            if (this.pending.length > MAX_LINE_BYTES) {
              this.fail(`a chunk line is over ${MAX_LINE_BYTES / 1024} KiB`);
              return out;
            }
            continue;
          }
          const part = data.subarray(off, lf);
          const lineBuf = this.pending.length ? Buffer.concat([this.pending, part]) : part;
          this.pending = EMPTY;
          off = lf + 1;
          let line = lineBuf.toString('latin1');
          if (line.endsWith('\r')) line = line.slice(0, -1);
          if (!this.onLine(line, out)) return out;
          continue;
        }
      }
    }
    return out;
  }

  /**
   * The connection ended. A clean close (the server's FIN) completes a body
   * that runs to the close; otherwise (reset, or we stopped reading) that body
   * is cut short like any other. Returns what the close completes.
   */
  end(clean = true): ParsedResponse[] {
    if (this.ended) return [];
    this.ended = true;
    const out: ParsedResponse[] = [];
    if (clean && (this.state === 'close' || this.state === 'http09')) this.complete(out);
    else if (this.cur && this.state !== 'failed') {
      this.cur.incomplete = true; // bodyBytes: as far as it got
      this.truncated = this.cur;
      this.cur = null;
    } else if (this.state === 'head' && this.pending.length > 0) {
      // an unfinished head: keep its status line if there is one
      const m = STATUS_LINE.exec(this.pending.toString('latin1').split(/\r?\n/)[0] ?? '');
      this.truncated = m ? { ...this.newResponse(`HTTP/${m[1]}.${m[2]}`, Number(m[3]), m[4] ?? '', []), incomplete: true } : null;
    }
    return out;
  }

  private newResponse(version: string, status: number | null, reason: string, headers: Array<[string, string]>): ParsedResponse {
    return { version, status, reason, headers, trailers: [], framing: 'none', bodyBytes: 0, interim: [] };
  }

  private fail(why: string): void {
    this.failure = why;
    this.state = 'failed';
    this.pending = EMPTY;
  }

  private body(data: Buffer, off: number, n: number): void {
    if (n <= 0 || !this.cur) return;
    this.cur.bodyBytes += n;
    if (this.opts.keepBody) this.bodyParts.push(Buffer.from(data.subarray(off, off + n)));
  }

  private startBody(res: ParsedResponse, framing: Framing): void {
    res.framing = framing;
    this.cur = res;
    this.bodyParts = [];
    this.state = framing === 'length' ? 'length' : framing === 'chunked' ? 'chunk-size' : framing === 'http09' ? 'http09' : 'close';
  }

  private complete(out: ParsedResponse[]): void {
    const res = this.cur!;
    res.interim = this.interim;
    if (this.opts.keepBody) res.body = Buffer.concat(this.bodyParts);
    this.interim = [];
    this.bodyParts = [];
    this.cur = null;
    this.expectations.shift();
    this.state = 'head';
    out.push(res);
  }

  /** A complete head: an interim 1xx is noted and skipped; otherwise the body's framing is chosen. */
  private onHead(head: string, out: ParsedResponse[]): boolean {
    const lines = head.split(/\r?\n/);
    const m = STATUS_LINE.exec(lines[0]);
    if (!m) {
      this.fail(`bad status line ${JSON.stringify(lines[0].slice(0, 80))}`);
      return false;
    }
    const headers: Array<[string, string]> = [];
    for (const l of lines.slice(1)) {
      if ((l.startsWith(' ') || l.startsWith('\t')) && headers.length) {
        headers[headers.length - 1][1] += ` ${l.trim()}`; // obs-fold
        continue;
      }
      const k = l.indexOf(':');
      if (k > 0) headers.push([l.slice(0, k).trim(), l.slice(k + 1).trim()]);
    }
    const status = Number(m[3]);
    const res = this.newResponse(`HTTP/${m[1]}.${m[2]}`, status, m[4] ?? '', headers);
    if (status >= 100 && status < 200 && status !== 101) {
      this.interim.push(status); // 100 Continue, 102, 103: the final response follows
      return true;
    }
    const exp = this.expectations[0] ?? {};
    if (exp.head || status === 204 || status === 304) {
      this.cur = res;
      this.complete(out);
      return true;
    }
    if (status === 101) {
      this.startBody(res, 'close'); // the connection now speaks something else
      return true;
    }
    const te = headerValue(headers, 'transfer-encoding');
    if (te !== null) {
      const codings = te.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
      this.startBody(res, codings[codings.length - 1] === 'chunked' ? 'chunked' : 'close');
      return true;
    }
    const cl = headerValue(headers, 'content-length');
    if (cl !== null) {
      const values = cl.split(',').map((s) => s.trim());
      if (!values.every((v) => /^\d{1,15}$/.test(v)) || new Set(values.map(Number)).size !== 1) {
        this.fail(`bad Content-Length ${JSON.stringify(cl.slice(0, 80))}`);
        return false;
      }
      const n = Number(values[0]);
      this.startBody(res, 'length');
      this.remaining = n;
      if (n === 0) this.complete(out);
      return true;
    }
    this.startBody(res, 'close');
    return true;
  }

  /** One line of chunked framing: a chunk size (extensions ignored), a chunk's CRLF, or a trailer field. */
  private onLine(line: string, out: ParsedResponse[]): boolean {
    if (this.state === 'chunk-size') {
      const hex = line.split(';')[0].trim();
      if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) {
        this.fail(`bad chunk size ${JSON.stringify(line.slice(0, 80))}`);
        return false;
      }
      const size = parseInt(hex, 16);
      if (size === 0) this.state = 'trailer';
      else {
        this.remaining = size;
        this.state = 'chunk-data';
      }
      return true;
    }
    if (this.state === 'chunk-end') {
      if (line !== '') {
        this.fail('a chunk is longer than its size');
        return false;
      }
      this.state = 'chunk-size';
      return true;
    }
    // trailer section: fields until an empty line
    if (line === '') {
      this.complete(out);
      return true;
    }
    const k = line.indexOf(':');
    if (k > 0) this.cur!.trailers.push([line.slice(0, k).trim(), line.slice(k + 1).trim()]);
    return true;
  }
}

/** The end of a head: CRLFCRLF (or a bare-LF blank line, leniently), searched from `from`. */
function findHeadEnd(buf: Buffer, from: number): { headEnd: number; bodyAt: number } | null {
  let i = buf.indexOf(10, from);
  while (i >= 0) {
    if (buf[i + 1] === 10) return { headEnd: i, bodyAt: i + 2 };
    if (buf[i + 1] === 13 && buf[i + 2] === 10) return { headEnd: i > 0 && buf[i - 1] === 13 ? i - 1 : i, bodyAt: i + 3 };
    if (i + 2 >= buf.length) return null;
    i = buf.indexOf(10, i + 1);
  }
  return null;
}

/**
 * What the requests in a raw byte string expect of their responses, as far as
 * they can be told apart: HEAD, HTTP/0.9 (a request line without a protocol).
 * Bodies with Content-Length or chunked framing are skipped. Best effort: the
 * page's raw view only needs it to read HEAD and 0.9 replies correctly.
 */
export function rawRequestKinds(data: Buffer): ResponseExpectation[] {
  const out: ResponseExpectation[] = [];
  let pos = 0;
  const line = (): string | null => {
    const lf = data.indexOf(10, pos);
    if (lf < 0) return null;
    let s = data.subarray(pos, lf).toString('latin1');
    if (s.endsWith('\r')) s = s.slice(0, -1);
    pos = lf + 1;
    return s;
  };
  while (pos < data.length && out.length < 100_000) {
    let first = line();
    while (first === '') first = line(); // blank lines before a request line are ignored
    if (first === null) break;
    const words = first.trim().split(/[ \t]+/);
    const method = words[0] ?? '';
    if (words.length < 3 || !/^HTTP\//i.test(words[words.length - 1])) {
      // no protocol: HTTP/0.9 (or a malformed line httpd answers as 1.0: the reader tells them apart)
      out.push({ head: method === 'HEAD', http09: true });
      break; // the server closes after it
    }
    let cl = 0;
    let chunked = false;
    let complete = false;
    for (let h = line(); h !== null; h = line()) {
      if (h === '') {
        complete = true;
        break;
      }
      const k = h.indexOf(':');
      if (k <= 0) continue;
      const name = h.slice(0, k).trim().toLowerCase();
      const value = h.slice(k + 1).trim();
      if (name === 'content-length' && /^\d+$/.test(value)) cl = Number(value);
      if (name === 'transfer-encoding' && /chunked\s*$/i.test(value)) chunked = true;
    }
    out.push({ head: method === 'HEAD' });
    if (!complete) break;
    if (chunked) {
      for (;;) {
        const size = line();
        if (size === null) return out;
        const n = parseInt(size.split(';')[0].trim(), 16);
        if (!Number.isFinite(n) || n === 0) {
          for (let t = line(); t !== null && t !== ''; t = line());
          break;
        }
        pos += n;
        line();
      }
    } else pos += cl;
  }
  return out;
}
