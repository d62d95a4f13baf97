// The editor's keyboard help, in words. Tiny and Monaco-free: the playground
// may import it statically to print the hint next to the editor.

export const TAB_MOVES_FOCUS = 'Tab now moves focus out of the editor.';
export const TAB_INDENTS = 'Tab now indents; press the same keys again to let Tab move focus.';

export function KEYBOARD_HINT(mac = false): string {
  const toggle = mac ? 'Ctrl+Shift+M' : 'Ctrl+M';
  const mod = mac ? 'Cmd' : 'Ctrl';
  return `Tab moves focus out of the editor (${toggle} makes Tab indent instead). ${mod}+Enter applies the configuration. `
    + `F8 goes to the next problem. Ctrl+Space lists directives; ${mod}+K ${mod}+I shows help for the word at the cursor.`;
}
