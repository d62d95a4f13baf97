// The config editor's Monaco themes: AA contrast for every text colour on every surface it is drawn on.
import { describe, expect, it } from 'vitest';
import { KEYBOARD_HINT } from '../../../site/playground/editor/hints.js';
import { PALETTES, THEME_DARK, THEME_LIGHT, contrastRatio, schemeOf, themeData, themeName } from '../../../site/playground/editor/theme.js';
import type { Palette } from '../../../site/playground/editor/theme.js';

const TEXT: (keyof Palette)[] = ['foreground', 'comment', 'keyword', 'deprecated', 'tag', 'module', 'number', 'unit', 'constant', 'string', 'lineNumber', 'lineNumberActive'];

describe('editor themes', () => {
  it('computes WCAG contrast', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  for (const scheme of ['light', 'dark'] as const) {
    const p = PALETTES[scheme];
    it(`${scheme}: code and line numbers ≥ 4.5:1 on the editor background and the current-line highlight`, () => {
      const low = TEXT.flatMap((k) => [p.background, p.lineHighlight].map((bg) => [k, bg, +contrastRatio(p[k], bg).toFixed(2)] as const)).filter(([, , c]) => c < 4.5);
      expect(low).toEqual([]);
    });

    it(`${scheme}: hover and suggest widget text ≥ 4.5:1`, () => {
      expect(contrastRatio(p.widgetForeground, p.widgetBackground)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(p.match, p.widgetBackground)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(p.link, p.widgetBackground)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(p.selectedForeground, p.selectedBackground)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(p.match, p.selectedBackground)).toBeGreaterThanOrEqual(4.5);
      // Monaco draws deprecated suggestions at 66 % opacity and the details header at 70 %
      const faded = (fg: string, bg: string, a: number) => {
        const ch = (h: string, i: number) => parseInt(h.slice(1 + 2 * i, 3 + 2 * i), 16);
        return `#${[0, 1, 2].map((i) => Math.round(ch(fg, i) * a + ch(bg, i) * (1 - a)).toString(16).padStart(2, '0')).join('')}`;
      };
      expect(contrastRatio(faded(p.widgetForeground, p.widgetBackground, 0.66), p.widgetBackground)).toBeGreaterThanOrEqual(4.5);
    });

    it(`${scheme}: Monaco theme data uses the palette, dimmed line numbers included`, () => {
      const t = themeData(scheme);
      expect(t.base).toBe(scheme === 'dark' ? 'vs-dark' : 'vs');
      expect(t.colors['editor.background']).toBe(p.background);
      expect(t.colors['editorLineNumber.foreground']).toBe(p.lineNumber);
      expect(t.colors['editorLineNumber.dimmedForeground']).toBe(p.lineNumber);
      expect(t.rules.find((r) => r.token === 'comment')?.foreground).toBe(p.comment.slice(1));
      for (const r of t.rules) expect(r.foreground).toMatch(/^[0-9a-f]{6}$/);
    });
  }

  it('matches Starlight backgrounds', () => {
    expect(PALETTES.dark.background).toBe('#17181c'); // hsl(224, 10%, 10%)
    expect(PALETTES.light.background).toBe('#ffffff');
  });

  it('follows html[data-theme]: light when light, dark otherwise (Starlight default)', () => {
    expect(themeName(schemeOf('light'))).toBe(THEME_LIGHT);
    expect(themeName(schemeOf('dark'))).toBe(THEME_DARK);
    expect(themeName(schemeOf(null))).toBe(THEME_DARK);
  });

  it('documents the way out of the editor', () => {
    expect(KEYBOARD_HINT()).toContain('Tab moves focus out of the editor (Ctrl+M makes Tab indent instead)');
    expect(KEYBOARD_HINT(true)).toContain('Ctrl+Shift+M');
    expect(KEYBOARD_HINT(true)).toContain('Cmd+Enter');
  });
});
