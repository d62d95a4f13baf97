// The way out of the terminal for keyboard users. xterm keeps Tab (it is a byte
// the learner may want to send), so Tab alone cannot move focus: press Escape,
// then Tab (or Shift-Tab) to leave the terminal. Escape on its own sends
// nothing. Pure (no DOM), unit-tested.

export interface KeyLike {
  type: string;
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

/** What to do with a key event. */
export type KeyVerdict =
  /** let xterm have it */
  | 'terminal'
  /** Escape: swallowed, the next Tab leaves */
  | 'arm'
  /** the armed Tab: let the browser move focus (xterm must not see it) */
  | 'leave'
  /** swallowed: neither xterm nor a focus move */
  | 'ignore';

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock']);

export class EscapeHatch {
  armed = false;

  /** xterm's attachCustomKeyEventHandler sees keydown, keypress and keyup. */
  decide(e: KeyLike): KeyVerdict {
    if (e.type !== 'keydown') {
      // the keyup of Escape, or a keypress after it: nothing for xterm to do
      if (e.key === 'Escape') return 'ignore';
      if (e.key === 'Tab' && this.armed) return 'leave';
      return 'terminal';
    }
    if (e.key === 'Escape' && !e.ctrlKey && !e.altKey && !e.metaKey) {
      this.armed = true;
      return 'arm';
    }
    if (e.key === 'Tab' && this.armed && !e.ctrlKey && !e.altKey && !e.metaKey) {
      this.armed = false;
      return 'leave';
    }
    if (MODIFIERS.has(e.key)) return 'terminal'; // Shift before Shift-Tab keeps it armed
    this.armed = false;
    return 'terminal';
  }

  disarm(): void {
    this.armed = false;
  }
}

export const ESCAPE_HELP = 'To leave the terminal with the keyboard, press Escape, then Tab.';
