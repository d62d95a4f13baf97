import { describe, expect, it } from 'vitest';
import {
  RequestReader,
  continueAction,
  findToken,
  isChunked,
  parseStrictLength,
  type HeadResult,
  type RequestError,
  type RequestHead,
  type RequestLimits,
} from '../../../engine/http/parser.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

function readOne(input: string, limits?: Partial<RequestLimits>): { reader: RequestReader; res: HeadResult | null } {
  const reader = new RequestReader(limits);
  reader.push(bytes(input));
  return { reader, res: reader.readHead() };
}

function headOf(res: HeadResult | null): RequestHead {
  if (res?.kind !== 'head') throw new Error(`expected a head, got ${JSON.stringify(res)}`);
  return res.head;
}

function errorOf(res: HeadResult | null): RequestError {
  if (res?.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(res)}`);
  return res.error;
}

/** Reads the whole body of the last head; throws on 'more' (input must hold the body). */
function bodyOf(reader: RequestReader): { body: string; trailers: Array<[string, string]> } {
  const parts: Buffer[] = [];
  for (;;) {
    const r = reader.readBody();
    parts.push(...r.data);
    if (r.kind === 'done') return { body: Buffer.concat(parts).toString('latin1'), trailers: r.trailers };
    if (r.kind === 'error') throw new Error(`body error ${r.error.status}`);
    throw new Error('body incomplete');
  }
}

function bodyErrorOf(reader: RequestReader): RequestError {
  for (let i = 0; i < 1000; i++) {
    const r = reader.readBody();
    if (r.kind === 'error') return r.error;
    if (r.kind === 'done') throw new Error('body completed without error');
    if (r.data.length === 0) throw new Error('body needs more input');
  }
  throw new Error('no progress');
}

const H = 'Host: example.com\r\n';

describe('RequestReader: good requests', () => {
  it.each([
    {
      name: 'HTTP/1.0 GET',
      input: 'GET / HTTP/1.0\r\n\r\n',
      want: { method: 'GET', target: '/', path: '/', query: null, protocol: 'HTTP/1.0', protoNum: 1000, requestLine: 'GET / HTTP/1.0' },
    },
    {
      name: 'HTTP/1.1 GET with query',
      input: `GET /a/b.html?x=1&y HTTP/1.1\r\n${H}Accept: */*\r\n\r\n`,
      want: { method: 'GET', path: '/a/b.html', query: 'x=1&y', protoNum: 1001, hostname: 'example.com' },
    },
    {
      name: 'empty query is not a missing query',
      input: `GET /p? HTTP/1.1\r\n${H}\r\n`,
      want: { path: '/p', query: '' },
    },
    { name: 'HEAD sets headerOnly', input: `HEAD /x HTTP/1.1\r\n${H}\r\n`, want: { method: 'HEAD', headerOnly: true } },
    { name: 'OPTIONS *', input: `OPTIONS * HTTP/1.1\r\n${H}\r\n`, want: { path: '*', target: '*' } },
    {
      name: 'leading // is a path, not an authority',
      input: `GET //x//y HTTP/1.1\r\n${H}\r\n`,
      want: { target: '//x//y', path: '/x//y' },
    },
    {
      name: 'unknown method is left to the handler (LenientMethods)',
      input: `BREW /pot HTTP/1.1\r\n${H}\r\n`,
      want: { method: 'BREW', headerOnly: false },
    },
    {
      name: 'HTTP/2.0 on an HTTP/1 connection is accepted as 2.0',
      input: `GET / HTTP/2.0\r\n${H}\r\n`,
      want: { protocol: 'HTTP/2.0', protoNum: 2000 },
    },
    {
      name: 'absolute URI: host from the URI, Host header replaced',
      input: 'GET http://Example.COM:8080/p?q HTTP/1.1\r\nHost: other.org\r\n\r\n',
      want: { path: '/p', query: 'q', hostname: 'example.com', host: 'example.com:8080' },
    },
    { name: 'Host with port', input: 'GET / HTTP/1.1\r\nHost: localhost:8080\r\n\r\n', want: { hostname: 'localhost' } },
    { name: 'Host IPv6 literal', input: 'GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n', want: { hostname: '::1' } },
    { name: 'Host dotted quad', input: 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', want: { hostname: '127.0.0.1' } },
    { name: 'Host lowercased, trailing dot dropped', input: 'GET / HTTP/1.1\r\nHost: WWW.Example.COM.\r\n\r\n', want: { hostname: 'www.example.com' } },
    { name: 'HTTP/1.0 needs no Host', input: 'GET / HTTP/1.0\r\n\r\n', want: { hostname: null } },
    {
      name: 'ten blank lines before the request line are skipped',
      input: `${'\r\n'.repeat(10)}GET /after HTTP/1.0\r\n\r\n`,
      want: { path: '/after' },
    },
  ])('$name', ({ input, want }) => {
    const head = headOf(readOne(input).res);
    const { host, ...fields } = want as Record<string, unknown>;
    for (const [k, v] of Object.entries(fields)) expect((head as unknown as Record<string, unknown>)[k], k).toEqual(v);
    if (host !== undefined) expect(head.get('host')).toBe(host);
  });

  it('merges duplicate headers in place, like apr_table_compress', () => {
    const head = headOf(readOne(`GET / HTTP/1.1\r\nAccept: a\r\n${H}X-One: 1\r\naccept: b\r\n\r\n`).res);
    expect(head.headers).toEqual([
      ['Accept', 'a, b'],
      ['Host', 'example.com'],
      ['X-One', '1'],
    ]);
    expect(head.get('ACCEPT')).toBe('a, b');
    expect(head.get('missing')).toBeUndefined();
  });

  it('joins obs-fold lines with one space and trims trailing whitespace', () => {
    const head = headOf(readOne(`GET / HTTP/1.1\r\n${H}X-Fold: a\r\n  \t b \r\nX-Trail: v \t \r\nX-Empty:\r\n\r\n`).res);
    expect(head.get('x-fold')).toBe('a b');
    expect(head.get('x-trail')).toBe('v');
    expect(head.get('x-empty')).toBe('');
  });

  it('hasToken uses ap_find_token on the merged value', () => {
    const head = headOf(readOne(`GET / HTTP/1.1\r\n${H}Connection: Upgrade\r\nConnection: Keep-Alive\r\n\r\n`).res);
    expect(head.hasToken('connection', 'keep-alive')).toBe(true);
    expect(head.hasToken('connection', 'close')).toBe(false);
  });

  it('HTTP/0.9 simple request: no headers are read, the rest stays buffered', () => {
    const { reader, res } = readOne('GET /old\r\nnot a header\r\n');
    const head = headOf(res);
    expect(head).toMatchObject({ protoNum: 9, protocol: 'HTTP/0.9', assbackwards: true, requestLine: 'GET /old', headers: [] });
    expect(reader.buffered).toBe('not a header\r\n'.length);
  });

  it('returns null until the whole head is there', () => {
    const reader = new RequestReader();
    reader.push(bytes('GET / HTTP/1.1\r\nHost: a\r\n'));
    expect(reader.readHead()).toBeNull();
    expect(reader.phase).toBe('headers');
    reader.push(bytes('\r\n'));
    expect(headOf(reader.readHead()).method).toBe('GET');
  });
});

describe('RequestReader: byte-by-byte, pipelining, bodies', () => {
  const post =
    'POST /submit?a=1 HTTP/1.1\r\nHost: h.test\r\nTransfer-Encoding: chunked\r\n\r\n' +
    '5;name="v a l"\r\nhello\r\n6 \t ; x\r\n world\r\n000\r\nX-Trailer: t1\r\nX-Other:  t2\r\n\r\n';

  it('parses a chunked POST fed one byte at a time', () => {
    const reader = new RequestReader();
    let head: RequestHead | null = null;
    const body: Buffer[] = [];
    let trailers: Array<[string, string]> | null = null;
    let nulls = 0;
    for (const b of bytes(post)) {
      reader.push(Buffer.from([b]));
      if (!head) {
        const r = reader.readHead();
        if (r === null) nulls++;
        else head = headOf(r);
        continue;
      }
      const r = reader.readBody();
      body.push(...r.data);
      if (r.kind === 'error') throw new Error('unexpected body error');
      if (r.kind === 'done') trailers = r.trailers;
    }
    expect(nulls).toBeGreaterThan(50);
    expect(head).toMatchObject({ method: 'POST', path: '/submit', query: 'a=1', body: { kind: 'chunked' } });
    expect(Buffer.concat(body).toString()).toBe('hello world');
    expect(trailers).toEqual([
      ['X-Trailer', 't1'],
      ['X-Other', 't2'],
    ]);
    expect(reader.buffered).toBe(0);
  });

  it('byte by byte gives the same head as one chunk', () => {
    const input = `GET /x?y HTTP/1.1\r\n${H}Connection: keep-alive\r\nX-F: a\r\n b\r\n\r\n`;
    const whole = headOf(readOne(input).res);
    const reader = new RequestReader();
    let res: HeadResult | null = null;
    for (const b of bytes(input)) {
      expect(res).toBeNull();
      reader.push(Buffer.from([b]));
      res = reader.readHead();
    }
    expect(headOf(res)).toEqual(whole);
  });

  it('two pipelined requests in one buffer', () => {
    const first = 'POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello';
    const second = 'GET /b HTTP/1.1\r\nHost: h\r\n\r\n';
    const reader = new RequestReader();
    reader.push(bytes(first + second));
    const h1 = headOf(reader.readHead());
    expect(h1).toMatchObject({ path: '/a', body: { kind: 'length', length: 5 } });
    expect(bodyOf(reader).body).toBe('hello');
    expect(reader.buffered).toBe(second.length);
    expect(reader.sawAnyByte).toBe(true);
    const h2 = headOf(reader.readHead());
    expect(h2.path).toBe('/b');
    expect(bodyOf(reader).body).toBe('');
    expect(reader.buffered).toBe(0);
    expect(reader.sawAnyByte).toBe(false);
    expect(reader.readHead()).toBeNull();
  });

  it('a body-less request needs no readBody before the next head', () => {
    const reader = new RequestReader();
    reader.push(bytes('GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n'));
    expect(headOf(reader.readHead()).path).toBe('/1');
    expect(headOf(reader.readHead()).path).toBe('/2');
  });

  it('refuses to read the next head over an unread body', () => {
    const reader = new RequestReader();
    reader.push(bytes('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc'));
    headOf(reader.readHead());
    expect(() => reader.readHead()).toThrow(/body/);
  });

  it('content-length body arriving in pieces', () => {
    const reader = new RequestReader();
    reader.push(bytes('PUT /f HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123'));
    headOf(reader.readHead());
    const r1 = reader.readBody();
    expect(r1.kind).toBe('more');
    expect(Buffer.concat(r1.data).toString()).toBe('0123');
    reader.push(bytes('456789GET'));
    const r2 = reader.readBody();
    expect(r2.kind).toBe('done');
    expect(Buffer.concat(r2.data).toString()).toBe('456789');
    expect(reader.buffered).toBe(3);
  });

  it('Content-Length: 0 and leading zeros', () => {
    const { reader, res } = readOne('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n');
    expect(headOf(res).body).toEqual({ kind: 'length', length: 0 });
    expect(bodyOf(reader).body).toBe('');
    expect(headOf(readOne('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 007\r\n\r\n').res).body).toEqual({ kind: 'length', length: 7 });
  });

  it('chunk sizes: hex either case, leading zeros', () => {
    const { reader } = readOne('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0000b\r\nabcdefghijk\r\n0\r\n\r\n');
    expect(bodyOf(reader)).toEqual({ body: '0123456789abcdefghijk', trailers: [] });
  });

  it('Content-Length with chunked: C-L dropped, connection to be closed', () => {
    const { reader, res } = readOne(
      'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
    );
    const head = headOf(res);
    expect(head.closeConnection).toBe(true);
    expect(head.get('content-length')).toBeUndefined();
    expect(head.body).toEqual({ kind: 'chunked' });
    expect(bodyOf(reader).body).toBe('abc');
  });

  it('Expect: 100-continue', () => {
    const head = headOf(readOne('POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 4\r\n\r\n').res);
    expect(head.expecting100).toBe(true);
    expect(continueAction(head, 200)).toBe('send-100');
    expect(continueAction(head, 404)).toBe('skip-body');
    expect(continueAction(head, 200, { bodyBytesSeen: true })).toBe('read');
    const empty = headOf(readOne('POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n').res);
    expect(continueAction(empty, 200)).toBe('read');
    const http10 = headOf(readOne('POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n').res);
    expect(continueAction(http10, 200)).toBe('read');
  });
});

describe('RequestReader: errors', () => {
  it.each([
    // request line (read_request_line / ap_parse_request_line)
    { name: 'bare LF ends the request line', input: 'GET / HTTP/1.1\n\n', status: 400, ah: 'AH00566' },
    { name: 'NUL in the request line', input: 'GET /\0 HTTP/1.1\r\n\r\n', status: 400, ah: 'AH00566' },
    { name: 'invalid method character', input: 'G(T / HTTP/1.1\r\n\r\n', status: 400, ah: 'AH03445', text: "Invalid method token: 'G(T'" },
    { name: 'leading whitespace', input: ' GET / HTTP/1.1\r\n\r\n', status: 400, ah: 'AH03447' },
    { name: 'tab as separator', input: 'GET\t/ HTTP/1.1\r\n\r\n', status: 400, ah: 'AH03447' },
    { name: 'two spaces', input: 'GET  / HTTP/1.1\r\n\r\n', status: 400, ah: 'AH03448' },
    { name: 'trailing text', input: 'GET / HTTP/1.1 x\r\n\r\n', status: 400, ah: 'AH03448' },
    { name: 'method only', input: 'GET\r\n\r\n', status: 400, ah: 'AH03454' },
    { name: 'lower-case protocol', input: 'GET / http/1.1\r\n\r\n', status: 400, ah: 'AH02418', text: "Unrecognized protocol 'http/1.1'" },
    { name: 'explicit HTTP/0.9', input: 'GET / HTTP/0.9\r\n\r\n', status: 400, ah: 'AH02418' },
    { name: 'two-digit version', input: 'GET / HTTP/1.10\r\n\r\n', status: 400, ah: 'AH02418' },
    { name: 'unknown protocol', input: 'GET / FOO/1\r\n\r\n', status: 400, ah: 'AH02418' },
    { name: 'HTTP/0.9 POST', input: 'POST /x\r\n', status: 400, ah: 'AH03444' },
    { name: 'HTTP/0.9 HEAD', input: 'HEAD /x\r\n', status: 400, ah: 'AH03444' },
    { name: 'relative target', input: 'GET a/b HTTP/1.1\r\n\r\n', status: 400, ah: 'AH03450', text: "Unable to parse URI: 'a/b'" },
    { name: 'HTTP/2 preface', input: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', status: 400, ah: 'AH03450' },
    { name: 'fragment', input: 'GET /a#b HTTP/1.1\r\n\r\n', status: 400, ah: 'AH02421' },
    { name: 'userinfo', input: 'GET http://u:p@h/ HTTP/1.1\r\n\r\n', status: 400, ah: 'AH02422' },
    { name: 'bad port in absolute URI', input: 'GET http://h:8x/ HTTP/1.1\r\n\r\n', status: 400, ah: 'AH03450' },
    { name: 'eleven blank lines', input: `${'\r\n'.repeat(11)}GET / HTTP/1.0\r\n\r\n`, status: 400, ah: 'AH03445' },
    // header fields (ap_get_mime_headers_core)
    { name: 'header without colon', input: `GET / HTTP/1.1\r\n${H}Foo\r\n\r\n`, status: 400, ah: 'AH02426' },
    { name: 'space before colon', input: `GET / HTTP/1.1\r\n${H}Foo : bar\r\n\r\n`, status: 400, ah: 'AH02426' },
    { name: 'control char in value', input: `GET / HTTP/1.1\r\n${H}Foo: a\x01b\r\n\r\n`, status: 400, ah: 'AH02427' },
    { name: 'bare CR in value', input: `GET / HTTP/1.1\r\n${H}Foo: a\rb\r\n\r\n`, status: 400, ah: 'AH02427' },
    { name: 'fold before any header', input: 'GET / HTTP/1.1\r\n x\r\n\r\n', status: 400, ah: 'AH03442' },
    { name: 'empty folded line', input: `GET / HTTP/1.1\r\n${H}A: b\r\n \r\n\r\n`, status: 400, ah: 'AH03443' },
    { name: 'bare LF in headers', input: `GET / HTTP/1.1\r\n${H}A: b\n\r\n`, status: 400, ah: '', errno: '(22)Invalid argument' },
    // framing (ap_read_request)
    { name: 'non-numeric Content-Length', input: `POST / HTTP/1.1\r\n${H}Content-Length: abc\r\n\r\n`, status: 400, ah: 'AH10242' },
    { name: 'negative Content-Length', input: `POST / HTTP/1.1\r\n${H}Content-Length: -1\r\n\r\n`, status: 400, ah: 'AH10242' },
    { name: 'signed Content-Length', input: `POST / HTTP/1.1\r\n${H}Content-Length: +5\r\n\r\n`, status: 400, ah: 'AH10242' },
    {
      name: 'duplicate Content-Length (merged to "5, 5")',
      input: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\nContent-Length: 5\r\n\r\n`,
      status: 400,
      ah: 'AH10242',
      text: 'client sent invalid Content-Length (5, 5): /',
    },
    { name: 'Content-Length beyond 2^63', input: `POST / HTTP/1.1\r\n${H}Content-Length: 9223372036854775808\r\n\r\n`, status: 400, ah: 'AH10242' },
    { name: 'Transfer-Encoding gzip', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\n\r\n`, status: 400, ah: 'AH02539' },
    { name: 'chunked not last', input: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, gzip\r\n\r\n`, status: 400, ah: 'AH02539' },
    { name: 'unknown T-E on HTTP/1.0 too', input: 'POST / HTTP/1.0\r\nTransfer-Encoding: identity\r\n\r\n', status: 400, ah: 'AH02539' },
    // ap_check_request_header: the head was read, input still usable
    { name: 'HTTP/1.1 without Host', input: 'GET / HTTP/1.1\r\n\r\n', status: 400, ah: 'AH00569', fatal: false },
    { name: 'HTTP/1.1 with empty Host', input: 'GET / HTTP/1.1\r\nHost:\r\n\r\n', status: 400, ah: 'AH00569', fatal: false },
    { name: 'absolute URI but no Host header', input: 'GET http://h/ HTTP/1.1\r\n\r\n', status: 400, ah: 'AH00569', fatal: false },
    { name: 'Host with a slash', input: 'GET / HTTP/1.1\r\nHost: a/b\r\n\r\n', status: 400, ah: 'AH00550', fatal: false },
    { name: 'numeric Host', input: 'GET / HTTP/1.1\r\nHost: 1234\r\n\r\n', status: 400, ah: 'AH02416', fatal: false },
    { name: 'short dotted Host', input: 'GET / HTTP/1.1\r\nHost: 10.0.1\r\n\r\n', status: 400, ah: 'AH02415', fatal: false },
    { name: 'Host with port 0', input: 'GET / HTTP/1.1\r\nHost: h:0\r\n\r\n', status: 400, ah: 'AH00550', fatal: false },
    { name: 'two Host headers', input: 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', status: 400, ah: 'AH02415', fatal: false },
    { name: 'unknown expectation', input: `GET / HTTP/1.1\r\n${H}Expect: teapot\r\n\r\n`, status: 417, ah: 'AH00570', fatal: false },
  ])('$name → $status $ah', ({ input, status, ah, text, errno, fatal = true }) => {
    const { reader, res } = readOne(input);
    const e = errorOf(res);
    expect(e.status).toBe(status);
    const log = e.logs.find((l) => l.ah === ah);
    expect(log, JSON.stringify(e.logs)).toBeDefined();
    if (text) expect(log!.text).toContain(text);
    if (errno) expect(log!.status).toBe(errno);
    expect(e.fatal).toBe(fatal);
    expect(e.head !== null).toBe(!fatal);
    if (fatal) {
      expect(reader.phase).toBe('dead');
      expect(reader.buffered).toBe(0);
      expect(reader.readHead()).toBeNull();
    }
  });

  it('header errors also log AH00567 and keep what %r needs', () => {
    const e = errorOf(readOne('GET  /x HTTP/1.1\r\n\r\n').res);
    expect(e.request).toEqual({ requestLine: 'GET /x HTTP/1.1', method: 'GET', target: '/x', path: '/x', protocol: 'HTTP/1.1', protoNum: 1001 });
    const h = errorOf(readOne('GET /y HTTP/1.0\r\nbad\r\n\r\n').res);
    expect(h.logs.map((l) => [l.level, l.ah])).toEqual([
      ['debug', 'AH02426'],
      ['debug', 'AH00567'],
    ]);
    expect(h.request.requestLine).toBe('GET /y HTTP/1.0');
  });

  // rows observed on a real httpd 2.4 (%r and %H from the access log, text from the error log)
  it.each([
    { input: 'GET\r\n\r\n', r: 'GET', H: 'HTTP/1.0', ah: 'AH03454', text: "HTTP Request Line; URI incorrectly encoded: ''" },
    { input: '  GET@ / HTTP/1.1\r\n\r\n', r: 'GET', H: 'HTTP/1.0', ah: 'AH03454', text: "HTTP Request Line; URI incorrectly encoded: ''" },
    { input: `${'\r\n'.repeat(11)}GET / HTTP/1.0\r\n\r\n`, r: '', H: 'HTTP/1.0', ah: 'AH03445', text: "HTTP Request Line; Invalid method token: ''" },
    { input: 'GET / HTTP/1.1\n\n', r: 'GET / HTTP/1.1\n', H: 'HTTP/1.0', ah: 'AH00566', text: 'request failed: malformed request line' },
    { input: 'HEAD /x\r\n', r: 'HEAD /x', H: 'HTTP/1.0', ah: 'AH03444', text: "HTTP Request Line; Invalid method token: 'HEAD' (only GET is allowed for HTTP/0.9 requests)" },
    { input: 'GET / Http/1.1\r\n\r\n', r: 'GET / Http/1.1', H: 'Http/1.1', ah: 'AH02418', text: "HTTP Request Line; Unrecognized protocol 'Http/1.1' (perhaps whitespace was injected?)" },
    { input: 'GET http://h:8x/ HTTP/1.1\r\n\r\n', r: 'GET http://h:8x/ HTTP/1.1', H: 'HTTP/1.1', ah: 'AH03450', text: "HTTP Request Line; Unable to parse URI: 'http'" },
    { input: 'CONNECT h HTTP/1.1\r\n\r\n', r: 'CONNECT h HTTP/1.1', H: 'HTTP/1.1', ah: 'AH03450', text: "HTTP Request Line; Unable to parse URI: 'h'" },
    { input: 'GET / HTTP/1.1\r\nHost: a.1b\r\n\r\n', r: 'GET / HTTP/1.1', H: 'HTTP/1.1', ah: 'AH02415', text: "[strict] Invalid host name 'a.1b', problem near: .1b" },
    { input: 'GET / HTTP/1.1\r\nHost: x\r\nA: b\x01c\r\n\r\n', r: 'GET / HTTP/1.1', H: 'HTTP/1.1', ah: 'AH02427', text: 'Request header value is malformed: b\x01c' },
  ])('%r of $input is "$r"', ({ input, r, H, ah, text }) => {
    const e = errorOf(readOne(input).res);
    expect(e.request.requestLine).toBe(r);
    expect(e.request.protocol).toBe(H);
    expect(e.logs.find((l) => l.ah === ah)?.text).toBe(text);
  });

  it('CONNECT host:port parses; the Host replacement is logged', () => {
    const c = headOf(readOne('CONNECT h.test:443 HTTP/1.1\r\nHost: h.test:443\r\n\r\n').res);
    expect(c).toMatchObject({ path: '/', hostname: 'h.test' });
    const a = headOf(readOne('GET http://Example.COM:8080/p HTTP/1.1\r\nHost: other\r\n\r\n').res);
    expect(a.logs).toEqual([
      { level: 'debug', module: 'core', ah: 'AH02417', text: "Replacing host header 'other' with host 'example.com:8080' given in the request uri" },
    ]);
  });

  it('a failed HTTP/0.9-looking line is answered as HTTP/1.0', () => {
    const e = errorOf(readOne('GET / FOO\r\n').res);
    expect(e.request).toMatchObject({ protocol: 'HTTP/1.0', protoNum: 1000, requestLine: 'GET / FOO' });
  });

  it('417 keeps the connection usable: the body is discarded and the next request follows', () => {
    const reader = new RequestReader();
    reader.push(bytes(`PUT / HTTP/1.1\r\n${H}Expect: x\r\nContent-Length: 3\r\n\r\nabcGET /next HTTP/1.1\r\n${H}\r\n`));
    const e = errorOf(reader.readHead());
    expect(e.head?.body).toEqual({ kind: 'length', length: 3 });
    expect(e.head?.expecting100).toBe(false);
    expect(bodyOf(reader).body).toBe('abc');
    expect(headOf(reader.readHead()).path).toBe('/next');
  });

  it('errors carry errorNotes for the 400 page', () => {
    const tooMany = errorOf(readOne(`GET / HTTP/1.1\r\n${H}A: 1\r\nB: 2\r\n\r\n`, { limitRequestFields: 2 }).res);
    expect(tooMany.errorNotes).toBe("The number of request header fields exceeds this server's limit.");
    const tooBig = errorOf(readOne(`GET / HTTP/1.1\r\nX-Long: ${'v'.repeat(40)}\r\n\r\n`, { limitRequestFieldSize: 20 }).res);
    expect(tooBig.errorNotes).toBe('Size of a request header field exceeds server limit.');
    expect(tooBig.logs.find((l) => l.ah === 'AH00561')?.text).toBe('Request header exceeds LimitRequestFieldSize: X-Long');
  });
});

describe('RequestReader: limits at and past the edge', () => {
  /** a request line of exactly n bytes (without CRLF) */
  const lineOf = (n: number): string => `GET /${'a'.repeat(n - 'GET / HTTP/1.0'.length)} HTTP/1.0`;

  it.each([
    // httpd's buffer is limit + 2 bytes; the CR may take the NUL's place, so limit + 1 still fits
    { len: 20, ok: true },
    { len: 21, ok: true },
    { len: 22, ok: false },
  ])('LimitRequestLine 20: a $len-byte request line → ok=$ok', ({ len, ok }) => {
    for (const split of [false, true]) {
      const reader = new RequestReader({ limitRequestLine: 20 });
      const input = bytes(`${lineOf(len)}\r\n\r\n`);
      let res: HeadResult | null = null;
      if (split) for (const b of input) {
        reader.push(Buffer.from([b]));
        res ??= reader.readHead();
      }
      else {
        reader.push(input);
        res = reader.readHead();
      }
      if (ok) expect(headOf(res).requestLine).toBe(lineOf(len));
      else {
        const e = errorOf(res);
        expect(e.status).toBe(414);
        expect(e.logs).toEqual([
          {
            level: 'info',
            module: 'core',
            ah: 'AH00565',
            text: "request failed: client's request-line exceeds LimitRequestLine (longer than 20)",
          },
        ]);
        // %r logs what fitted in the buffer
        expect(e.request.requestLine).toBe(lineOf(len).slice(0, 21));
        expect(e.request.protocol).toBe('HTTP/1.0');
      }
    }
  });

  it('default LimitRequestLine 8190: 8191 passes, 8192 is 414', () => {
    expect(headOf(readOne(`${lineOf(8191)}\r\n\r\n`).res).protoNum).toBe(1000);
    expect(errorOf(readOne(`${lineOf(8192)}\r\n\r\n`).res).status).toBe(414);
  });

  it('waits for more bytes rather than failing on exactly limit + 2 bytes without LF', () => {
    const reader = new RequestReader({ limitRequestLine: 20 });
    reader.push(bytes(`${lineOf(21)}\r`));
    expect(reader.readHead()).toBeNull();
    reader.push(bytes('x'));
    expect(errorOf(reader.readHead()).status).toBe(414);
  });

  const field = (n: number): string => `X: ${'v'.repeat(n - 3)}`;
  it.each([
    { len: 20, ok: true },
    { len: 21, ok: true },
    { len: 22, ok: false },
  ])('LimitRequestFieldSize 20: a $len-byte header line → ok=$ok', ({ len, ok }) => {
    const res = readOne(`GET / HTTP/1.0\r\n${field(len)}\r\n\r\n`, { limitRequestFieldSize: 20 }).res;
    if (ok) expect(headOf(res).get('x')).toHaveLength(len - 3);
    else expect(errorOf(res).logs.map((l) => l.ah)).toEqual(['', 'AH00561', 'AH00567']);
  });

  it.each([
    { folded: 'A: 123456\r\n 789012', ok: true }, // 9 + 7 + 1 = 17 < 18
    { folded: 'A: 123456\r\n 7890123', ok: false }, // 9 + 8 + 1 = 18 ≥ 18
  ])('LimitRequestFieldSize 18 after folding: $folded → ok=$ok', ({ folded, ok }) => {
    const res = readOne(`GET / HTTP/1.0\r\n${folded}\r\n\r\n`, { limitRequestFieldSize: 18 }).res;
    if (ok) expect(headOf(res).get('a')).toBe('123456 789012');
    else expect(errorOf(res).logs[0]).toMatchObject({ ah: 'AH00562', text: 'Request header exceeds LimitRequestFieldSize after folding: A' });
  });

  it.each([
    { values: ['12', '3456'], ok: true }, // "12, 3456" = 8
    { values: ['12', '34567'], ok: false }, // 9 > 8
  ])('LimitRequestFieldSize 8 after merging $values → ok=$ok', ({ values, ok }) => {
    const res = readOne(`GET / HTTP/1.0\r\n${values.map((v) => `A: ${v}\r\n`).join('')}\r\n`, { limitRequestFieldSize: 8 }).res;
    if (ok) expect(headOf(res).get('a')).toBe(values.join(', '));
    else expect(errorOf(res).logs[0]).toMatchObject({ ah: 'AH00560', level: 'info' });
  });

  it.each([
    { n: 3, ok: true },
    { n: 4, ok: false },
  ])('LimitRequestFields 3: $n fields → ok=$ok', ({ n, ok }) => {
    const fields = Array.from({ length: n }, (_, i) => `F${i}: ${i}\r\n`).join('');
    const res = readOne(`GET / HTTP/1.0\r\n${fields}\r\n`, { limitRequestFields: 3 }).res;
    if (ok) expect(headOf(res).headers).toHaveLength(n);
    else expect(errorOf(res).logs[0]).toMatchObject({ ah: 'AH00563', text: 'Number of request headers exceeds LimitRequestFields' });
  });

  it('LimitRequestFields 0 means unlimited', () => {
    const fields = Array.from({ length: 150 }, (_, i) => `F${i}: ${i}\r\n`).join('');
    expect(headOf(readOne(`GET / HTTP/1.0\r\n${fields}\r\n`, { limitRequestFields: 0 }).res).headers).toHaveLength(150);
    expect(errorOf(readOne(`GET / HTTP/1.0\r\n${fields}\r\n`).res).status).toBe(400);
  });

  it.each([
    { len: 10, ok: true },
    { len: 11, ok: false },
  ])('LimitRequestBody 10, Content-Length $len → ok=$ok', ({ len, ok }) => {
    const { reader } = readOne(`POST / HTTP/1.1\r\n${H}Content-Length: ${len}\r\n\r\n${'b'.repeat(len)}`, { limitRequestBody: 10 });
    if (ok) expect(bodyOf(reader).body).toHaveLength(len);
    else {
      const e = bodyErrorOf(reader);
      expect(e).toMatchObject({ status: 413, fatal: true });
      expect(e.logs[0]).toEqual({
        level: 'info',
        module: 'http',
        ah: 'AH01588',
        text: 'Requested content-length of 11 is larger than the configured limit of 10',
      });
      expect(e.head?.path).toBe('/');
    }
  });

  it.each([
    { len: 10, ok: true },
    { len: 11, ok: false },
  ])('LimitRequestBody 10, chunked body of $len → ok=$ok', ({ len, ok }) => {
    const chunked = `6\r\n${'c'.repeat(6)}\r\n${(len - 6).toString(16)}\r\n${'c'.repeat(len - 6)}\r\n0\r\n\r\n`;
    const { reader } = readOne(`POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n${chunked}`, { limitRequestBody: 10 });
    if (ok) expect(bodyOf(reader).body).toHaveLength(len);
    else {
      const e = bodyErrorOf(reader);
      expect(e.status).toBe(413);
      expect(e.logs[0]).toMatchObject({ ah: 'AH01591', text: 'Read content length of 11 is larger than the configured limit of 10' });
    }
  });

  it('LimitRequestBody 0 is unlimited; the default is 1 GiB', () => {
    const { reader } = readOne(`POST / HTTP/1.1\r\n${H}Content-Length: 2000000000\r\n\r\n`, { limitRequestBody: 0 });
    expect(reader.readBody().kind).toBe('more');
    const dflt = readOne(`POST / HTTP/1.1\r\n${H}Content-Length: 1073741825\r\n\r\n`).reader;
    expect(bodyErrorOf(dflt).status).toBe(413);
  });

  it.each([
    { ext: 'x'.repeat(25), ok: true }, // "1;" + 25 + CRLF = 29
    { ext: 'x'.repeat(26), ok: true }, // 30 bytes with CRLF: at the limit
    { ext: 'x'.repeat(27), ok: false }, // 31 > 30: APR_ENOSPC → 413
  ])('chunk-size line limited by LimitRequestFieldSize 30 (ext $ext.length)', ({ ext, ok }) => {
    const { reader, res } = readOne(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1;${ext}\r\nz\r\n0\r\n\r\n`, {
      limitRequestFieldSize: 30,
    });
    headOf(res);
    if (ok) expect(bodyOf(reader).body).toBe('z');
    else {
      const e = bodyErrorOf(reader);
      expect(e.status).toBe(413);
      expect(e.logs[0]).toEqual({
        level: 'info',
        module: 'http',
        ah: 'AH01590',
        text: 'Error reading/parsing chunk (overflow) ',
        status: '(28)No space left on device',
      });
    }
  });
});

describe('RequestReader: bad chunked bodies', () => {
  const start = `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n`;
  it.each([
    { name: 'not hex', body: 'zz\r\n', status: 400 },
    { name: 'empty size line', body: '\r\n', status: 400 },
    { name: 'no CRLF after data', body: '5\r\nhellox\r\n0\r\n\r\n', status: 400 },
    { name: 'bare LF after size (strict)', body: '5\nhello\r\n0\r\n\r\n', status: 400 },
    { name: 'bare LF after data (strict)', body: '5\r\nhello\n0\r\n\r\n', status: 400 },
    { name: 'space inside the digits', body: '1 0\r\n', status: 400 },
    { name: 'more than 10 BWS', body: `5${' '.repeat(11)}\r\nhello\r\n0\r\n\r\n`, status: 400 },
    { name: 'control char in extension', body: '5;a\x01\r\nhello\r\n0\r\n\r\n', status: 400 },
    { name: '17 hex digits', body: '10000000000000000\r\n', status: 413 },
    { name: 'sign bit', body: '8000000000000000\r\n', status: 413 },
    { name: 'bad trailer', body: '0\r\nno colon\r\n\r\n', status: 400, ah: 'AH02656' },
  ])('$name → $status', ({ body, status, ah }) => {
    const { reader } = readOne(start + body);
    const e = bodyErrorOf(reader);
    expect(e.status).toBe(status);
    expect(e.fatal).toBe(true);
    expect(e.logs.map((l) => l.ah)).toContain(ah ?? 'AH01590');
    expect(reader.phase).toBe('dead');
  });

  it('ten BWS and sixteen digits with a clear sign bit are fine', () => {
    const r1 = readOne(`${start}3${' '.repeat(10)}\r\nabc\r\n0\r\n\r\n`).reader;
    expect(bodyOf(r1).body).toBe('abc');
    const r2 = readOne(`${start}7fffffffffffffff\r\nabc`, { limitRequestBody: 0 }).reader;
    const r = r2.readBody();
    expect(r.kind).toBe('more');
    expect(Buffer.concat(r.data).toString()).toBe('abc');
  });

  it('a trailer error reports the trailer problem', () => {
    const { reader, res } = readOne(`${start}0\r\nT: ${'x'.repeat(40)}\r\n\r\n`, { limitRequestFieldSize: 30 });
    headOf(res);
    const e = bodyErrorOf(reader);
    expect(e.logs.map((l) => l.ah)).toEqual(['', 'AH00561', 'AH02656']);
    expect(e.logs[2].text).toBe('Error while reading HTTP trailer: 400: Size of a request header field exceeds server limit.');
  });
});

describe('RequestReader: end of input and timeouts', () => {
  it.each([
    { name: 'idle connection', input: '', eof: null, timeout: { status: 408, respond: false } },
    { name: 'half a request line', input: 'GET /x', eof: null, timeout: { status: 408, respond: false } },
    { name: 'inside the headers', input: 'GET / HTTP/1.1\r\nHost: h', eof: { status: 400, respond: true }, timeout: { status: 408, respond: true } },
    {
      name: 'inside a body',
      input: 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\nabc',
      eof: { status: 400, respond: true },
      timeout: { status: 408, respond: true },
    },
  ])('$name', ({ input, eof, timeout }) => {
    const mk = (): RequestReader => {
      const r = new RequestReader();
      r.push(bytes(input));
      const h = r.readHead();
      if (h) r.readBody();
      return r;
    };
    expect(mk().sawAnyByte).toBe(input.length > 0);
    const e = mk().onEof();
    if (eof === null) expect(e).toBeNull();
    else expect(e).toMatchObject(eof);
    expect(mk().onTimeout()).toMatchObject(timeout);
  });

  it('EOF inside the headers logs the partial line', () => {
    const r = new RequestReader();
    r.push(bytes('GET / HTTP/1.1\r\nHost: h'));
    r.readHead();
    expect(r.onEof()?.logs[0]).toMatchObject({ text: 'Failed to read request header line Host: h', status: '(70014)End of file found' });
  });
});

describe('token helpers', () => {
  it.each([
    { line: 'keep-alive', tok: 'keep-alive', want: true },
    { line: 'Upgrade, Keep-Alive', tok: 'keep-alive', want: true },
    { line: 'close', tok: 'keep-alive', want: false },
    { line: 'CLOSE', tok: 'close', want: true },
    { line: 'closed', tok: 'close', want: false },
    // ap_find_token compares only the found token's length: a prefix matches
    { line: 'clo', tok: 'close', want: true },
    { line: 'keep', tok: 'keep-alive', want: true },
    { line: '', tok: 'close', want: false },
    { line: null, tok: 'close', want: false },
  ])('findToken($line, $tok) = $want', ({ line, tok, want }) => {
    expect(findToken(line, tok)).toBe(want);
  });

  it.each([
    { line: 'chunked', want: true },
    { line: 'Chunked', want: true },
    { line: 'gzip, chunked', want: true },
    { line: 'gzip,chunked', want: true },
    { line: 'gzip ,  chunked', want: true },
    { line: 'chunked, gzip', want: false },
    { line: 'xchunked', want: false },
    { line: 'gzip', want: false },
    { line: '', want: false },
  ])('isChunked($line) = $want', ({ line, want }) => {
    expect(isChunked(line)).toBe(want);
  });

  it.each([
    { s: '0', want: 0 },
    { s: '0012', want: 12 },
    { s: '9223372036854775807', want: 9223372036854775807 },
    { s: '9223372036854775808', want: null },
    { s: '', want: null },
    { s: ' 1', want: null },
    { s: '1 ', want: null },
    { s: '0x10', want: null },
  ])('parseStrictLength($s) = $want', ({ s, want }) => {
    expect(parseStrictLength(s)).toBe(want);
  });
});
