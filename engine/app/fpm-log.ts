// php-fpm's log line ("[07-Dec-2026 02:59:03] NOTICE: [pool www] child 8292 started")
// as a log event of the stream: the same for the node engine's pool and real php-fpm.
import type { EventOf } from '../protocol/events.js';
import { monoMs } from '../platform/clock.js';

export function fpmLogEvent(line: string, pid: number): EventOf<'log'> | null {
  const m = /^\[[^\]]+\] (NOTICE|WARNING|ERROR|ALERT|DEBUG): (.*)$/.exec(line.trimEnd());
  if (!m) return null;
  return { type: 'log', ts: monoMs(), level: m[1].toLowerCase(), module: 'php-fpm', ah: '', text: m[2], pid, line: line.trimEnd() };
}
