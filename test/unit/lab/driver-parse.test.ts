// The driver's response reader as tables: each reply is fed whole, one byte at
// a time and in odd-sized pieces, and must read the same way every time.
import { describe, expect, it } from 'vitest';
import { ResponseParser, rawRequestKinds, responseCloses, type ParsedResponse, type ResponseExpectation } from '../../../engine/lab/driver-parse.js';

type Split = 'whole' | 'bytes' | 'sevens';
const SPLITS: Split[] = ['whole', 'bytes', 'sevens'];

function pieces(b: Buffer, split: Split): Buffer[] {
  const size = split === 'whole' ? b.length || 1 : split === 'bytes' ? 1 : 7;
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

interface Read {
  responses: Array<{ status: number | null; version: string; body: string; bodyBytes: number; framing: string; interim: number[]; trailers: Array<[string, string]>; header: Record<string, string> }>;
  /** responses completed only when the connection closed */
  atEnd: number;
  partial: { status: number | null; bodyBytes: number } | null;
  failure: string | null;
}

function read(reply: string, expect: ResponseExpectation[], split: Split, close: 'fin' | 'reset' | 'open' = 'fin'): Read {
  const p = new ResponseParser({ keepBody: true });
  for (const e of expect) p.expect(e);
  const got: ParsedResponse[] = [];
  for (const piece of pieces(Buffer.from(reply, 'latin1'), split)) {
    // the parser must not keep references into a buffer the socket may reuse
    const copy = Buffer.from(piece);
    got.push(...p.feed(copy));
    copy.fill(0x21);
  }
  const before = got.length;
  if (close !== 'open') got.push(...p.end(close === 'fin'));
  return {
    responses: got.map((r) => ({
      status: r.status,
      version: r.version,
      body: r.body!.toString('latin1'),
      bodyBytes: r.bodyBytes,
      framing: r.framing,
      interim: r.interim,
      trailers: r.trailers,
      header: Object.fromEntries(r.headers.map(([k, v]) => [k.toLowerCase(), v])),
    })),
    atEnd: got.length - before,
    partial: p.partial ? { status: p.partial.status, bodyBytes: p.partial.bodyBytes } : null,
    failure: p.failure,
  };
}

const ok = (status: number, body: string, framing: string, extra: Partial<Read['responses'][number]> = {}) => ({ status, body, bodyBytes: body.length, framing, ...extra });

describe('ResponseParser', () => {
  const cases: Array<{ name: string; reply: string; expect?: ResponseExpectation[]; close?: 'fin' | 'reset' | 'open'; want: Array<ReturnType<typeof ok>>; atEnd?: number; partial?: Read['partial']; failure?: RegExp }> = [
    {
      name: 'Content-Length',
      reply: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Child-Pid: 4121\r\n\r\nhello',
      want: [ok(200, 'hello', 'length', { header: { 'content-length': '5', 'x-child-pid': '4121' } } as never)],
      close: 'open',
    },
    {
      name: 'chunked with extensions and trailers',
      reply: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n1\r\n,\r\nA ; x\r\n world abc\r\n0\r\nX-Trailer: yes\r\nX-Other: 2\r\n\r\n',
      want: [ok(200, 'hello, world abc', 'chunked', { trailers: [['X-Trailer', 'yes'], ['X-Other', '2']] })],
      close: 'open',
    },
    {
      name: 'chunked in upper-case hex, no trailers',
      reply: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n',
      want: [ok(200, 'abcdefghijklmnopqrstuvwxyz', 'chunked')],
      close: 'open',
    },
    {
      name: 'Transfer-Encoding wins over Content-Length',
      reply: 'HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n',
      want: [ok(200, 'hi', 'chunked')],
      close: 'open',
    },
    {
      name: 'close-delimited: complete only at the close',
      reply: 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end',
      want: [ok(200, 'until the end', 'close')],
      atEnd: 1,
    },
    {
      name: 'close-delimited, never closed: nothing yet',
      reply: 'HTTP/1.1 200 OK\r\n\r\nmore to come',
      want: [],
      close: 'open',
    },
    {
      name: 'close-delimited cut by a reset is incomplete',
      reply: 'HTTP/1.0 200 OK\r\n\r\npart',
      want: [],
      close: 'reset',
      partial: { status: 200, bodyBytes: 4 },
    },
    {
      name: 'HEAD: no body whatever Content-Length says, the next response follows at once',
      reply: 'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
      expect: [{ head: true }, {}],
      want: [ok(200, '', 'none'), ok(200, 'ok', 'length')],
      close: 'open',
    },
    {
      name: '100 Continue then 200',
      reply: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes',
      want: [ok(200, 'yes', 'length', { interim: [100] })],
      close: 'open',
    },
    {
      name: 'two pipelined responses in one buffer',
      reply: 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nX-Keepalive: 0\r\n\r\none' + 'HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nX-Keepalive: 1\r\n\r\n3\r\ntwo\r\n0\r\n\r\n',
      want: [ok(200, 'one', 'length'), ok(404, 'two', 'chunked')],
      close: 'open',
    },
    {
      name: '204 and 304 have no body',
      reply: 'HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n',
      want: [ok(204, '', 'none'), ok(304, '', 'none'), ok(200, '', 'length')],
      close: 'open',
    },
    {
      name: 'equal repeated Content-Length values are one length',
      reply: 'HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nab',
      want: [ok(200, 'ab', 'length')],
      close: 'open',
    },
    {
      name: 'bare-LF head',
      reply: 'HTTP/1.0 200 OK\nContent-Length: 2\n\nab',
      want: [ok(200, 'ab', 'length', { version: 'HTTP/1.0' } as never)],
      close: 'open',
    },
    {
      name: 'HTTP/0.9: no head, the bytes until the close are the body',
      reply: '<html>hello</html>\n',
      expect: [{ http09: true }],
      want: [{ status: null, body: '<html>hello</html>\n', bodyBytes: 19, framing: 'http09' }] as never,
      atEnd: 1,
    },
    {
      name: 'a 0.9-looking request answered with a head (httpd answers a bad one as 1.0)',
      reply: 'HTTP/1.1 400 Bad Request\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbad',
      expect: [{ http09: true }],
      want: [ok(400, 'bad', 'length')],
    },
    {
      name: 'Content-Length body cut by the close',
      reply: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc',
      want: [],
      partial: { status: 200, bodyBytes: 3 },
    },
    {
      name: 'head cut by the close keeps its status line',
      reply: 'HTTP/1.1 503 Service Unavailable\r\nX-Child',
      want: [],
      partial: { status: 503, bodyBytes: 0 },
    },
    { name: 'not HTTP', reply: 'SSH-2.0-OpenSSH\r\n', want: [], failure: /does not start with an HTTP status line/ },
    { name: 'bad status line', reply: 'HTTP/1.1 OK\r\n\r\n', want: [], failure: /bad status line/ },
    { name: 'bad chunk size', reply: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', want: [], failure: /bad chunk size/ },
    { name: 'chunk longer than its size', reply: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n', want: [], failure: /longer than its size/ },
    { name: 'conflicting Content-Length', reply: 'HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nab', want: [], failure: /bad Content-Length/ },
  ];

  for (const c of cases) {
    it.each(SPLITS)(`${c.name} (%s)`, (split) => {
      const r = read(c.reply, c.expect ?? [], split, c.close ?? 'fin');
      expect(r.responses).toMatchObject(c.want);
      expect(r.responses).toHaveLength(c.want.length);
      if (c.atEnd !== undefined) expect(r.atEnd).toBe(c.atEnd);
      expect(r.partial).toEqual(c.partial ?? null);
      if (c.failure) expect(r.failure).toMatch(c.failure);
      else expect(r.failure).toBeNull();
    });
  }

  it('counts a large body without keeping it', () => {
    const p = new ResponseParser();
    const body = Buffer.alloc(1024 * 1024, 0x61);
    const out = [...p.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n'))];
    for (let i = 0; i < body.length; i += 65536) out.push(...p.feed(body.subarray(i, i + 65536)));
    expect(out).toHaveLength(1);
    expect(out[0].bodyBytes).toBe(1024 * 1024);
    expect(out[0].body).toBeUndefined();
  });
});

describe('responseCloses', () => {
  const res = (version: string, headers: Array<[string, string]>, framing: ParsedResponse['framing'] = 'length'): ParsedResponse => ({
    version,
    status: 200,
    reason: 'OK',
    headers,
    trailers: [],
    framing,
    bodyBytes: 0,
    interim: [],
  });
  it.each([
    ['1.1 without Connection stays open', res('HTTP/1.1', []), false],
    ['Connection: close closes', res('HTTP/1.1', [['Connection', 'close']]), true],
    ['Connection: Keep-Alive on 1.1 stays open', res('HTTP/1.1', [['Connection', 'Keep-Alive']]), false],
    ['1.0 without keep-alive closes', res('HTTP/1.0', []), true],
    ['1.0 with keep-alive stays open', res('HTTP/1.0', [['Connection', 'keep-alive']]), false],
    ['a close-delimited body closes', res('HTTP/1.1', [], 'close'), true],
    ['a 0.9 reply closes', res('HTTP/0.9', [], 'http09'), true],
  ])('%s', (_n, r, closes) => expect(responseCloses(r)).toBe(closes));
});

describe('rawRequestKinds', () => {
  it.each([
    ['one GET', 'GET / HTTP/1.0\r\n\r\n', [{ head: false }]],
    ['HEAD then GET, pipelined', 'HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n', [{ head: true }, { head: false }]],
    ['a POST body is skipped', 'POST / HTTP/1.1\r\nContent-Length: 14\r\n\r\nGET / HTTP/1.1HEAD / HTTP/1.1\r\n\r\n', [{ head: false }, { head: true }]],
    ['a chunked body is skipped', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nHEAD\r\n0\r\n\r\nHEAD / HTTP/1.1\r\n\r\n', [{ head: false }, { head: true }]],
    ['blank lines before a request line', '\r\n\r\nHEAD / HTTP/1.0\r\n\r\n', [{ head: true }]],
    ['HTTP/0.9', 'GET /\r\n', [{ head: false, http09: true }]],
    ['an unfinished head still expects a reply (a 400 or 408)', 'GET / HTTP/1.1\r\nHost: x\r\n', [{ head: false }]],
    ['nothing', '', []],
  ])('%s', (_n, data, kinds) => expect(rawRequestKinds(Buffer.from(data, 'latin1'))).toEqual(kinds));
});
