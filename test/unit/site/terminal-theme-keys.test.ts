// The terminal's colours (AA contrast in both themes) and its keyboard way out.
import { describe, expect, it } from 'vitest';
import { EscapeHatch } from '../../../site/playground/terminal/keys.js';
import { TEXT_KEYS, THEMES, contrast, themeName } from '../../../site/playground/terminal/theme.js';

describe('theme', () => {
  it('computes WCAG contrast', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  for (const name of ['light', 'dark'] as const) {
    it(`${name}: every text colour has AA contrast (4.5:1) on the background`, () => {
      const t = THEMES[name];
      for (const k of TEXT_KEYS) expect([k, contrast(t[k], t.background)]).toEqual([k, expect.any(Number)]);
      const low = TEXT_KEYS.map((k) => [k, contrast(t[k], t.background)] as const).filter(([, c]) => c < 4.5);
      expect(low).toEqual([]);
      expect(contrast(t.selectionForeground, t.selectionBackground)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(t.cursorAccent, t.cursor)).toBeGreaterThanOrEqual(4.5);
    });
  }

  it('follows Starlight: light when data-theme is light, dark otherwise', () => {
    expect(themeName('light')).toBe('light');
    expect(themeName('dark')).toBe('dark');
    expect(themeName(undefined)).toBe('dark');
  });
});

describe('EscapeHatch (Escape, then Tab leaves the terminal)', () => {
  const down = (key: string, mods: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean }> = {}) => ({ type: 'keydown', key, ...mods });

  it('Tab alone stays in the terminal', () => {
    const h = new EscapeHatch();
    expect(h.decide(down('Tab'))).toBe('terminal');
  });

  it('Escape arms, the next Tab (or Shift+Tab) leaves', () => {
    const h = new EscapeHatch();
    expect(h.decide(down('Escape'))).toBe('arm');
    expect(h.decide({ type: 'keyup', key: 'Escape' })).toBe('ignore');
    expect(h.decide(down('Shift'))).toBe('terminal');
    expect(h.decide(down('Tab'))).toBe('leave');
    expect(h.armed).toBe(false);
    expect(h.decide(down('Tab'))).toBe('terminal');
  });

  it('any other key in between disarms', () => {
    const h = new EscapeHatch();
    h.decide(down('Escape'));
    expect(h.decide(down('a'))).toBe('terminal');
    expect(h.decide(down('Tab'))).toBe('terminal');
  });

  it('Ctrl+Tab or Alt+Escape are not the way out', () => {
    const h = new EscapeHatch();
    expect(h.decide(down('Escape', { altKey: true }))).toBe('terminal');
    h.decide(down('Escape'));
    expect(h.decide(down('Tab', { ctrlKey: true }))).toBe('terminal');
  });
});
