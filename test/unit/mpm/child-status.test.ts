// ap_process_child_status as a table: how the parent reports each kind of exit.
import { describe, expect, it } from 'vitest';
import { APEXIT_CHILDFATAL, APEXIT_CHILDSICK, APEXIT_OK, processChildStatus } from '../../../engine/mpm/common/child-status.js';

describe('processChildStatus', () => {
  it.each([
    ['SIGSEGV', 'AH00052', 'child pid 4242 exit signal Segmentation fault (11)'],
    ['SIGABRT', 'AH00052', 'child pid 4242 exit signal Aborted (6)'],
    ['SIGBUS', 'AH00052', 'child pid 4242 exit signal Bus error (7)'],
    ['SIGINT', 'AH00052', 'child pid 4242 exit signal Interrupt (2)'],
  ] as const)('a child killed by %s is a crash: %s', (sig, ah, text) => {
    expect(processChildStatus(4242, null, sig)).toEqual({ status: APEXIT_OK, log: { level: 'notice', module: 'core', ah, text } });
  });

  it.each(['SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGKILL'] as const)('%s is the parent’s own doing: nothing logged', (sig) => {
    expect(processChildStatus(1, null, sig)).toEqual({ status: APEXIT_OK, log: null });
  });

  it.each([
    [0, APEXIT_OK, null],
    [1, APEXIT_OK, null],
    [7, APEXIT_CHILDSICK, null],
    [15, APEXIT_CHILDFATAL, 'AH00050'],
  ])('exit code %i → status %i, log %s', (code, status, ah) => {
    const v = processChildStatus(77, code, null);
    expect(v.status).toBe(status);
    expect(v.log?.ah ?? null).toBe(ah);
  });

  it('words AH00050 as httpd', () => {
    expect(processChildStatus(77, 15, null).log).toEqual({ level: 'alert', module: 'core', ah: 'AH00050', text: 'Child 77 returned a Fatal error... Apache is exiting!' });
  });
});
