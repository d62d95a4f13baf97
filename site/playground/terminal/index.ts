// The playground's raw-socket terminal: a console onto one TCP connection to an
// engine, through the lab's raw.* messages. Loaded with `await import()` only when
// the learner opens the terminal panel (xterm is ~85 KB gzip; its CSS is injected
// by the lazy-vendor-css plugin, ours below). See README.md in this folder.
//
// Layers: line-editor.ts (keys → echo/bytes), bytes.ts (engine bytes → display),
// connection.ts (raw.open/send/close, status in words), theme.ts, keys.ts. This
// file only wires them to xterm and the DOM.
import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import type { LabClient } from '../../../engine/protocol/client.js';
import { ByteDisplay, endsAtLineStart, statusLine } from './bytes.js';
import { RawConnection, REPLAY } from './connection.js';
import { EscapeHatch } from './keys.js';
import { LineEditor } from './line-editor.js';
import { THEMES, themeName } from './theme.js';

export interface TerminalHandle {
  focus(): void;
  dispose(): void;
  /** write a status line, e.g. when the engine changes */
  note(text: string): void;
}

const CSS = `
.mpm-term { display: flex; flex-direction: column; gap: 0.35rem; height: 100%; min-height: 0; }
.mpm-term__help { margin: 0; font-size: var(--sl-text-xs, 0.8rem); line-height: 1.4; color: var(--sl-color-gray-2, #555); }
.mpm-term__help kbd { font-size: inherit; }
.mpm-term__hint { font-weight: 600; }
.mpm-term__hint:empty { display: none; }
.mpm-term__screen {
  flex: 1 1 auto; min-height: 10rem; min-width: 0; overflow: hidden;
  padding: 0.35rem 0 0.35rem 0.5rem;
  border: 1px solid var(--sl-color-gray-5, #888); border-radius: var(--mpm-radius, 0.4rem);
}
.mpm-term__screen:focus-within { outline: 2px solid var(--sl-color-accent, #06c); outline-offset: 2px; }
.mpm-term__screen .xterm { height: 100%; }
`;

let ids = 0;

function injectCss(doc: Document): void {
  if (doc.querySelector('style[data-mpm-terminal]')) return;
  const s = doc.createElement('style');
  s.setAttribute('data-mpm-terminal', '');
  s.textContent = CSS;
  doc.head.appendChild(s);
}

export async function mountTerminal(
  host: HTMLElement,
  opts: { client: LabClient; instance: () => string | null; label: string },
): Promise<TerminalHandle> {
  const doc = host.ownerDocument;
  injectCss(doc);
  const id = `mpm-term-${++ids}`;

  // not-content: Starlight's Markdown spacing must not reach xterm's rows
  const wrap = doc.createElement('div');
  wrap.className = 'mpm-term not-content';
  wrap.innerHTML =
    `<p class="mpm-term__help" id="${id}-help">` +
    `<kbd>Enter</kbd> sends the line · <kbd>Ctrl</kbd>+<kbd>D</kbd> closes the connection · ` +
    `<kbd>Ctrl</kbd>+<kbd>L</kbd> clears · <kbd>Esc</kbd> then <kbd>Tab</kbd> leaves the terminal ` +
    `<span class="mpm-term__hint" role="status" id="${id}-hint"></span></p>` +
    `<div class="mpm-term__screen"></div>`;
  const screen = wrap.querySelector<HTMLElement>('.mpm-term__screen')!;
  const hint = wrap.querySelector<HTMLElement>('.mpm-term__hint')!;
  host.replaceChildren(wrap);

  const html = doc.documentElement;
  const theme = () => THEMES[themeName(html.dataset.theme)];
  const term = new Terminal({
    screenReaderMode: true,
    fontFamily: 'ui-monospace, "Cascadia Mono", "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
    fontSize: 14,
    lineHeight: 1.2,
    cursorBlink: false,
    cursorInactiveStyle: 'outline',
    scrollback: 5000,
    minimumContrastRatio: 4.5,
    theme: theme(),
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(screen);
  screen.style.background = theme().background;
  const textarea = term.textarea;
  if (textarea) {
    textarea.setAttribute('aria-label', opts.label);
    textarea.setAttribute('aria-describedby', `${id}-help`);
  }
  // BS may step back over a soft line wrap, so a long typed line can be edited
  term.write('\x1b[?45h');

  // ---- layout: fit to the screen box whenever it changes size (and is shown)
  let frame = 0;
  const refit = () => {
    frame = 0;
    if (screen.clientWidth > 0 && screen.clientHeight > 0) {
      try {
        fit.fit();
      } catch {
        /* not measurable yet */
      }
    }
  };
  const ro = new ResizeObserver(() => {
    if (!frame) frame = requestAnimationFrame(refit);
  });
  ro.observe(screen);
  refit();

  // ---- theme: follow Starlight's html[data-theme]
  const mo = new MutationObserver(() => {
    term.options.theme = theme();
    screen.style.background = theme().background;
  });
  mo.observe(html, { attributes: true, attributeFilter: ['data-theme'] });

  // ---- output: everything goes "above" the line being typed
  const editor = new LineEditor();
  const display = new ByteDisplay();
  /** whether the cursor is at a line start once the pending line is taken away */
  let atLineStart = true;
  const above = (text: string) => {
    if (!text) return;
    const pending = editor.cells > 0;
    term.write((pending ? editor.erase() : '') + text + (pending ? editor.redraw() : ''));
    atLineStart = endsAtLineStart(text, atLineStart);
  };
  const status = (text: string) => above(statusLine(text, atLineStart));

  const conn = new RawConnection(opts.client, opts.instance, {
    status,
    data: (bytes) => above(display.push(bytes)),
    ended: () => above(display.flush()),
  });

  // ---- input
  const sub = term.onData((data) => {
    for (const a of editor.feed(data)) {
      switch (a.type) {
        case 'echo':
          term.write(a.text);
          if (a.text.includes('\n')) atLineStart = true;
          break;
        case 'send':
          conn.send(a.data);
          break;
        case 'close':
          conn.close();
          break;
        case 'clear':
          term.write(editor.erase() + '\x1b[H\x1b[2J\x1b[3J' + editor.redraw());
          atLineStart = true;
          break;
      }
    }
  });

  // ---- keys: the way out (Escape, then Tab), and Ctrl-C copies a selection
  const hatch = new EscapeHatch();
  term.attachCustomKeyEventHandler((e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'c' && term.hasSelection()) return false;
    const v = hatch.decide(e);
    if (e.type === 'keydown') hint.textContent = hatch.armed ? 'Tab now leaves the terminal (Shift+Tab goes back).' : '';
    return v === 'terminal';
  });
  const onBlur = () => {
    hatch.disarm();
    hint.textContent = '';
  };
  textarea?.addEventListener('blur', onBlur);

  status(
    opts.client.mode === 'replay'
      ? REPLAY
      : 'type an HTTP request: Enter sends the line + CR LF; the first Enter connects',
  );

  if (doc.fonts?.ready) await doc.fonts.ready;
  refit();

  let disposed = false;
  return {
    focus: () => term.focus(),
    note: (text: string) => {
      if (!disposed) status(text);
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      if (frame) cancelAnimationFrame(frame);
      ro.disconnect();
      mo.disconnect();
      textarea?.removeEventListener('blur', onBlur);
      sub.dispose();
      conn.dispose();
      term.dispose();
      wrap.remove();
    },
  };
}
