import { describe, expect, it } from 'vitest';
import {
  logConnStatus,
  logKeepalives,
  setKeepalive,
  statusDropsConnection,
  type KeepaliveInput,
} from '../../../engine/http/keepalive.js';

/** A response that may stay persistent: HTTP/1.1, 200 with Content-Length, httpd defaults. */
const base: KeepaliveInput = {
  connKeepalive: 'unknown',
  keepalives: 0,
  expecting100: false,
  headerOnly: false,
  status: 200,
  responseHasContentLength: true,
  responseChunked: false,
  protoNum: 1001,
  keepAlive: true,
  keepAliveTimeoutMs: 5000,
  maxKeepAliveRequests: 100,
  responseConnection: null,
  requestConnection: null,
  nokeepalive: false,
  requestHasVia: false,
  mpmStopping: false,
};

const http10ka: Partial<KeepaliveInput> = { protoNum: 1000, requestConnection: 'keep-alive' };

describe('setKeepalive: one row per spec §7.1 condition', () => {
  it.each([
    { name: 'baseline HTTP/1.1 with a length stays open', in: {}, keepalive: true, reason: null },
    // 1
    { name: '1: connection already marked close', in: { connKeepalive: 'close' as const }, keepalive: false, reason: 'connection-marked-close' },
    // 2
    { name: '2: client still expects 100-continue', in: { expecting100: true }, keepalive: false, reason: 'expecting-100' },
    // 3
    { name: '3: HTTP/1.0 keep-alive, unknown length closes', in: { ...http10ka, responseHasContentLength: false }, keepalive: false, reason: 'unknown-length' },
    { name: '3: HTTP/1.1 unknown length is chunked', in: { responseHasContentLength: false }, keepalive: true, reason: null, chunked: true },
    { name: '3: HEAD needs no length', in: { ...http10ka, responseHasContentLength: false, headerOnly: true }, keepalive: true, reason: null },
    { name: '3: 204 needs no length', in: { ...http10ka, responseHasContentLength: false, status: 204 }, keepalive: true, reason: null },
    { name: '3: 304 needs no length', in: { ...http10ka, responseHasContentLength: false, status: 304 }, keepalive: true, reason: null },
    { name: '3: already chunked by a module', in: { ...http10ka, responseHasContentLength: false, responseChunked: true }, keepalive: true, reason: null },
    // 4
    { name: '4: KeepAlive Off', in: { keepAlive: false }, keepalive: false, reason: 'keepalive-off' },
    { name: '4: KeepAlive Off, HTTP/1.1 unknown length is still chunked', in: { keepAlive: false, responseHasContentLength: false }, keepalive: false, reason: 'keepalive-off', chunked: true },
    // 5
    { name: '5: KeepAliveTimeout 0', in: { keepAliveTimeoutMs: 0 }, keepalive: false, reason: 'keepalive-timeout-zero' },
    // 6
    { name: '6: MaxKeepAliveRequests reached', in: { keepalives: 100 }, keepalive: false, reason: 'max-keepalive-requests', keepalives: 101 },
    { name: '6: MaxKeepAliveRequests 0 is unlimited', in: { keepalives: 5000, maxKeepAliveRequests: 0 }, keepalive: true, reason: null, keepalives: 5001 },
    // 7 (one row per status below)
    { name: '7: 400 drops the connection', in: { status: 400 }, keepalive: false, reason: 'status-drops-connection' },
    { name: '7: 404 does not', in: { status: 404 }, keepalive: true, reason: null },
    // 8
    { name: '8: response carries Connection: close', in: { responseConnection: 'close' }, keepalive: false, reason: 'response-connection-close' },
    // 9
    { name: '9: client sent Connection: close', in: { requestConnection: 'close' }, keepalive: false, reason: 'client-connection-close' },
    { name: '9: close wins over keep-alive', in: { requestConnection: 'keep-alive, close' }, keepalive: false, reason: 'client-connection-close' },
    // 10
    { name: '10: nokeepalive env', in: { nokeepalive: true }, keepalive: false, reason: 'nokeepalive' },
    { name: '10: nokeepalive overridden by Via', in: { nokeepalive: true, requestHasVia: true }, keepalive: true, reason: null },
    // 11
    { name: '11: HTTP/1.0 without keep-alive token', in: { protoNum: 1000 }, keepalive: false, reason: 'http10-without-keepalive' },
    { name: '11: HTTP/1.0 with Connection: keep-alive', in: http10ka, keepalive: true, reason: null },
    // 12
    { name: '12: this child is stopping', in: { mpmStopping: true }, keepalive: false, reason: 'mpm-stopping' },
  ])('$name', (row) => {
    const d = setKeepalive({ ...base, ...row.in });
    expect(d.keepalive).toBe(row.keepalive);
    expect(d.reason).toBe(row.reason);
    expect(d.connKeepalive).toBe(row.keepalive ? 'keepalive' : 'close');
    expect(d.chunked).toBe(row.chunked ?? false);
    const before = { ...base, ...row.in }.keepalives;
    expect(d.keepalives).toBe(row.keepalives ?? (row.keepalive ? before + 1 : before));
    if (!row.keepalive && row.reason !== 'response-connection-close') {
      expect(d.headers).toEqual([['Connection', 'close']]);
    }
  });

  it.each([400, 408, 411, 413, 414, 500, 501, 503])('status %i forces close', (status) => {
    expect(statusDropsConnection(status)).toBe(true);
    const d = setKeepalive({ ...base, status });
    expect(d).toMatchObject({ keepalive: false, reason: 'status-drops-connection', headers: [['Connection', 'close']] });
  });

  it.each([200, 204, 301, 304, 401, 403, 404, 405, 417, 502, 504])('status %i does not force close', (status) => {
    expect(statusDropsConnection(status)).toBe(false);
    expect(setKeepalive({ ...base, status }).keepalive).toBe(true);
  });

  it('conditions are checked in httpd order: the first failing one is reported', () => {
    const d = setKeepalive({ ...base, expecting100: true, keepAlive: false, status: 500, mpmStopping: true });
    expect(d.reason).toBe('expecting-100');
    // condition 3 was never reached, so r->chunked was not set either
    expect(setKeepalive({ ...base, connKeepalive: 'close', responseHasContentLength: false }).chunked).toBe(false);
  });
});

describe('setKeepalive: headers', () => {
  it.each([
    { name: 'HTTP/1.0 keep-alive, first request', in: http10ka, want: [['Keep-Alive', 'timeout=5, max=100'], ['Connection', 'Keep-Alive']] },
    { name: 'HTTP/1.0 keep-alive, second request', in: { ...http10ka, keepalives: 1 }, want: [['Keep-Alive', 'timeout=5, max=99'], ['Connection', 'Keep-Alive']] },
    { name: 'KeepAliveTimeout 300ms prints whole seconds', in: { ...http10ka, keepAliveTimeoutMs: 300 }, want: [['Keep-Alive', 'timeout=0, max=100'], ['Connection', 'Keep-Alive']] },
    { name: 'KeepAliveTimeout 15999ms', in: { ...http10ka, keepAliveTimeoutMs: 15999 }, want: [['Keep-Alive', 'timeout=15, max=100'], ['Connection', 'Keep-Alive']] },
    { name: 'unlimited requests: no max', in: { ...http10ka, maxKeepAliveRequests: 0 }, want: [['Keep-Alive', 'timeout=5'], ['Connection', 'Keep-Alive']] },
    { name: 'HTTP/1.1 without the token gets nothing', in: {}, want: [] },
    { name: 'HTTP/1.1 with the token gets the header too', in: { requestConnection: 'Keep-Alive' }, want: [['Keep-Alive', 'timeout=5, max=100'], ['Connection', 'Keep-Alive']] },
    { name: 'merged into an existing Connection', in: { ...http10ka, responseConnection: 'Upgrade' }, want: [['Keep-Alive', 'timeout=5, max=100'], ['Connection', 'Upgrade, Keep-Alive']] },
    { name: 'close merged into an existing Connection', in: { responseConnection: 'Upgrade', keepAlive: false }, want: [['Connection', 'Upgrade, close']] },
    { name: 'no second close when the response has one', in: { responseConnection: 'close' }, want: [] },
    { name: 'HTTP/1.0 client without the token still gets close', in: { protoNum: 1000 }, want: [['Connection', 'close']] },
  ])('$name', ({ in: input, want }) => {
    expect(setKeepalive({ ...base, ...input }).headers).toEqual(want);
  });

  it('ap_find_token prefix quirk: "Connection: clo" closes', () => {
    expect(setKeepalive({ ...base, requestConnection: 'clo' }).reason).toBe('client-connection-close');
    expect(setKeepalive({ ...base, requestConnection: 'closed' }).keepalive).toBe(true);
  });
});

/** One connection: ap_read_request resets c->keepalive before each request; %k/%X read the result. */
function connection(inputs: Array<Partial<KeepaliveInput>>, common: Partial<KeepaliveInput> = {}) {
  let keepalives = 0;
  const rows: Array<{ keepalive: boolean; k: number; X: string; headers: Array<[string, string]> }> = [];
  for (const input of inputs) {
    const d = setKeepalive({ ...base, ...common, ...input, connKeepalive: 'unknown', keepalives });
    keepalives = d.keepalives;
    rows.push({
      keepalive: d.keepalive,
      k: logKeepalives(keepalives),
      X: logConnStatus({ aborted: false, connKeepalive: d.connKeepalive, maxKeepAliveRequests: common.maxKeepAliveRequests ?? 100, keepalives }),
      headers: d.headers,
    });
    if (!d.keepalive) break;
  }
  return rows;
}

describe('a connection over several requests', () => {
  it('MaxKeepAliveRequests 3 carries 4 requests: %k 0 1 2 3, %X + + - -', () => {
    const rows = connection([{}, {}, {}, {}, {}], { ...http10ka, maxKeepAliveRequests: 3 });
    expect(rows.map((r) => r.keepalive)).toEqual([true, true, true, false]);
    expect(rows.map((r) => r.k)).toEqual([0, 1, 2, 3]);
    expect(rows.map((r) => r.X)).toEqual(['+', '+', '-', '-']);
    expect(rows.map((r) => r.headers[0])).toEqual([
      ['Keep-Alive', 'timeout=5, max=3'],
      ['Keep-Alive', 'timeout=5, max=2'],
      ['Keep-Alive', 'timeout=5, max=1'],
      ['Connection', 'close'],
    ]);
  });

  it('client Connection: close on request 3 is not counted: %k 0 1 1', () => {
    const rows = connection([{}, {}, { requestConnection: 'close' }]);
    expect(rows.map((r) => r.keepalive)).toEqual([true, true, false]);
    expect(rows.map((r) => r.k)).toEqual([0, 1, 1]);
    expect(rows.map((r) => r.X)).toEqual(['+', '+', '-']);
  });

  it('a closing status on request 2 is not counted either', () => {
    const rows = connection([{}, { status: 400 }]);
    expect(rows.map((r) => r.k)).toEqual([0, 0]);
  });

  it('client close exactly when the limit runs out still gets the bump', () => {
    const rows = connection([{}, {}, { requestConnection: 'close' }], { maxKeepAliveRequests: 2 });
    expect(rows.map((r) => r.k)).toEqual([0, 1, 2]);
  });
});

describe('log fields', () => {
  it.each([
    { keepalives: 0, k: 0 },
    { keepalives: 1, k: 0 },
    { keepalives: 2, k: 1 },
    { keepalives: 101, k: 100 },
  ])('%k for keepalives=$keepalives is $k', ({ keepalives, k }) => {
    expect(logKeepalives(keepalives)).toBe(k);
  });

  it.each([
    { aborted: true, connKeepalive: 'keepalive' as const, max: 100, keepalives: 1, want: 'X' },
    { aborted: false, connKeepalive: 'keepalive' as const, max: 100, keepalives: 1, want: '+' },
    { aborted: false, connKeepalive: 'keepalive' as const, max: 100, keepalives: 100, want: '-' },
    { aborted: false, connKeepalive: 'keepalive' as const, max: 0, keepalives: 100, want: '+' },
    { aborted: false, connKeepalive: 'close' as const, max: 100, keepalives: 1, want: '-' },
    { aborted: false, connKeepalive: 'unknown' as const, max: 100, keepalives: 0, want: '-' },
  ])('%X aborted=$aborted conn=$connKeepalive max=$max keepalives=$keepalives → $want', (r) => {
    expect(
      logConnStatus({ aborted: r.aborted, connKeepalive: r.connKeepalive, maxKeepAliveRequests: r.max, keepalives: r.keepalives }),
    ).toBe(r.want);
  });
});
