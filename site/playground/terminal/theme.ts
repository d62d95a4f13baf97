// The terminal's colours for Starlight's light and dark themes. Every colour the
// terminal writes text in has at least WCAG AA contrast (4.5:1) on its
// background — checked by a unit test with the maths below. Pure (no DOM).

export interface TermTheme {
  background: string;
  foreground: string;
  cursor: string;
  cursorAccent: string;
  selectionBackground: string;
  selectionForeground: string;
  black: string;
  red: string;
  green: string;
  yellow: string;
  blue: string;
  magenta: string;
  cyan: string;
  white: string;
  brightBlack: string;
  brightRed: string;
  brightGreen: string;
  brightYellow: string;
  brightBlue: string;
  brightMagenta: string;
  brightCyan: string;
  brightWhite: string;
}

export type ThemeName = 'light' | 'dark';

export const THEMES: Record<ThemeName, TermTheme> = {
  dark: {
    background: '#15171c',
    foreground: '#e4e6eb',
    cursor: '#e4e6eb',
    cursorAccent: '#15171c',
    selectionBackground: '#3b4d6e',
    selectionForeground: '#ffffff',
    black: '#15171c',
    red: '#ff8a80',
    green: '#7ad88a',
    yellow: '#e8c55a',
    blue: '#8ab4ff',
    magenta: '#f29ad8', // escapes: ^M, \x9B
    cyan: '#7fd3e6', // what the learner typed
    white: '#d0d3da',
    brightBlack: '#979da8', // status lines
    brightRed: '#ffaba3',
    brightGreen: '#9be6a8',
    brightYellow: '#f2d98a',
    brightBlue: '#abc8ff',
    brightMagenta: '#f7b8e5',
    brightCyan: '#a6e2ef',
    brightWhite: '#ffffff',
  },
  light: {
    background: '#f8f8fa',
    foreground: '#1b1d22',
    cursor: '#1b1d22',
    cursorAccent: '#f8f8fa',
    selectionBackground: '#b9d3f7',
    selectionForeground: '#000000',
    black: '#1b1d22',
    red: '#b3261e',
    green: '#1d6b2c',
    yellow: '#7a5a00',
    blue: '#1f57b8',
    magenta: '#9c1f7a', // escapes
    cyan: '#0a6478', // what the learner typed
    white: '#4d525c',
    brightBlack: '#5c626d', // status lines
    brightRed: '#9a1c15',
    brightGreen: '#175a24',
    brightYellow: '#664b00',
    brightBlue: '#1a4a9c',
    brightMagenta: '#85196a',
    brightCyan: '#085566',
    brightWhite: '#000000',
  },
};

/** The text colours (everything but backgrounds and the selection). */
export const TEXT_KEYS = [
  'foreground',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'brightBlack',
  'brightRed',
  'brightGreen',
  'brightYellow',
  'brightBlue',
  'brightMagenta',
  'brightCyan',
  'brightWhite',
] as const;

/** Starlight's html[data-theme] → ours (anything but "light" is dark, Starlight's default). */
export function themeName(dataTheme: string | null | undefined): ThemeName {
  return dataTheme === 'light' ? 'light' : 'dark';
}

/** WCAG 2 relative luminance of #rrggbb. */
export function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = m.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two #rrggbb colours (1…21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
