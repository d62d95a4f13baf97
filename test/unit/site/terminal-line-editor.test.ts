// The terminal's line editor: keys and pastes in, echo and bytes out.
import { describe, expect, it } from 'vitest';
import { SGR } from '../../../site/playground/terminal/bytes.js';
import { LineEditor, cellWidth, type EditorAction } from '../../../site/playground/terminal/line-editor.js';

const sends = (a: EditorAction[]) => a.flatMap((x) => (x.type === 'send' ? [x.data] : []));
const echo = (a: EditorAction[]) => a.flatMap((x) => (x.type === 'echo' ? [x.text] : [])).join('');
const typeKeys = (ed: LineEditor, keys: string) => [...keys].flatMap((k) => ed.feed(k));

describe('LineEditor', () => {
  it('echoes printable characters and sends nothing until Enter', () => {
    const ed = new LineEditor();
    const a = typeKeys(ed, 'GET / HTTP/1.0');
    expect(sends(a)).toEqual([]);
    expect(ed.line).toBe('GET / HTTP/1.0');
    expect(echo(a).split(SGR.input).join('').split(SGR.reset).join('')).toBe('GET / HTTP/1.0');
  });

  it('Enter sends the line + CR LF at once, and echoes a line end', () => {
    const ed = new LineEditor();
    typeKeys(ed, 'GET / HTTP/1.0');
    const a = ed.feed('\r');
    expect(a).toEqual([{ type: 'echo', text: '\r\n' }, { type: 'send', data: 'GET / HTTP/1.0\r\n' }]);
    expect(ed.line).toBe('');
    // Enter on the empty line ends the request
    expect(sends(ed.feed('\r'))).toEqual(['\r\n']);
  });

  it('LF (Ctrl-J) is Enter too', () => {
    const ed = new LineEditor();
    typeKeys(ed, 'x');
    expect(sends(ed.feed('\n'))).toEqual(['x\r\n']);
  });

  it('Backspace (DEL or ^H) removes the last character', () => {
    const ed = new LineEditor();
    typeKeys(ed, 'GET /x');
    const a = ed.feed('\x7f');
    expect(echo(a)).toBe('\b \b');
    ed.feed('\b');
    typeKeys(ed, 'index');
    expect(ed.line).toBe('GET index');
    expect(sends(ed.feed('\r'))).toEqual(['GET index\r\n']);
  });

  it('Backspace on an empty line does nothing', () => {
    const ed = new LineEditor();
    expect(ed.feed('\x7f')).toEqual([]);
  });

  it('a pasted request is ONE send with CR LF line ends (as xterm delivers it: CR only)', () => {
    const ed = new LineEditor();
    const a = ed.feed('GET / HTTP/1.1\rHost: x\r\r');
    expect(sends(a)).toEqual(['GET / HTTP/1.1\r\nHost: x\r\n\r\n']);
  });

  it('pasted LF and CR LF line ends become CR LF as well', () => {
    expect(sends(new LineEditor().feed('GET / HTTP/1.0\n\n'))).toEqual(['GET / HTTP/1.0\r\n\r\n']);
    expect(sends(new LineEditor().feed('GET / HTTP/1.0\r\n\r\n'))).toEqual(['GET / HTTP/1.0\r\n\r\n']);
  });

  it('a pasted last line without a line end waits in the editor', () => {
    const ed = new LineEditor();
    expect(sends(ed.feed('GET / HTTP/1.1\rHost: x'))).toEqual(['GET / HTTP/1.1\r\n']);
    expect(ed.line).toBe('Host: x');
    expect(sends(ed.feed('\r\r'))).toEqual(['Host: x\r\n\r\n']);
  });

  it('Ctrl-D asks to close, after what came before it in the same chunk', () => {
    const ed = new LineEditor();
    expect(ed.feed('\x04')).toEqual([{ type: 'close' }]);
    const a = ed.feed('GET / HTTP/1.0\r\r\x04');
    expect(a.map((x) => x.type)).toEqual(['echo', 'send', 'close']);
  });

  it('Ctrl-L asks to clear and keeps the pending line', () => {
    const ed = new LineEditor();
    typeKeys(ed, 'GET');
    expect(ed.feed('\x0c')).toEqual([{ type: 'clear' }]);
    expect(ed.line).toBe('GET');
  });

  it('Ctrl-C drops the line; Ctrl-U erases it', () => {
    const ed = new LineEditor();
    typeKeys(ed, 'GET /oops');
    const a = ed.feed('\x03');
    expect(echo(a)).toContain('^C');
    expect(ed.line).toBe('');
    typeKeys(ed, 'abc');
    expect(echo(ed.feed('\x15'))).toBe('\b\b\b\x1b[J');
    expect(ed.line).toBe('');
  });

  it('ignores arrows, function keys, Alt-x, a lone Escape and other control keys', () => {
    const ed = new LineEditor();
    for (const k of ['\x1b[A', '\x1b[1;5C', '\x1bOP', '\x1b[15~', '\x1bx', '\x1b', '\x01', '\x02', '\x00', '\x85']) expect(ed.feed(k)).toEqual([]);
    expect(ed.line).toBe('');
    // and a sequence inside pasted text does not eat what follows
    expect(sends(ed.feed('a\x1b[Db\r'))).toEqual(['ab\r\n']);
  });

  it('TAB is a byte of the line, shown as ^I, removed by one Backspace', () => {
    const ed = new LineEditor();
    typeKeys(ed, 'Host:\tx');
    expect(ed.cells).toBe(8);
    expect(echo(ed.feed('\x7f'))).toBe('\b \b');
    const a = ed.feed('\x7f');
    expect(echo(a)).toContain('\b\b\b\b\b\b\b\x1b[J');
    expect(ed.line).toBe('Host:');
    typeKeys(ed, '\t');
    expect(sends(ed.feed('y\r'))).toEqual(['Host:\ty\r\n']);
  });

  it('sends non-ASCII as UTF-8 and erases a wide character by redrawing', () => {
    const ed = new LineEditor();
    typeKeys(ed, 'GET /日本');
    expect(ed.cells).toBe(9);
    const a = ed.feed('\x7f');
    expect(echo(a).startsWith('\b'.repeat(9) + '\x1b[J')).toBe(true);
    expect(ed.line).toBe('GET /日');
    expect(sends(ed.feed('\r'))).toEqual(['GET /\xe6\x97\xa5\r\n']);
  });

  it('erase() and redraw() let output go above the pending line', () => {
    const ed = new LineEditor();
    expect(ed.erase()).toBe('');
    expect(ed.redraw()).toBe('');
    typeKeys(ed, 'Host');
    expect(ed.erase()).toBe('\b\b\b\b\x1b[J');
    expect(ed.redraw()).toBe(SGR.input + 'Host' + SGR.reset);
  });
});

describe('cellWidth', () => {
  it('follows xterm for common cases', () => {
    expect(cellWidth('a'.codePointAt(0)!)).toBe(1);
    expect(cellWidth(0xe9)).toBe(1);
    expect(cellWidth(0x301)).toBe(0);
    expect(cellWidth('日'.codePointAt(0)!)).toBe(2);
    expect(cellWidth('한'.codePointAt(0)!)).toBe(2);
    expect(cellWidth(0xff21)).toBe(2);
  });
});
