// The one place that touches Node's internal TCP handle API (not in @types/node).
//
// The MPM parent owns the listening sockets like httpd's parent: it binds them
// and keeps a handle it never polls (the mechanism behind node:cluster's shared
// handles), and hands dup'd copies to children over IPC. libuv reports a bind
// failure (EADDRINUSE) only at listen() time, and a child that listen()s on an
// unbound copy silently binds 0.0.0.0 on a random port — so we read the bound
// address back here and refuse anything that is not exactly what was asked.
import net from 'node:net';
import os from 'node:os';

/** Opaque: a bound, never-polled TCP server handle (libuv uv_tcp_t). */
export interface ListenHandle {
  readonly __listenHandle: unique symbol;
}

interface TcpWrap {
  getsockname(out: Record<string, unknown>): number;
  close(cb?: () => void): void;
}

type CreateServerHandle = (address: string, port: number, addressType: number, fd?: number, flags?: number) => TcpWrap | number;

const createServerHandle = (net as unknown as { _createServerHandle: CreateServerHandle })._createServerHandle;

export class ListenError extends Error {
  constructor(
    readonly address: string,
    readonly port: number,
    readonly errno: number,
  ) {
    super(`could not bind to address ${address}:${port}`);
  }
  /** httpd's "(98)Address already in use" prefix. */
  get aprStatus(): string {
    const code = -this.errno;
    const name = os.constants.errno ? Object.entries(os.constants.errno).find(([, v]) => v === code)?.[0] : undefined;
    return `(${code})${ERRNO_TEXT[name ?? ''] ?? name ?? 'Unknown error'}`;
  }
}

const ERRNO_TEXT: Record<string, string> = {
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EACCES: 'Permission denied',
};

export interface BoundAddress {
  address: string;
  port: number;
}

/** Bind (but do not listen on) host:port. Throws ListenError when the address is not ours. */
export function bindListener(host: string, port: number): { handle: ListenHandle; bound: BoundAddress } {
  const family = net.isIPv6(host) ? 6 : 4;
  const h = createServerHandle(host, port, family);
  if (typeof h === 'number') throw new ListenError(host, port, h);
  const out: Record<string, unknown> = {};
  const err = h.getsockname(out);
  if (err !== 0 || out.address !== host || typeof out.port !== 'number' || out.port === 0 || (port !== 0 && out.port !== port)) {
    h.close();
    throw new ListenError(host, port, err !== 0 ? err : -98);
  }
  return { handle: h as unknown as ListenHandle, bound: { address: host, port: out.port } };
}

export function closeListener(handle: ListenHandle): void {
  (handle as unknown as TcpWrap).close();
}

/** What child_process.send() accepts as a handle to pass (a "net.Native" TCP wrap). */
export function asSendHandle(handle: ListenHandle): net.Server {
  return handle as unknown as net.Server;
}
