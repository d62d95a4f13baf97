// The Listen directive: httpd's ap_set_listener (server/listen.c) plus our
// loopback-only rule. MPM Lab is a teaching engine that can kill processes on
// request; it must never be reachable from the network.

export interface ListenAddr {
  /** "127.0.0.1", "::1", "localhost" or another 127.0.0.0/8 address */
  host: string;
  port: number;
}

export type ListenParse =
  | { ok: true; addr: ListenAddr; /** set when we replaced "all interfaces" with loopback */ note?: string }
  | { ok: false; message: string };

const LOOPBACK_V4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** 127.0.0.0/8, ::1 and the name localhost (any case). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const m = LOOPBACK_V4.exec(h);
  return m !== null && m.slice(1).every((octet) => Number(octet) <= 255);
}

/**
 * Parse `Listen [addr:]port [protocol]` the way apr_parse_addr_port does, then
 * apply the loopback rule. Messages are httpd's where httpd has one.
 */
export function parseListen(args: readonly string[]): ListenParse {
  // httpd's TAKE_ARGV handler checks the count itself, with this wording.
  if (args.length < 1 || args.length > 2) return { ok: false, message: 'Listen requires 1 or 2 arguments.' };
  const [spec, proto] = args as [string, string | undefined];
  if (proto !== undefined && proto.toLowerCase() !== 'http') {
    return { ok: false, message: `MPM Lab serves plain HTTP only: protocol '${proto}' in Listen is not supported` };
  }

  const split = splitAddrPort(spec);
  if (split === undefined) return { ok: false, message: 'Invalid address or port' };
  if (split.port === undefined) return { ok: false, message: 'Port must be specified' };
  const { port } = split;

  // "Listen 8080" and "Listen *:8080" mean every interface in httpd.
  if (split.host === undefined || split.host === '*') {
    return {
      ok: true,
      addr: { host: '127.0.0.1', port },
      note: `Listen ${spec} means all interfaces in httpd; MPM Lab binds 127.0.0.1:${port} instead`,
    };
  }
  if (!isLoopbackHost(split.host)) {
    return {
      ok: false,
      message: `MPM Lab binds loopback only: '${spec}' is not a loopback address (use 127.0.0.1, ::1 or localhost)`,
    };
  }
  return { ok: true, addr: { host: split.host, port } };
}

/** "host:port" text for messages and display; IPv6 in brackets. */
export function formatListen(a: ListenAddr): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/** Same address in httpd's sense (find_listeners compares host and port). */
export function sameListen(a: ListenAddr, b: ListenAddr): boolean {
  return a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port;
}

// --- helpers ---------------------------------------------------------------

interface AddrPort { host?: string; port?: number }

/** undefined = "Invalid address or port"; port undefined = no port given. */
function splitAddrPort(s: string): AddrPort | undefined {
  if (/^\d+$/.test(s)) return portOnly(s);
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(s);
  if (v6) {
    host = v6[1]!;
    portText = v6[2];
  } else {
    const i = s.lastIndexOf(':');
    if (i < 0) {
      host = s;
    } else {
      host = s.slice(0, i);
      portText = s.slice(i + 1);
      // a bare IPv6 literal without brackets: apr refuses it
      if (host.includes(':')) return undefined;
    }
  }
  if (host === '') return undefined;
  if (portText === undefined) return { host };
  const p = portOnly(portText);
  return p && { host, port: p.port };
}

function portOnly(s: string): AddrPort | undefined {
  if (!/^\d+$/.test(s)) return undefined;
  const port = Number(s);
  // apr_parse_addr_port: a port outside 1..65535 is an invalid address
  return port >= 1 && port <= 65535 ? { port } : undefined;
}
