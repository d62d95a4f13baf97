// Bytes ↔ what the terminal shows. Pure (no DOM, no xterm), unit-tested.
//
// The wire is latin1 strings: one char per byte, as the lab's raw.* messages carry
// them. What the engine sends is shown verbatim: CR LF ends a line, a lone LF also
// ends one (converted to CR LF for the display only), TAB is a tab, and every
// other control byte is drawn visibly (^M, ^[, \x9B…) in the "escape" colour, so
// the learner sees each byte and the engine can never drive the terminal with
// escape sequences of its own.

/** SGR colours by role; the palette behind them follows the page theme (theme.ts). */
export const SGR = {
  /** status lines the terminal writes itself: [connected …], [connection closed …] */
  status: '\x1b[3;90m',
  /** bytes drawn visibly: ^M, \x9B */
  escape: '\x1b[35m',
  /** what the learner typed (local echo) */
  input: '\x1b[36m',
  reset: '\x1b[0m',
} as const;

/** The visible form of one byte that is not shown as itself, or null if it is shown as itself. */
export function visibleByte(code: number): string | null {
  if (code === 0x09 || code === 0x0a) return null;
  if (code < 0x20) return '^' + String.fromCharCode(code + 0x40); // ^@ … ^_ (CR is ^M, ESC is ^[)
  if (code === 0x7f) return '^?';
  // C1 controls would be interpreted by the terminal (0x9B is CSI); NBSP and SHY are invisible
  if ((code >= 0x80 && code <= 0x9f) || code === 0xa0 || code === 0xad) return '\\x' + code.toString(16).toUpperCase().padStart(2, '0');
  return null;
}

/**
 * Turns the engine's bytes (latin1 strings, in chunks as they arrive) into text
 * for the terminal. Stateful only for a CR at the end of a chunk: whether it
 * belongs to a CR LF is known with the next chunk (or at the end: `flush()`).
 */
export class ByteDisplay {
  private heldCR = false;

  push(bytes: string): string {
    let out = '';
    let esc = ''; // a run of visible escapes, coloured once
    const endEsc = () => {
      if (esc) out += SGR.escape + esc + SGR.reset;
      esc = '';
    };
    const emit = (s: string) => {
      endEsc();
      out += s;
    };
    let i = 0;
    if (this.heldCR) {
      this.heldCR = false;
      if (bytes.length === 0) {
        this.heldCR = true;
        return '';
      }
      if (bytes.charCodeAt(0) === 0x0a) {
        emit('\r\n');
        i = 1;
      } else esc += '^M';
    }
    for (; i < bytes.length; i++) {
      const c = bytes.charCodeAt(i) & 0xff;
      if (c === 0x0d) {
        if (i + 1 === bytes.length) {
          this.heldCR = true; // decided by the next chunk
        } else if (bytes.charCodeAt(i + 1) === 0x0a) {
          emit('\r\n');
          i++;
        } else esc += '^M'; // a bare CR would make the terminal overwrite what it just showed
        continue;
      }
      if (c === 0x0a) {
        emit('\r\n'); // a lone LF: shown as a line end (the bytes stay what they were)
        continue;
      }
      const v = visibleByte(c);
      if (v !== null) esc += v;
      else emit(String.fromCharCode(c));
    }
    endEsc();
    return out;
  }

  /** The stream ended: a CR still held was not followed by LF. */
  flush(): string {
    if (!this.heldCR) return '';
    this.heldCR = false;
    return SGR.escape + '^M' + SGR.reset;
  }
}

/** A line end as the wire needs it. */
export const CRLF = '\r\n';

/**
 * Text as typed (UTF-16) → bytes on the wire (a latin1 string). ASCII is itself;
 * anything else is sent as its UTF-8 bytes, as a terminal running `nc` would.
 */
export function toWireBytes(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return text;
  let out = '';
  for (const b of new TextEncoder().encode(text)) out += String.fromCharCode(b);
  return out;
}

/**
 * Split bytes into pieces of at most `max` (the lab takes at most 64 KiB per
 * raw.send). Order is kept; nothing is added or lost.
 */
export function chunks(bytes: string, max: number): string[] {
  if (bytes.length <= max) return bytes.length ? [bytes] : [];
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += max) out.push(bytes.slice(i, i + max));
  return out;
}

/** A status line: dim (the theme's muted colour, still AA), in brackets, on a line of its own. */
export function statusLine(text: string, atLineStart: boolean): string {
  return (atLineStart ? '' : '\r\n') + SGR.status + '[' + text + ']' + SGR.reset + '\r\n';
}

/**
 * Whether the terminal's cursor is at the start of a line after writing `text`
 * (given whether it was before). SGR sequences do not move the cursor.
 */
export function endsAtLineStart(text: string, before: boolean): boolean {
  const visible = text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  if (visible.length === 0) return before;
  return visible.endsWith('\n');
}
