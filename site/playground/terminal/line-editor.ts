// The terminal's line editor: what xterm's onData delivers (keys as typed,
// pasted text at once) → what to echo and what bytes to send. Pure (no DOM, no
// xterm), unit-tested.
//
// - Printable characters echo locally (in the "input" colour) and wait in the line.
// - Backspace (DEL or ^H) removes the last character; Ctrl-U the whole line;
//   Ctrl-C drops the line (echoes ^C).
// - Enter (CR, LF, or CR LF in pasted text) sends the line + CR LF at once. Pasted
//   text with several lines becomes ONE send with CR LF line ends; a last line
//   without a line end stays in the editor, waiting for Enter.
// - TAB is a byte like any other: it goes into the line, echoed as ^I.
// - Ctrl-D asks to close the connection, Ctrl-L to clear the screen.
// - Escape sequences (arrows, function keys, Alt-x) and other control keys are ignored.
// Characters beyond ASCII are sent as UTF-8 (bytes.ts toWireBytes).
import { CRLF, SGR, toWireBytes } from './bytes.js';

export type EditorAction =
  /** write this to the terminal */
  | { type: 'echo'; text: string }
  /** send these bytes (a latin1 string) */
  | { type: 'send'; data: string }
  /** Ctrl-D: close the connection */
  | { type: 'close' }
  /** Ctrl-L: clear the screen (the pending line is redrawn after it) */
  | { type: 'clear' };

/** Cells a code point takes in the terminal (xterm's Unicode 6 widths, abridged). */
export function cellWidth(cp: number): 0 | 1 | 2 {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x1160 && cp <= 0x11ff) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    (cp >= 0x20d0 && cp <= 0x20ef) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xfe20 && cp <= 0xfe23) ||
    cp === 0xfeff ||
    (cp >= 0xe0000 && cp <= 0xe01ef)
  ) {
    return 0;
  }
  if (
    (cp >= 0x1100 && cp < 0x1160) ||
    cp === 0x2329 ||
    cp === 0x232a ||
    (cp >= 0x2e80 && cp < 0xa4d0 && cp !== 0x303f && !(cp >= 0x302a && cp <= 0x302f) && cp !== 0x3099 && cp !== 0x309a) ||
    (cp >= 0xac00 && cp < 0xd7a4) ||
    (cp >= 0xf900 && cp < 0xfb00) ||
    (cp >= 0xfe10 && cp < 0xfe1a) ||
    (cp >= 0xfe30 && cp < 0xfe70) ||
    (cp >= 0xff00 && cp < 0xff61) ||
    (cp >= 0xffe0 && cp < 0xffe7) ||
    (cp >= 0x20000 && cp <= 0x2fffd) ||
    (cp >= 0x30000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** How one character of the line is echoed, and how many cells that takes. */
function echoOf(ch: string): { text: string; cells: number } {
  if (ch === '\t') return { text: SGR.escape + '^I' + SGR.input, cells: 2 };
  return { text: ch, cells: cellWidth(ch.codePointAt(0)!) };
}

const BS = '\b';
const ERASE_BELOW = '\x1b[J';

export class LineEditor {
  /** the pending line, one entry per code point */
  private chars: string[] = [];

  /** The pending line as typed. */
  get line(): string {
    return this.chars.join('');
  }

  /** Cells the pending line's echo takes on screen. */
  get cells(): number {
    let n = 0;
    for (const c of this.chars) n += echoOf(c).cells;
    return n;
  }

  /**
   * Text that removes the pending line's echo, leaving the cursor where the line
   * started (needs reverse wrap-around, CSI ? 45 h, for lines that wrapped).
   */
  erase(): string {
    const n = this.cells;
    return n ? BS.repeat(n) + ERASE_BELOW : '';
  }

  /** Text that draws the pending line (after erase(), or after something else was written). */
  redraw(): string {
    if (!this.chars.length) return '';
    return SGR.input + this.chars.map((c) => echoOf(c).text).join('') + SGR.reset;
  }

  /** Feed what the terminal delivered (one key, or a whole paste). */
  feed(data: string): EditorAction[] {
    const actions: EditorAction[] = [];
    let echo = '';
    let send = '';
    const flushEcho = () => {
      if (echo) actions.push({ type: 'echo', text: echo });
      echo = '';
    };
    const flushSend = () => {
      if (send) actions.push({ type: 'send', data: send });
      send = '';
    };
    const flush = () => {
      flushEcho();
      flushSend();
    };
    // typed characters echo as a run; a change inside the line redraws it
    let run = '';
    const endRun = () => {
      if (run) echo += SGR.input + run + SGR.reset;
      run = '';
    };

    const cps = Array.from(data);
    for (let i = 0; i < cps.length; i++) {
      const ch = cps[i];
      const cp = ch.codePointAt(0)!;
      if (ch === '\r' || ch === '\n') {
        if (ch === '\r' && cps[i + 1] === '\n') i++; // CR LF in pasted text is one line end
        endRun();
        echo += CRLF;
        send += toWireBytes(this.line) + CRLF;
        this.chars = [];
        continue;
      }
      if (ch === '\x7f' || ch === '\b') {
        if (!this.chars.length) continue;
        endRun();
        const last = this.chars[this.chars.length - 1];
        if (last !== '\t' && echoOf(last).cells === 1) {
          this.chars.pop();
          echo += BS + ' ' + BS;
        } else {
          // ^I, wide characters, combining marks: erase the line and draw it again
          echo += this.erase();
          this.chars.pop();
          echo += this.redraw();
        }
        continue;
      }
      if (ch === '\x15') {
        // Ctrl-U: erase the line
        endRun();
        echo += this.erase();
        this.chars = [];
        continue;
      }
      if (ch === '\x03') {
        // Ctrl-C: drop the line, keep what was typed visible
        endRun();
        echo += SGR.escape + '^C' + SGR.reset + CRLF;
        this.chars = [];
        continue;
      }
      if (ch === '\x04') {
        endRun();
        flush();
        actions.push({ type: 'close' });
        continue;
      }
      if (ch === '\x0c') {
        endRun();
        flush();
        actions.push({ type: 'clear' });
        continue;
      }
      if (ch === '\x1b') {
        // an escape sequence (arrow keys, F-keys, Alt-x, bracketed paste marks): ignored
        endRun();
        i = skipEscape(cps, i);
        continue;
      }
      if (ch === '\t') {
        endRun();
        this.chars.push(ch);
        echo += SGR.input + echoOf(ch).text + SGR.reset;
        continue;
      }
      if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue; // other control keys: ignored
      this.chars.push(ch);
      run += ch;
    }
    endRun();
    flush();
    return actions;
  }
}

/** Index of the last code point of the escape sequence starting at i (ESC). */
function skipEscape(cps: string[], i: number): number {
  const next = cps[i + 1];
  if (next === undefined) return i; // the Escape key on its own
  if (next === '[') {
    // CSI: parameters and intermediates, then a final byte 0x40–0x7E
    let j = i + 2;
    while (j < cps.length) {
      const c = cps[j].codePointAt(0)!;
      if (c >= 0x40 && c <= 0x7e) return j;
      j++;
    }
    return cps.length - 1;
  }
  if (next === 'O') return Math.min(i + 2, cps.length - 1); // SS3: one more character
  return i + 1; // Alt-x
}
