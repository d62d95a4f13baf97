import { describe, expect, it } from 'vitest';
import {
  errorDocument,
  escapeHtml,
  httpDate,
  reasonPhrase,
  serializeHead,
  statusLine,
  statusLineText,
} from '../../../engine/http/response.js';

const DOCTYPE = '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n';
const page = (title: string, body: string): string =>
  `${DOCTYPE}<html><head>\n<title>${title}</title>\n</head><body>\n<h1>${title.slice(4)}</h1>\n${body}</body></html>\n`;

describe('status lines', () => {
  it.each([
    { status: 200, line: 'HTTP/1.1 200 OK' },
    { status: 206, line: 'HTTP/1.1 206 Partial Content' },
    { status: 304, line: 'HTTP/1.1 304 Not Modified' },
    { status: 404, line: 'HTTP/1.1 404 Not Found' },
    { status: 413, line: 'HTTP/1.1 413 Request Entity Too Large' },
    { status: 414, line: 'HTTP/1.1 414 Request-URI Too Long' },
    { status: 417, line: 'HTTP/1.1 417 Expectation Failed' },
    { status: 451, line: 'HTTP/1.1 451 Unavailable For Legal Reasons' },
    { status: 503, line: 'HTTP/1.1 503 Service Unavailable' },
    // not in status_lines[]: ap_index_of_response falls back to LEVEL_500
    { status: 299, line: 'HTTP/1.1 500 Internal Server Error' },
    { status: 418, line: 'HTTP/1.1 500 Internal Server Error' },
    { status: 103, line: 'HTTP/1.1 500 Internal Server Error' },
    { status: 99, line: 'HTTP/1.1 500 Internal Server Error' },
  ])('$status → $line', ({ status, line }) => {
    expect(statusLine(status)).toBe(line);
  });

  it('reasonPhrase knows only httpd codes', () => {
    expect(reasonPhrase(408)).toBe('Request Timeout');
    expect(reasonPhrase(226)).toBe('IM Used');
    expect(reasonPhrase(418)).toBeUndefined();
    expect(statusLineText(308)).toBe('308 Permanent Redirect');
  });
});

describe('httpDate', () => {
  it.each([
    { ms: 784111777000, want: 'Sun, 06 Nov 1994 08:49:37 GMT' },
    { ms: 0, want: 'Thu, 01 Jan 1970 00:00:00 GMT' },
    { ms: Date.UTC(2026, 10, 22, 5, 38, 7, 999), want: 'Sun, 22 Nov 2026 05:38:07 GMT' },
  ])('$ms → $want', ({ ms, want }) => {
    expect(httpDate(ms)).toBe(want);
  });
});

describe('errorDocument (default ServerSignature Off)', () => {
  // bodies checked against a real httpd 2.4 (whose only difference, from 2.4.64 on, is the DOCTYPE line)
  it.each([
    { status: 404, opts: {}, body: '<p>The requested URL was not found on this server.</p>\n' },
    {
      status: 400,
      opts: {},
      body: '<p>Your browser sent a request that this server could not understand.<br />\n</p>\n',
    },
    {
      status: 400,
      opts: { errorNotes: 'Size of a request header field exceeds server limit.' },
      body: '<p>Your browser sent a request that this server could not understand.<br />\nSize of a request header field exceeds server limit.</p>\n',
    },
    {
      status: 414,
      opts: {},
      body: "<p>The requested URL's length exceeds the capacity\nlimit for this server.<br />\n</p>\n",
    },
    {
      status: 413,
      opts: { method: 'POST' },
      body: 'The requested resource does not allow request data with POST requests, or the amount of data provided in\nthe request exceeds the capacity limit.\n',
    },
    { status: 501, opts: { method: 'BREW' }, body: '<p>BREW not supported for current URL.<br />\n</p>\n' },
    { status: 405, opts: { method: 'P<O>ST' }, body: '<p>The requested method P&lt;O&gt;ST is not allowed for this URL.</p>\n' },
    { status: 408, opts: {}, body: '<p>Server timeout waiting for the HTTP request from the client.</p>\n' },
    {
      status: 417,
      opts: { expect: '<foo>' },
      body: '<p>The expectation given in the Expect request-header\nfield could not be met by this server.\nThe client sent<pre>\n    Expect: &lt;foo&gt;\n</pre>\n</p><p>Only the 100-continue expectation is supported.</p>\n',
    },
    { status: 301, opts: { location: 'http://h/a?b&c' }, body: '<p>The document has moved <a href="http://h/a?b&amp;c">here</a>.</p>\n' },
    {
      status: 503,
      opts: {},
      body: '<p>The server is temporarily unable to service your\nrequest due to maintenance downtime or capacity\nproblems. Please try again later.</p>\n',
    },
    {
      status: 500,
      opts: { serverAdmin: 'you@example.com' },
      body:
        '<p>The server encountered an internal error or\nmisconfiguration and was unable to complete\nyour request.</p>\n' +
        '<p>Please contact the server administrator at \n you@example.com to inform them of the time this error occurred,\n' +
        ' and the actions you performed just before this error.</p>\n' +
        '<p>More information about this error may be available\nin the server error log.</p>\n',
    },
  ])('$status $opts', ({ status, opts, body }) => {
    expect(errorDocument(status, opts)).toBe(page(statusLineText(status), body));
  });

  it('exact bytes of the 404 page', () => {
    const doc = errorDocument(404);
    expect(doc).toBe(
      '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n' +
        '<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n',
    );
    expect(Buffer.byteLength(doc, 'latin1')).toBe(196);
  });

  it('500 page names httpd\'s built-in ServerAdmin by default', () => {
    expect(errorDocument(500)).toContain('administrator at \n [no address given] to inform');
  });

  it('unknown status: 500 title, 500 text', () => {
    expect(errorDocument(418)).toContain('<title>500 Internal Server Error</title>');
    expect(errorDocument(418)).toContain('<p>The server encountered an internal error');
  });

  it('a ServerSignature goes before </body>', () => {
    const sig = '<hr>\n<address>Apache/2.4.63 (Unix) Server at localhost Port 8080</address>\n';
    expect(errorDocument(404, { signature: sig }).endsWith(`${sig}</body></html>\n`)).toBe(true);
  });

  it('recursive ErrorDocument failure is appended', () => {
    expect(errorDocument(404, { recursiveError: 500 })).toContain(
      '<p>Additionally, a 500 Internal Server Error\nerror was encountered while trying to use an ErrorDocument to handle the request.</p>\n',
    );
  });

  it('escapeHtml escapes only < > & "', () => {
    expect(escapeHtml(`<a href="x">&'é`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;'é");
  });
});

describe('serializeHead', () => {
  it('writes the status line, fields and the blank line', () => {
    const head = serializeHead(404, [
      ['Date', 'Sun, 06 Nov 1994 08:49:37 GMT'],
      ['Server', 'Apache'],
      ['Content-Length', '196'],
      ['Content-Type', 'text/html; charset=iso-8859-1'],
    ]);
    expect(head).toEqual(
      Buffer.from(
        'HTTP/1.1 404 Not Found\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nServer: Apache\r\n' +
          'Content-Length: 196\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n',
      ),
    );
  });

  it('100 Continue is a bare status line', () => {
    expect(serializeHead(100, []).toString()).toBe('HTTP/1.1 100 Continue\r\n\r\n');
  });

  it('keeps bytes as latin1', () => {
    expect([...serializeHead(200, [['X', '\xe9']]).subarray(-6)]).toEqual([0x20, 0xe9, 0x0d, 0x0a, 0x0d, 0x0a]);
  });
});
