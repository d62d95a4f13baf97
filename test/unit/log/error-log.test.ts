import { describe, expect, it } from 'vitest';
import { formatErrorLogLine, logTime, shouldLog } from '../../../engine/log/error-log.js';

describe('error_log lines', () => {
  const time = new Date(2026, 10, 2, 5, 38, 37, 123).getTime() + 0.456;

  it('formats the time as ap_recent_ctime_ex with microseconds, day zero-padded', () => {
    expect(logTime(time)).toBe('Mon Nov 02 05:38:37.123456 2026');
  });

  it.each([
    [{ level: 'notice', module: 'mpm_prefork', ah: 'AH00163', text: 'x configured -- resuming normal operations', pid: 100 }, '[Mon Nov 02 05:38:37.123456 2026] [mpm_prefork:notice] [pid 100] AH00163: x configured -- resuming normal operations'],
    [{ level: 'emerg', module: 'core', ah: 'AH00072', text: 'make_sock: could not bind', pid: 1, status: '(98)Address already in use' }, '[Mon Nov 02 05:38:37.123456 2026] [core:emerg] [pid 1] (98)Address already in use: AH00072: make_sock: could not bind'],
    [{ level: 'info', module: 'core', ah: 'AH00565', text: 'request failed', pid: 7, client: '127.0.0.1:5555' }, '[Mon Nov 02 05:38:37.123456 2026] [core:info] [pid 7] [client 127.0.0.1:5555] AH00565: request failed'],
    [{ level: 'error', module: 'mpm_worker', ah: '', text: 'no id', pid: 7, tid: 9 }, '[Mon Nov 02 05:38:37.123456 2026] [mpm_worker:error] [pid 7:tid 9] no id'],
    [{ level: 'warn', module: 'mpm_prefork', ah: 'AH00180', text: 'WARNING: MaxRequestWorkers of 300 ...', pid: 7, startup: true }, 'AH00180: WARNING: MaxRequestWorkers of 300 ...'],
    [{ level: 'info', module: 'core', ah: '', text: 'bad byte \x01 and \\ here', pid: 7 }, '[Mon Nov 02 05:38:37.123456 2026] [core:info] [pid 7] bad byte \\x01 and \\\\ here'],
  ] as const)('%#', (entry, line) => {
    expect(formatErrorLogLine({ ...entry, time } as never)).toBe(line);
  });

  it.each([
    ['notice', 'emerg', true], // notice is always logged
    ['info', 'warn', false],
    ['warn', 'warn', true],
    ['error', 'warn', true],
    ['debug', 'info', false],
    ['info', 'debug', true],
  ] as const)('%s at LogLevel %s → %s', (level, configured, logged) => {
    expect(shouldLog(level, configured)).toBe(logged);
  });
});
