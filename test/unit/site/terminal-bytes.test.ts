// The terminal's byte display: every byte the engine sends is shown, control
// bytes visibly, line ends as line ends — across chunk boundaries too.
import { describe, expect, it } from 'vitest';
import { ByteDisplay, SGR, chunks, endsAtLineStart, statusLine, toWireBytes, visibleByte } from '../../../site/playground/terminal/bytes.js';

const esc = (s: string) => SGR.escape + s + SGR.reset;
const show = (...parts: string[]) => {
  const d = new ByteDisplay();
  return parts.map((p) => d.push(p)).join('') + d.flush();
};

describe('visibleByte', () => {
  it.each([
    [0x00, '^@'],
    [0x01, '^A'],
    [0x07, '^G'],
    [0x08, '^H'],
    [0x0b, '^K'],
    [0x0c, '^L'],
    [0x0d, '^M'],
    [0x1b, '^['],
    [0x1f, '^_'],
    [0x7f, '^?'],
    [0x80, '\\x80'],
    [0x9b, '\\x9B'],
    [0x9f, '\\x9F'],
    [0xa0, '\\xA0'],
    [0xad, '\\xAD'],
  ])('byte %i is drawn as %s', (code, text) => {
    expect(visibleByte(code)).toBe(text);
  });

  it('leaves TAB, LF and printable bytes as themselves', () => {
    for (const c of [0x09, 0x0a, 0x20, 0x41, 0x7e, 0xa1, 0xe9, 0xff]) expect(visibleByte(c)).toBeNull();
  });
});

describe('ByteDisplay', () => {
  it('shows a response verbatim, CR LF as line ends', () => {
    const reply = 'HTTP/1.1 200 OK\r\nX-Pid: 42\r\nContent-Length: 3\r\n\r\nhi\n';
    expect(show(reply)).toBe('HTTP/1.1 200 OK\r\nX-Pid: 42\r\nContent-Length: 3\r\n\r\nhi\r\n');
  });

  it('turns a lone LF into CR LF for the display only', () => {
    expect(show('a\nb\n\nc')).toBe('a\r\nb\r\n\r\nc');
  });

  it('keeps tabs and latin1 letters', () => {
    expect(show('a\tb caf\xe9')).toBe('a\tb caf\xe9');
  });

  it('draws a bare CR visibly instead of letting it overwrite the line', () => {
    expect(show('abc\rdef')).toBe('abc' + esc('^M') + 'def');
  });

  it('never passes an escape sequence through: ESC and C1 CSI are drawn', () => {
    const out = show('\x1b[2J\x9b31m\x07');
    expect(out).toBe(esc('^[') + '[2J' + esc('\\x9B') + '31m' + esc('^G'));
    // nothing the engine sent reaches xterm as a control byte (ours are only the SGR colours)
    const withoutOurColours = out.split(SGR.escape).join('').split(SGR.reset).join('');
    expect(withoutOurColours).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });

  it('colours a run of escapes once', () => {
    expect(show('\x00\x01\x02')).toBe(esc('^@^A^B'));
  });

  it('joins a CR LF split across two chunks', () => {
    expect(show('HTTP/1.1 200 OK\r', '\nDate: x\r\n')).toBe('HTTP/1.1 200 OK\r\nDate: x\r\n');
  });

  it('draws a CR at the end of a chunk as ^M when no LF follows', () => {
    expect(show('a\r', 'b')).toBe('a' + esc('^M') + 'b');
    expect(show('a\r', '\r\n')).toBe('a' + esc('^M') + '\r\n');
  });

  it('holds a CR over an empty chunk, and flushes it at the end of the stream', () => {
    expect(show('a\r', '', '\n')).toBe('a\r\n');
    expect(show('end\r')).toBe('end' + esc('^M'));
  });

  it('shows every byte 0..255 (nothing is lost)', () => {
    let all = '';
    for (let c = 0; c < 256; c++) all += String.fromCharCode(c);
    const out = show(all);
    const plain = out.split(SGR.escape).join('').split(SGR.reset).join('');
    // 256 bytes → at least 256 visible cells (escapes take 2–4), LF becomes CR LF
    expect(plain.replace('\r\n', '').length).toBeGreaterThanOrEqual(255);
    for (let c = 0x20; c < 0x7f; c++) expect(plain).toContain(String.fromCharCode(c));
  });
});

describe('toWireBytes', () => {
  it('sends ASCII as itself', () => {
    expect(toWireBytes('GET / HTTP/1.0')).toBe('GET / HTTP/1.0');
  });

  it('sends other characters as their UTF-8 bytes, one latin1 char per byte', () => {
    expect(toWireBytes('/café')).toBe('/caf\xc3\xa9');
    expect(toWireBytes('€')).toBe('\xe2\x82\xac');
    expect(toWireBytes('😀')).toBe('\xf0\x9f\x98\x80');
  });
});

describe('chunks', () => {
  it('splits at the limit and keeps every byte in order', () => {
    expect(chunks('', 4)).toEqual([]);
    expect(chunks('abc', 4)).toEqual(['abc']);
    expect(chunks('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});

describe('status lines', () => {
  it('are bracketed, coloured, and on a line of their own', () => {
    expect(statusLine('connection closed by the server', true)).toBe(`${SGR.status}[connection closed by the server]${SGR.reset}\r\n`);
    expect(statusLine('x', false).startsWith('\r\n')).toBe(true);
  });

  it('know where the cursor is after a write', () => {
    expect(endsAtLineStart('abc\r\n', false)).toBe(true);
    expect(endsAtLineStart('abc', true)).toBe(false);
    expect(endsAtLineStart(SGR.reset, true)).toBe(true);
    expect(endsAtLineStart('x\r\n' + SGR.reset, false)).toBe(true);
  });
});
