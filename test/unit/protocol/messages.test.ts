// The wire schemas: what the lab accepts, what it refuses, and that the two
// sides agree on shapes (requests, driver steps, traces).
import { describe, expect, it } from 'vitest';
import { EngineEvent } from '../../../engine/protocol/events.js';
import { ClientRequest, DriverStep, REQUEST_TYPES, ServerMessage } from '../../../engine/protocol/messages.js';
import { parseTrace } from '../../../engine/protocol/trace.js';

describe('ClientRequest', () => {
  it.each([
    { type: 'engine.start', id: 1, mpm: 'prefork' },
    { type: 'engine.start', id: 'a1', mpm: 'event', config: 'ThreadsPerChild 5\n', sets: ['StartServers=1'] },
    { type: 'engine.restart', id: 2, instance: 'a', mode: 'graceful' },
    { type: 'child.kill', id: 3, instance: 'a', pid: 4242 },
    { type: 'drive', id: 4, instance: 'a', steps: [{ mode: 'sequential', n: 5, version: '1.0' }, { mode: 'raw', data: 'GET / HTTP/1.0\r\n\r\n' }] },
    { type: 'subscribe', id: 5 },
    { type: 'traces.get', id: 6, name: 'lesson-1.jsonl' },
    { type: 'engine.start', id: 7, mpm: 'prefork', backend: 'httpd', statusPoll: false },
    { type: 'instance.memory', id: 8, instance: 'a' },
  ])('accepts %j', (m) => {
    expect(ClientRequest.safeParse(m).success).toBe(true);
  });

  it.each([
    [{ type: 'engine.start', mpm: 'prefork' }, 'id'],
    [{ type: 'engine.start', id: 1, mpm: 'apache1' }, 'mpm'],
    [{ type: 'engine.restart', id: 1, instance: 'a', mode: 'soft' }, 'mode'],
    [{ type: 'child.kill', id: 1, instance: 'a', pid: 0 }, 'pid'],
    [{ type: 'instance.memory', id: 1 }, 'instance'],
    [{ type: 'engine.start', id: 1, mpm: 'prefork', statusPoll: 'no' }, 'statusPoll'],
    [{ type: 'child.kill', id: 1, instance: 'a', pid: 5, signal: 'SIGSTOP' }, 'signal'],
    [{ type: 'drive', id: 1, instance: 'a', steps: [] }, 'steps'],
    [{ type: 'drive', id: 1, instance: 'a', steps: [{ mode: 'burst', connections: 201, requests: 1 }] }, 'connections'],
    [{ type: 'drive', id: 1, instance: 'a', steps: [{ mode: 'single', path: 'no-slash' }] }, 'path'],
    [{ type: 'traces.get', id: 1, name: '../../etc/passwd' }, 'name'],
    [{ type: 'engine.start', id: 1, mpm: 'prefork', config: 'x'.repeat(70_000) }, 'config'],
  ])('refuses %j (at %s)', (m, field) => {
    const r = ClientRequest.safeParse(m);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues.map((i) => i.path))).toContain(field);
  });

  it('lists every request type once', () => {
    expect(new Set(REQUEST_TYPES).size).toBe(REQUEST_TYPES.length);
    expect(REQUEST_TYPES).toContain('drive');
  });

  it('fills driver defaults: GET / over HTTP/1.1, no extra headers', () => {
    expect(DriverStep.parse({ mode: 'single' })).toEqual({ mode: 'single', method: 'GET', path: '/', version: '1.1', headers: [] });
  });
});

describe('events and server messages', () => {
  const requestEnd = {
    type: 'request.end', ts: 1.5, pid: 10, tid: 10, slot: 0, thread: 0, connId: '10-1', reqId: 1, method: 'GET', path: '/', version: 'HTTP/1.0',
    request: 'GET / HTTP/1.0', status: 200, bytes: 45, durationMs: 0.4, keepalive: 0, connStatus: '-', connection: 'close', userAgent: '-', client: '127.0.0.1:5',
  };
  it('validates an engine event and refuses a wrong letter', () => {
    expect(EngineEvent.safeParse(requestEnd).success).toBe(true);
    expect(EngineEvent.safeParse({ type: 'worker.status', ts: 1, slot: 0, thread: 0, pid: 1, status: 'Z' }).success).toBe(false);
  });
  it('wraps events in server messages', () => {
    expect(ServerMessage.safeParse({ type: 'events', instance: 'a', events: [requestEnd] }).success).toBe(true);
    expect(ServerMessage.safeParse({ type: 'dropped', instance: 'a', count: 12 }).success).toBe(true);
    expect(ServerMessage.safeParse({ type: 'error', message: 'x' }).success).toBe(true);
  });
});

describe('parseTrace', () => {
  const header = JSON.stringify({ type: 'trace', version: 1, name: 't.jsonl', created: '2026-11-22T00:00:00Z', lab: '0.1.0' });
  it('reads a header and message lines', () => {
    const t = parseTrace([header, JSON.stringify({ type: 'snapshot', instances: [], ts: 1 }), JSON.stringify({ type: 'end', ts: 2 }), ''].join('\n'));
    expect(t.header.name).toBe('t.jsonl');
    expect(t.lines.map((l) => l.type)).toEqual(['snapshot', 'end']);
  });
  it.each([
    ['', /empty trace/],
    [JSON.stringify({ type: 'snapshot' }), /line 1 is not a trace header/],
    [header + '\n{oops', /line 2 is not JSON/],
    [header + '\n' + JSON.stringify({ type: 'events', instance: 'a', events: [{ type: 'nope' }] }), /line 2/],
  ])('refuses %j', (text, msg) => {
    expect(() => parseTrace(text)).toThrow(msg);
  });
});
