// Response helpers matching httpd 2.4: status_lines[] and ap_send_error_response() /
// get_canned_error_string() from modules/http/http_protocol.c, basic_http_header() from
// modules/http/http_filters.c, apr_rfc822_date() for the Date header.

/** status_lines[] (RESPONSE_CODES). Codes not listed here are unknown to httpd. */
const STATUS_LINES: ReadonlyMap<number, string> = new Map(
  [
    [100, 'Continue'],
    [101, 'Switching Protocols'],
    [102, 'Processing'],
    [200, 'OK'],
    [201, 'Created'],
    [202, 'Accepted'],
    [203, 'Non-Authoritative Information'],
    [204, 'No Content'],
    [205, 'Reset Content'],
    [206, 'Partial Content'],
    [207, 'Multi-Status'],
    [208, 'Already Reported'],
    [226, 'IM Used'],
    [300, 'Multiple Choices'],
    [301, 'Moved Permanently'],
    [302, 'Found'],
    [303, 'See Other'],
    [304, 'Not Modified'],
    [305, 'Use Proxy'],
    [307, 'Temporary Redirect'],
    [308, 'Permanent Redirect'],
    [400, 'Bad Request'],
    [401, 'Unauthorized'],
    [402, 'Payment Required'],
    [403, 'Forbidden'],
    [404, 'Not Found'],
    [405, 'Method Not Allowed'],
    [406, 'Not Acceptable'],
    [407, 'Proxy Authentication Required'],
    [408, 'Request Timeout'],
    [409, 'Conflict'],
    [410, 'Gone'],
    [411, 'Length Required'],
    [412, 'Precondition Failed'],
    [413, 'Request Entity Too Large'],
    [414, 'Request-URI Too Long'],
    [415, 'Unsupported Media Type'],
    [416, 'Requested Range Not Satisfiable'],
    [417, 'Expectation Failed'],
    [421, 'Misdirected Request'],
    [422, 'Unprocessable Entity'],
    [423, 'Locked'],
    [424, 'Failed Dependency'],
    [426, 'Upgrade Required'],
    [428, 'Precondition Required'],
    [429, 'Too Many Requests'],
    [431, 'Request Header Fields Too Large'],
    [451, 'Unavailable For Legal Reasons'],
    [500, 'Internal Server Error'],
    [501, 'Not Implemented'],
    [502, 'Bad Gateway'],
    [503, 'Service Unavailable'],
    [504, 'Gateway Timeout'],
    [505, 'HTTP Version Not Supported'],
    [506, 'Variant Also Negotiates'],
    [507, 'Insufficient Storage'],
    [508, 'Loop Detected'],
    [510, 'Not Extended'],
    [511, 'Network Authentication Required'],
  ].map(([code, reason]): [number, string] => [code as number, `${code} ${reason}`]),
);

/** The reason phrase httpd knows for `status`, or undefined. */
export function reasonPhrase(status: number): string | undefined {
  return STATUS_LINES.get(status)?.slice(4);
}

/**
 * ap_get_status_line(): "404 Not Found". An unknown code (e.g. 299, 418) maps to
 * "500 Internal Server Error", because ap_index_of_response falls back to LEVEL_500.
 */
export function statusLineText(status: number): string {
  return STATUS_LINES.get(status) ?? '500 Internal Server Error';
}

/** The status line without CRLF. httpd answers "HTTP/1.1" even to HTTP/1.0 clients (AP_SERVER_PROTOCOL). */
export function statusLine(status: number): string {
  return `HTTP/1.1 ${statusLineText(status)}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** apr_rfc822_date(): "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate). */
export function httpDate(epochMs: number): string {
  const d = new Date(epochMs);
  return (
    `${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} GMT`
  );
}

/** ap_escape_html(): < > & " only; bytes ≥ 0x80 pass through. */
export function escapeHtml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '&quot;'));
}

export interface ErrorDocumentOptions {
  /** r->method: named in the 405, 411, 413 and 501 pages */
  method?: string;
  /** Location for 3xx pages */
  location?: string;
  /** r->notes "error-notes" (RequestError.errorNotes); appended by 400, 403, 411, 414, 417, 451, 501, 502 */
  errorNotes?: string | null;
  /** the request's Expect header, quoted by the 417 page */
  expect?: string | null;
  /** ServerAdmin, quoted by the 500 page. httpd's built-in default is "[no address given]". */
  serverAdmin?: string;
  /** ServerSignature output including its "<hr>\n" prefix; "" with the default ServerSignature Off */
  signature?: string;
  /** a second error met while running an ErrorDocument */
  recursiveError?: number;
}

/** add_optional_notes(): prefix + notes + suffix */
const withNotes = (prefix: string, notes: string | null | undefined, suffix: string): string =>
  prefix + (notes ?? '') + suffix;

/** get_canned_error_string() */
function cannedErrorString(status: number, o: ErrorDocumentOptions): string {
  const method = escapeHtml(o.method ?? '');
  const location = escapeHtml(o.location ?? '');
  switch (status) {
    case 301:
    case 302:
    case 307:
    case 308:
      return `<p>The document has moved <a href="${location}">here</a>.</p>\n`;
    case 303:
      return `<p>The answer to your request is located <a href="${location}">here</a>.</p>\n`;
    case 305:
      return '<p>This resource is only accessible through the proxy\n<br />\nYou will need to configure your client to use that proxy.</p>\n';
    case 407:
    case 401:
      return (
        '<p>This server could not verify that you\nare authorized to access the document\n' +
        'requested.  Either you supplied the wrong\ncredentials (e.g., bad password), or your\n' +
        "browser doesn't understand how to supply\nthe credentials required.</p>\n"
      );
    case 400:
      return withNotes('<p>Your browser sent a request that this server could not understand.<br />\n', o.errorNotes, '</p>\n');
    case 403:
      return withNotes("<p>You don't have permission to access this resource.", o.errorNotes, '</p>\n');
    case 404:
      return '<p>The requested URL was not found on this server.</p>\n';
    case 405:
      return `<p>The requested method ${method} is not allowed for this URL.</p>\n`;
    case 406:
      // the "variant-list" note is never set in MPM Lab
      return '<p>An appropriate representation of the requested resource could not be found on this server.</p>\n';
    case 300:
      return '';
    case 411:
      return withNotes(`<p>A request of the requested method ${method} requires a valid Content-length.<br />\n`, o.errorNotes, '</p>\n');
    case 412:
      return '<p>The precondition on the request for this URL evaluated to false.</p>\n';
    case 501:
      return withNotes(`<p>${method} not supported for current URL.<br />\n`, o.errorNotes, '</p>\n');
    case 502:
      return withNotes('<p>The proxy server received an invalid\r\nresponse from an upstream server.<br />\r\n', o.errorNotes, '</p>\n');
    case 506:
      return '<p>A variant for the requested resource\n<pre>\n\n</pre>\nis itself a negotiable resource. This indicates a configuration error.</p>\n';
    case 408:
      return '<p>Server timeout waiting for the HTTP request from the client.</p>\n';
    case 410:
      return '<p>The requested resource is no longer available on this server and there is no forwarding address.\nPlease remove all references to this resource.</p>\n';
    case 413:
      // sic: httpd's 413 text has no <p>
      return `The requested resource does not allow request data with ${method} requests, or the amount of data provided in\nthe request exceeds the capacity limit.\n`;
    case 414:
      return withNotes("<p>The requested URL's length exceeds the capacity\nlimit for this server.<br />\n", o.errorNotes, '</p>\n');
    case 415:
      return '<p>The supplied request data is not in a format\nacceptable for processing by this resource.</p>\n';
    case 416:
      return '<p>None of the range-specifier values in the Range\nrequest-header field overlap the current extent\nof the selected resource.</p>\n';
    case 417: {
      const s1 =
        o.expect != null
          ? `<p>The expectation given in the Expect request-header\nfield could not be met by this server.\nThe client sent<pre>\n    Expect: ${escapeHtml(o.expect)}\n</pre>\n`
          : '<p>No expectation was seen, the Expect request-header \nfield was not presented by the client.\n';
      return withNotes(s1, o.errorNotes, '</p><p>Only the 100-continue expectation is supported.</p>\n');
    }
    case 422:
      return '<p>The server understands the media type of the\nrequest entity, but was unable to process the\ncontained instructions.</p>\n';
    case 423:
      return '<p>The requested resource is currently locked.\nThe lock must be released or proper identification\ngiven before the method can be applied.</p>\n';
    case 424:
      return '<p>The method could not be performed on the resource\nbecause the requested action depended on another\naction and that other action failed.</p>\n';
    case 426:
      return (
        '<p>The requested resource can only be retrieved\nusing SSL.  The server is willing to upgrade the current\n' +
        "connection to SSL, but your client doesn't support it.\nEither upgrade your client, or try requesting the page\nusing https://\n"
      );
    case 428:
      return '<p>The request is required to be conditional.</p>\n';
    case 429:
      return '<p>The user has sent too many requests\nin a given amount of time.</p>\n';
    case 431:
      return '<p>The server refused this request because\nthe request header fields are too large.</p>\n';
    case 507:
      return (
        '<p>The method could not be performed on the resource\nbecause the server is unable to store the\n' +
        'representation needed to successfully complete the\nrequest.  There is insufficient free space left in\nyour storage allocation.</p>\n'
      );
    case 503:
      return '<p>The server is temporarily unable to service your\nrequest due to maintenance downtime or capacity\nproblems. Please try again later.</p>\n';
    case 504:
      return '<p>The gateway did not receive a timely response\nfrom the upstream server or application.</p>\n';
    case 508:
      return '<p>The server terminated an operation because\nit encountered an infinite loop.</p>\n';
    case 510:
      return '<p>A mandatory extension policy in the request is not\naccepted by the server for this resource.</p>\n';
    case 511:
      return '<p>The client needs to authenticate to gain\nnetwork access.</p>\n';
    case 421:
      return '<p>The client needs a new connection for this\nrequest as the requested host name does not match\nthe Server Name Indication (SNI) in use for this\nconnection.</p>\n';
    case 451:
      return withNotes('<p>Access to this URL has been denied for legal reasons.<br />\n', o.errorNotes, '</p>\n');
    default: // HTTP_INTERNAL_SERVER_ERROR and every code without its own text
      return (
        '<p>The server encountered an internal error or\nmisconfiguration and was unable to complete\nyour request.</p>\n' +
        `<p>Please contact the server administrator at \n ${escapeHtml(o.serverAdmin ?? '[no address given]')}` +
        ' to inform them of the time this error occurred,\n and the actions you performed just before this error.</p>\n' +
        '<p>More information about this error may be available\nin the server error log.</p>\n'
      );
  }
}

/**
 * The body of httpd's built-in error page (ap_send_error_response without an ErrorDocument).
 * Sent as "text/html; charset=iso-8859-1"; not sent at all for HEAD, 204 and 304.
 * With the default ServerSignature Off there is no "<hr>"/<address> line.
 */
export function errorDocument(status: number, opts: ErrorDocumentOptions = {}): string {
  const title = statusLineText(status);
  let page =
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n' +
    `<html><head>\n<title>${title}</title>\n</head><body>\n<h1>${title.slice(4)}</h1>\n` +
    cannedErrorString(status, opts);
  if (opts.recursiveError) {
    page +=
      `<p>Additionally, a ${statusLineText(opts.recursiveError)}\n` +
      'error was encountered while trying to use an ErrorDocument to handle the request.</p>\n';
  }
  return page + (opts.signature ?? '') + '</body></html>\n';
}

/** The status line and header fields, CRLF-terminated, as bytes (latin1: one char per byte). */
export function serializeHead(status: number, headers: ReadonlyArray<readonly [string, string]>): Buffer {
  let s = `${statusLine(status)}\r\n`;
  for (const [k, v] of headers) s += `${k}: ${v}\r\n`;
  return Buffer.from(`${s}\r\n`, 'latin1');
}
