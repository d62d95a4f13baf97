// httpd's keep-alive decision and the two access-log fields that report it.
// ap_set_keepalive() in modules/http/http_protocol.c (2.4.x; ap_h1_set_keepalive on trunk),
// ap_status_drops_connection in include/httpd.h, %k and %X in modules/loggers/mod_log_config.c.
// Spec §7.1 / §7.3.

import { findToken } from './parser.js';

/** c->keepalive. ap_read_request() resets it to 'unknown' before every request. */
export type ConnKeepalive = 'unknown' | 'keepalive' | 'close';

export interface KeepaliveInput {
  /** c->keepalive when the response head is produced ('close' after an earlier error, C-L with chunked, …) */
  connKeepalive: ConnKeepalive;
  /** c->keepalives: responses on this connection already granted keep-alive */
  keepalives: number;
  /** r->expecting_100 still set: the client waits for "100 Continue" we never sent */
  expecting100: boolean;
  /** HEAD request (r->header_only) */
  headerOnly: boolean;
  status: number;
  /** the response already has a Content-Length */
  responseHasContentLength: boolean;
  /** the response already has Transfer-Encoding ending in chunked (ap_is_chunked) */
  responseChunked: boolean;
  /** r->proto_num: 1000 for HTTP/1.0, 1001 for HTTP/1.1 */
  protoNum: number;
  /** KeepAlive On|Off */
  keepAlive: boolean;
  /** KeepAliveTimeout in milliseconds */
  keepAliveTimeoutMs: number;
  /** MaxKeepAliveRequests (0 = unlimited) */
  maxKeepAliveRequests: number;
  /** the response's Connection header as a module set it (its "close" token forces close) */
  responseConnection?: string | null;
  /** the request's Connection header */
  requestConnection?: string | null;
  /** env var nokeepalive (BrowserMatch …); always false in MPM Lab */
  nokeepalive?: boolean;
  /** the request carries a Via header (overrides nokeepalive) */
  requestHasVia?: boolean;
  /** ap_mpm_query(AP_MPMQ_MPM_STATE) == AP_MPMQ_STOPPING: this child is on its way out */
  mpmStopping: boolean;
}

/** Which of the §7.1 conditions failed first, in httpd's evaluation order. */
export type CloseReason =
  | 'connection-marked-close' // 1
  | 'expecting-100' // 2
  | 'unknown-length' // 3
  | 'keepalive-off' // 4
  | 'keepalive-timeout-zero' // 5
  | 'max-keepalive-requests' // 6
  | 'status-drops-connection' // 7
  | 'response-connection-close' // 8
  | 'client-connection-close' // 9
  | 'nokeepalive' // 10
  | 'http10-without-keepalive' // 11
  | 'mpm-stopping'; // 12

export interface KeepaliveDecision {
  keepalive: boolean;
  /** r->chunked: send the body chunked. Set by condition 3 for HTTP/1.1 responses of unknown
   *  length, and it stays set even when a later condition closes the connection. */
  chunked: boolean;
  /** the new c->keepalives */
  keepalives: number;
  /** the new c->keepalive */
  connKeepalive: ConnKeepalive;
  /** headers to set on the response, in the order httpd adds them. A Connection value
   *  already includes the response's own Connection value (apr_table_mergen). */
  headers: Array<[string, string]>;
  /** null when persistent */
  reason: CloseReason | null;
}

/** ap_status_drops_connection(): these statuses always close the connection. */
export function statusDropsConnection(status: number): boolean {
  switch (status) {
    case 400: // HTTP_BAD_REQUEST
    case 408: // HTTP_REQUEST_TIME_OUT
    case 411: // HTTP_LENGTH_REQUIRED
    case 413: // HTTP_REQUEST_ENTITY_TOO_LARGE
    case 414: // HTTP_REQUEST_URI_TOO_LARGE
    case 500: // HTTP_INTERNAL_SERVER_ERROR
    case 503: // HTTP_SERVICE_UNAVAILABLE
    case 501: // HTTP_NOT_IMPLEMENTED
      return true;
    default:
      return false;
  }
}

/** apr_table_mergen: append to an existing value with ", " */
const merge = (existing: string | null | undefined, value: string): string =>
  existing == null ? value : `${existing}, ${value}`;

/** ap_set_keepalive(): the 12 conditions of spec §7.1, evaluated in httpd's order. */
export function setKeepalive(i: KeepaliveInput): KeepaliveDecision {
  const max = i.maxKeepAliveRequests;
  const left = max - i.keepalives;
  const wimpy = findToken(i.responseConnection, 'close');
  const reqConn = i.requestConnection;
  let chunked = false;
  let kaSent = false;

  // The C code is one && chain; evaluation stops at the first false term, so side effects
  // (r->chunked = 1, ka_sent) only happen when every earlier term held.
  let reason: CloseReason | null = null;
  if (i.connKeepalive === 'close') reason = 'connection-marked-close';
  else if (i.expecting100) reason = 'expecting-100';
  else if (
    !(
      i.headerOnly ||
      i.status === 204 || // AP_STATUS_IS_HEADER_ONLY
      i.status === 304 ||
      i.responseHasContentLength ||
      i.responseChunked ||
      (i.protoNum >= 1001 && (chunked = true))
    )
  ) reason = 'unknown-length';
  else if (!i.keepAlive) reason = 'keepalive-off';
  else if (!(i.keepAliveTimeoutMs > 0)) reason = 'keepalive-timeout-zero';
  else if (!(max === 0 || left > 0)) reason = 'max-keepalive-requests';
  else if (statusDropsConnection(i.status)) reason = 'status-drops-connection';
  else if (wimpy) reason = 'response-connection-close';
  else if (findToken(reqConn, 'close')) reason = 'client-connection-close';
  else if (i.nokeepalive && !i.requestHasVia) reason = 'nokeepalive';
  else if (!((kaSent = findToken(reqConn, 'keep-alive')) || i.protoNum >= 1001)) reason = 'http10-without-keepalive';
  else if (i.mpmStopping) reason = 'mpm-stopping';

  const headers: Array<[string, string]> = [];
  if (reason === null) {
    // only a client that asked with the keep-alive token gets the Keep-Alive header
    if (kaSent) {
      const timeout = Math.floor(i.keepAliveTimeoutMs / 1000); // apr_time_sec: 300ms → 0
      headers.push(['Keep-Alive', max ? `timeout=${timeout}, max=${left}` : `timeout=${timeout}`]);
      headers.push(['Connection', merge(i.responseConnection, 'Keep-Alive')]);
    }
    return { keepalive: true, chunked, keepalives: i.keepalives + 1, connKeepalive: 'keepalive', headers, reason };
  }

  // "close" goes to every client, even HTTP/1.0 ones (a 1.0 proxy may front a 1.1 client)
  if (!wimpy) headers.push(['Connection', merge(i.responseConnection, 'close')]);
  // The request limit ran out: count this one anyway so %k keeps numbering (request N+1 logs N).
  // A client's own "Connection: close" gets no such bump, so its %k repeats the previous one.
  let keepalives = i.keepalives;
  if (i.connKeepalive !== 'close' && max && left === 0) keepalives++;
  return { keepalive: false, chunked, keepalives, connKeepalive: 'close', headers, reason };
}

/** %k: keep-alive requests handled on this connection before this one. */
export function logKeepalives(keepalives: number): number {
  return keepalives ? keepalives - 1 : 0;
}

/**
 * %X: 'X' aborted before the response completed, '+' may be kept alive, '-' will close.
 * Quirk: the last request granted keep-alive (left becomes 0) already logs '-',
 * although the connection stays open for one more request.
 */
export function logConnStatus(s: {
  aborted: boolean;
  connKeepalive: ConnKeepalive;
  maxKeepAliveRequests: number;
  keepalives: number;
}): 'X' | '+' | '-' {
  if (s.aborted) return 'X';
  if (s.connKeepalive === 'keepalive' && (!s.maxKeepAliveRequests || s.maxKeepAliveRequests - s.keepalives > 0)) {
    return '+';
  }
  return '-';
}
