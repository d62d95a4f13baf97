// Who may use the control socket: each rule as a table.
import { describe, expect, it } from 'vitest';
import { allowedOrigins, checkUpgrade, hostAllowed, newToken, tokenMatches } from '../../../engine/lab/auth.js';

describe('session token', () => {
  it('is long, random and URL-safe', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newToken()).not.toBe(a);
  });
  it.each([
    ['abc', 'abc', true],
    ['abd', 'abc', false],
    ['ab', 'abc', false],
    ['', 'abc', false],
    [null, 'abc', false],
  ])('%j vs %j → %s', (given, token, ok) => {
    expect(tokenMatches(given, token)).toBe(ok);
  });
});

describe('Host (DNS rebinding)', () => {
  it.each([
    ['127.0.0.1:4321', true],
    ['localhost:4321', true],
    ['LOCALHOST:4321', true],
    ['[::1]:4321', true],
    ['127.0.0.1:4322', false],
    ['attacker.example:4321', false],
    ['127.0.0.1.nip.io:4321', false],
    [undefined, false],
  ])('%s → %s', (host, ok) => {
    expect(hostAllowed(host, 4321)).toBe(ok);
  });
});

describe('upgrade checks', () => {
  const origins = allowedOrigins(4321, ['https://lab.example.org/']);
  const opts = { token: 'T0K', port: 4321, origins };
  const req = (url: string, headers: { host?: string; origin?: string }) => ({ url, headers });
  it.each([
    ['the lab itself', req('/control?token=T0K', { host: '127.0.0.1:4321', origin: 'http://127.0.0.1:4321' }), null],
    ['localhost', req('/control?token=T0K', { host: 'localhost:4321', origin: 'http://localhost:4321' }), null],
    ['an allowed hosted site', req('/control?token=T0K', { host: '127.0.0.1:4321', origin: 'https://lab.example.org' }), null],
    ['no token', req('/control', { host: '127.0.0.1:4321', origin: 'http://127.0.0.1:4321' }), 401],
    ['a wrong token', req('/control?token=T0L', { host: '127.0.0.1:4321', origin: 'http://127.0.0.1:4321' }), 401],
    ['a foreign Origin', req('/control?token=T0K', { host: '127.0.0.1:4321', origin: 'http://evil.example' }), 403],
    ['no Origin', req('/control?token=T0K', { host: '127.0.0.1:4321' }), 403],
    ['a rebinding Host', req('/control?token=T0K', { host: 'attacker.example:4321', origin: 'http://127.0.0.1:4321' }), 403],
  ])('%s', (_name, r, status) => {
    expect(checkUpgrade(r, opts)?.status ?? null).toBe(status);
  });
});
