// The content paths of DESIGN §2, and method handling as real httpd 2.4 answers
// it (checked against Debian's apache2 2.4.71 with the same directives).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, stopAll, type Engine } from '../helpers/engine.js';
import { Conn, get10, get11, once } from '../helpers/http.js';

let e: Engine;
beforeAll(async () => {
  e = await startEngine(['--set', 'StartServers=2']);
});
afterAll(stopAll);

describe('content', () => {
  it.each([
    ['/static/hello.txt', 'text/plain', 20],
    ['/static/1k.txt', 'text/plain', 1024],
    ['/static/100k.txt', 'text/plain', 100 * 1024],
  ])('%s has a known length and file headers', async (path, type, length) => {
    const r = await once(e.port, get10(path));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(type);
    expect(Number(r.headers['content-length'])).toBe(length);
    expect(r.body.length).toBe(length);
    expect(r.headers['etag']).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(r.headers['accept-ranges']).toBe('bytes');
  });

  it('/sleep, /cpu and /whoami answer after doing what they say', async () => {
    expect((await once(e.port, get10('/sleep?ms=50'))).body).toBe('slept 50 ms\n');
    expect((await once(e.port, get10('/cpu?ms=20'))).body).toBe('burned 20 ms of CPU\n');
    const who = JSON.parse((await once(e.port, get10('/whoami'))).body);
    expect(who).toMatchObject({ mpm: 'prefork', thread: 0, generation: 0, keepalive: 0, reqId: 1 });
    expect(who.tid).toBe(who.pid);
  });

  it('/stream is chunked on HTTP/1.1 and close-delimited on HTTP/1.0', async () => {
    const c = await new Conn(e.port).open();
    const r = (await c.request(get11('/stream?chunks=3&ms=10')))!;
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.body).toBe('chunk 1 of 3\nchunk 2 of 3\nchunk 3 of 3\n');
    c.close();
    const r10 = await once(e.port, get10('/stream?chunks=2&ms=10'));
    expect(r10.headers['transfer-encoding']).toBeUndefined();
    expect(r10.headers['content-length']).toBeUndefined();
    expect(r10.body).toBe('chunk 1 of 2\nchunk 2 of 2\n');
  });

  it('/big sends exactly kb KiB with a Content-Length', async () => {
    const r = await once(e.port, get10('/big?kb=300'));
    expect(Number(r.headers['content-length'])).toBe(300 * 1024);
    expect(r.body.length).toBe(300 * 1024);
  });

  it('a bad parameter is a 400 that says which', async () => {
    const r = await once(e.port, get10('/sleep?ms=soon'));
    expect(r.status).toBe(400);
    expect(r.body).toContain("ms must be a whole number, not 'soon'");
  });
});

describe('methods, as httpd answers them', () => {
  it.each([
    ['OPTIONS * HTTP/1.0\r\n\r\n', 200, undefined],
    ['OPTIONS / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 200, 'GET,POST,OPTIONS,HEAD,TRACE'],
    ['PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', 405, 'GET,POST,OPTIONS,HEAD,TRACE'],
    ['POST /static/hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello', 200, undefined],
    ['GET /nope HTTP/1.0\r\n\r\n', 404, undefined],
  ])('%j → %i', async (raw, status, allow) => {
    const r = await once(e.port, raw);
    expect(r.status).toBe(status);
    expect(r.headers['allow']).toBe(allow);
  });

  it('an unknown method is a 501 with Allow, logged as AH00135', async () => {
    const r = await once(e.port, 'BREW / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(r.status).toBe(501);
    expect(r.headers['allow']).toBe('GET,POST,OPTIONS,HEAD,TRACE');
    expect(await e.waitForLog(/AH00135/)).toMatch(/\[core:error\] \[pid \d+\] \[client 127\.0\.0\.1:\d+\] AH00135: Invalid method in request BREW \/ HTTP\/1\.1$/);
  });

  it('TRACE echoes the request as message/http', async () => {
    const r = await once(e.port, 'TRACE /x HTTP/1.1\r\nHost: x\r\nFoo: bar\r\nConnection: close\r\n\r\n');
    expect(r.headers['content-type']).toBe('message/http');
    expect(r.body).toBe('TRACE /x HTTP/1.1\r\nHost: x\r\nFoo: bar\r\nConnection: close\r\n\r\n');
  });

  it('HEAD has the GET headers and no body', async () => {
    const r = await once(e.port, 'HEAD / HTTP/1.0\r\n\r\n');
    expect(r.headers['content-length']).toBe('45');
    expect(r.raw.endsWith('\r\n\r\n')).toBe(true);
  });
});
