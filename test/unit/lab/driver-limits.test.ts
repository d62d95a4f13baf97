// checkLimits: every limit of DRIVER_LIMITS refuses with the exact message the
// page shows; steps just inside the limits pass. Steps go through the protocol
// schema first where it allows the value, as the lab server's would.
import { describe, expect, it } from 'vitest';
import { DRIVER_LIMITS, DriverStep, type DriverStepInput } from '../../../engine/protocol/messages.js';
import { DriverLimitError, checkLimits, drive, requestBytes } from '../../../engine/lab/driver.js';

/** Parse through zod when the schema accepts the step; otherwise take it as typed (checkLimits must still refuse). */
const step = (s: DriverStepInput): DriverStep => {
  const r = DriverStep.safeParse(s);
  return r.success ? r.data : (s as DriverStep);
};

function refusal(steps: DriverStepInput[]): string {
  try {
    checkLimits(steps.map(step));
  } catch (e) {
    expect(e).toBeInstanceOf(DriverLimitError);
    return (e as Error).message;
  }
  return 'accepted';
}

describe('checkLimits', () => {
  it.each<[string, DriverStepInput[], string]>([
    ['burst over the connection limit', [{ mode: 'burst', connections: 300, requests: 1 }], "burst of 300 connections is over the lab's limit of 200 connections at once"],
    ['hold over the connection limit', [{ mode: 'hold', connections: 201, ms: 10 }], "hold of 201 connections is over the lab's limit of 200 connections at once"],
    ['hold longer than a drive may last', [{ mode: 'hold', connections: 1, ms: 130_000 }], "hold of 130 s is over the lab's limit of 120 s for one drive"],
    [
      'burst with too many requests in all',
      [{ mode: 'burst', connections: 200, requests: 100 }],
      "burst of 200 connections × 100 requests is 20,000 requests, over the lab's limit of 10,000 requests in one drive",
    ],
    ['sequential with too many requests', [{ mode: 'sequential', n: 10_001 }], "sequential of 10,001 requests is over the lab's limit of 10,000 requests in one drive"],
    [
      'requests summed over the steps',
      [
        { mode: 'keepalive', n: 6000 },
        { mode: 'single' },
        { mode: 'burst', connections: 100, requests: 40 },
      ],
      "this drive sends 10,001 requests, over the lab's limit of 10,000 requests in one drive",
    ],
    [
      'holds and think times summed over the steps',
      [
        { mode: 'hold', connections: 1, ms: 100_000 },
        { mode: 'keepalive', n: 3, thinkMs: 10_001 },
      ],
      "this drive takes at least 120.002 s (holds and think times), over the lab's limit of 120 s for one drive",
    ],
    ['raw data over the byte limit', [{ mode: 'raw', data: 'x'.repeat(DRIVER_LIMITS.maxRawBytes + 1) }], "raw request of 65,537 bytes is over the lab's limit of 65,536 bytes"],
    [
      'raw data with a character that is not a byte',
      [{ mode: 'raw', data: 'GET /€ HTTP/1.0\r\n\r\n' }],
      'raw request has a character that is not one byte (U+20AC at position 6): use characters U+0000 to U+00FF, one per byte',
    ],
    [
      'the step is named when there are several',
      [{ mode: 'single' }, { mode: 'hold', connections: 250, ms: 1 }],
      "step 2: hold of 250 connections is over the lab's limit of 200 connections at once",
    ],
  ])('%s', (_name, steps, message) => {
    expect(refusal(steps)).toBe(message);
  });

  it.each<[string, DriverStepInput[]]>([
    ['everything at its limit', [{ mode: 'burst', connections: 200, requests: 50 }]],
    ['exactly 10,000 requests over several steps', [{ mode: 'sequential', n: 5000 }, { mode: 'keepalive', n: 4999 }, { mode: 'single' }]],
    ['a hold of exactly 120 s', [{ mode: 'hold', connections: 200, ms: 120_000 }]],
    ['raw latin1 bytes, CR/LF and all', [{ mode: 'raw', data: 'GET /\xe9\xff HTTP/1.0\r\n\r\n'.padEnd(DRIVER_LIMITS.maxRawBytes, ' ') }]],
  ])('accepts %s', (_name, steps) => {
    expect(refusal(steps)).toBe('accepted');
  });

  it('drive() refuses before opening any connection', async () => {
    // port 9 (discard) is never ours: had drive() connected, the error would be a refusal, not the limit
    await expect(drive(9, [step({ mode: 'burst', connections: 300, requests: 1 })])).rejects.toThrow(DriverLimitError);
  });
});

describe('requestBytes', () => {
  it.each<[string, DriverStepInput, string]>([
    ['HTTP/1.1 with Host and the step headers, nothing more', { mode: 'single', path: '/x', headers: [['X-A', '1']] }, 'GET /x HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-A: 1\r\n\r\n'],
    ['HTTP/1.0 gets no Connection header of ours', { mode: 'keepalive', n: 2, version: '1.0' }, 'GET / HTTP/1.0\r\nHost: 127.0.0.1:8080\r\n\r\n'],
    ['a Host of the step replaces ours', { mode: 'single', headers: [['host', 'example']] }, 'GET / HTTP/1.1\r\nhost: example\r\n\r\n'],
    ['HTTP/0.9 is the request line alone', { mode: 'single', version: '0.9' }, 'GET /\r\n'],
    ['HEAD', { mode: 'single', method: 'HEAD', path: '/big?kb=1' }, 'HEAD /big?kb=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n'],
  ])('%s', (_name, s, bytes) => {
    expect(requestBytes(step(s) as never, 8080).toString('latin1')).toBe(bytes);
  });
});
