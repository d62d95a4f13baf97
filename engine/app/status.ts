// The pool's status page, in PHP-FPM's text format (fpm_status.c): the same
// field names, order and padding, and with ?full one block per process.
import type { PmStyle } from './pool-config.js';

export interface PoolStatus {
  pool: string;
  pm: PmStyle;
  /** epoch seconds */
  startEpoch: number;
  acceptedConn: number;
  listenQueue: number;
  maxListenQueue: number;
  listenQueueLen: number;
  idle: number;
  active: number;
  maxActive: number;
  maxChildrenReached: number;
  slowRequests: number;
  processes: Array<{ pid: number; state: 'Idle' | 'Running'; startEpoch: number; requests: number; durationUs: number; method: string; uri: string }>;
}

/** strftime "%d/%b/%Y:%H:%M:%S %z" in local time, as php-fpm prints its times. */
export function fpmTime(epochS: number): string {
  const d = new Date(epochS * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  const mon = d.toLocaleString('en-US', { month: 'short' });
  const off = -d.getTimezoneOffset();
  const z = `${off >= 0 ? '+' : '-'}${p(Math.floor(Math.abs(off) / 60))}${p(Math.abs(off) % 60)}`;
  return `${p(d.getDate())}/${mon}/${d.getFullYear()}:${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${z}`;
}

export function renderPoolStatus(s: PoolStatus, full: boolean, nowEpochS: number): string {
  const row = (k: string, v: string | number) => `${`${k}:`.padEnd(22)}${v}\n`;
  let out =
    row('pool', s.pool) +
    row('process manager', s.pm) +
    row('start time', fpmTime(s.startEpoch)) +
    row('start since', nowEpochS - s.startEpoch) +
    row('accepted conn', s.acceptedConn) +
    row('listen queue', s.listenQueue) +
    row('max listen queue', s.maxListenQueue) +
    row('listen queue len', s.listenQueueLen) +
    row('idle processes', s.idle) +
    row('active processes', s.active) +
    row('total processes', s.idle + s.active) +
    row('max active processes', s.maxActive) +
    row('max children reached', s.maxChildrenReached) +
    row('slow requests', s.slowRequests);
  if (full) {
    for (const p of s.processes) {
      out +=
        '\n************************\n' +
        row('pid', p.pid) +
        row('state', p.state) +
        row('start time', fpmTime(p.startEpoch)) +
        row('start since', nowEpochS - p.startEpoch) +
        row('requests', p.requests) +
        row('request duration', p.durationUs) +
        row('request method', p.method) +
        row('request URI', p.uri) +
        row('content length', 0) +
        row('user', '-') +
        row('script', '-') +
        row('last request cpu', '0.00') +
        row('last request memory', 0);
    }
  }
  return out;
}
