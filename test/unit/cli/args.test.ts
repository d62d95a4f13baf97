import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PROCESSES, DEFAULT_MAX_THREADS, parseArgs } from '../../../engine/cli/args.js';

describe('parseArgs', () => {
  it('reads a full run command', () => {
    expect(parseArgs(['run', '--mpm', 'prefork', '--set', 'StartServers=3', '--set=KeepAlive=Off', '--listen', '127.0.0.1:0', '--events', 'jsonl', '--config', 'x.conf'])).toEqual({
      command: 'run',
      mpm: 'prefork',
      backend: 'node',
      config: 'x.conf',
      sets: ['StartServers=3', 'KeepAlive=Off'],
      listen: '127.0.0.1:0',
      events: 'jsonl',
      maxProcesses: DEFAULT_MAX_PROCESSES,
      maxThreads: DEFAULT_MAX_THREADS,
    });
  });

  it('defaults start to port 4321', () => {
    expect(parseArgs(['start'])).toEqual({ command: 'start', port: 4321, open: false, allowOrigins: [], tracesDir: undefined, maxProcesses: DEFAULT_MAX_PROCESSES, maxThreads: DEFAULT_MAX_THREADS });
    expect(parseArgs(['start', '--port', '0', '--open', '--allow-origin', 'https://lab.example.org', '--traces', 't'])).toEqual({
      command: 'start',
      port: 0,
      open: true,
      allowOrigins: ['https://lab.example.org'],
      tracesDir: 't',
      maxProcesses: DEFAULT_MAX_PROCESSES,
      maxThreads: DEFAULT_MAX_THREADS,
    });
  });

  it.each([
    [['run', '--mpm', 'threaded'], /--mpm must be one of prefork, worker, event/],
    [['run', '--set', 'StartServers'], /--set takes Directive=Value/],
    [['run', '--events', 'json'], /--events must be jsonl or none/],
    [['run', '--max-processes', '0'], /--max-processes must be a whole number/],
    [['run', '--bogus', '1'], /unknown option --bogus for run/],
    [['run', '--listen'], /--listen needs a value/],
    [['start', '--port', 'http'], /--port must be a port number/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['start', '--allow-origin', 'https://x.org/path'], /--allow-origin takes an origin like/],
  ])('%j → error', (argv, message) => {
    const r = parseArgs(argv);
    expect(r.command).toBe('error');
    expect(r.command === 'error' && r.message).toMatch(message);
  });
});
