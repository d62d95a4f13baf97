// Light and dark Monaco themes for the config editor, matching Starlight's page
// backgrounds, with every text colour at WCAG AA contrast (≥ 4.5:1) against the
// background it is drawn on (checked by test/unit/site/editor-theme.test.ts and
// by axe in the browser). Monaco's own vs / vs-dark fail for comments and
// dimmed line numbers. Data only: no Monaco runtime import.

import type { editor } from 'monaco-editor/editor';

export const THEME_LIGHT = 'mpm-lab-light';
export const THEME_DARK = 'mpm-lab-dark';

export type Scheme = 'light' | 'dark';

export interface Palette {
  background: string;
  foreground: string;
  comment: string;
  keyword: string;
  deprecated: string;
  tag: string;
  module: string;
  number: string;
  unit: string;
  constant: string;
  string: string;
  lineNumber: string;
  lineNumberActive: string;
  /** hover / suggest widgets */
  widgetBackground: string;
  widgetForeground: string;
  widgetBorder: string;
  /** suggest list: selected row and the characters that match what was typed */
  selectedBackground: string;
  selectedForeground: string;
  match: string;
  link: string;
  selection: string;
  lineHighlight: string;
}

// Starlight 0.37: dark --sl-color-black hsl(224 10% 10%) = #17181c, light white #ffffff
export const PALETTES: Record<Scheme, Palette> = {
  dark: {
    background: '#17181c',
    foreground: '#e3e5e8',
    comment: '#9ba5b1',
    keyword: '#7cb7ff',
    deprecated: '#d0a6ff',
    tag: '#6fd3a4',
    module: '#f0c674',
    number: '#b4e08a',
    unit: '#8fd3e8',
    constant: '#f5a962',
    string: '#e9b98a',
    lineNumber: '#9199a3',
    lineNumberActive: '#e3e5e8',
    widgetBackground: '#22242a',
    widgetForeground: '#e3e5e8',
    widgetBorder: '#5b616b',
    selectedBackground: '#2f4a6d',
    selectedForeground: '#ffffff',
    match: '#8cc4ff',
    link: '#8cc4ff',
    selection: '#264f78',
    lineHighlight: '#22242a',
  },
  light: {
    background: '#ffffff',
    foreground: '#1f2328',
    comment: '#5b6570',
    keyword: '#0b57b8',
    deprecated: '#7a3eb1',
    tag: '#116329',
    module: '#7a4d00',
    number: '#0a6b57',
    unit: '#0b5e8a',
    constant: '#a33a00',
    string: '#8a3f0c',
    lineNumber: '#5f6670',
    lineNumberActive: '#1f2328',
    widgetBackground: '#f6f7f9',
    widgetForeground: '#1f2328',
    widgetBorder: '#8c959f',
    selectedBackground: '#d6e6fb',
    selectedForeground: '#0d1117',
    match: '#0b57b8',
    link: '#0b57b8',
    selection: '#b9d4f5',
    lineHighlight: '#f3f5f8',
  },
};

const strip = (c: string) => c.replace(/^#/, '');

export function themeData(scheme: Scheme): editor.IStandaloneThemeData {
  const p = PALETTES[scheme];
  return {
    base: scheme === 'dark' ? 'vs-dark' : 'vs',
    inherit: true,
    rules: [
      { token: '', foreground: strip(p.foreground) },
      { token: 'white', foreground: strip(p.foreground) },
      { token: 'comment', foreground: strip(p.comment), fontStyle: 'italic' },
      { token: 'keyword', foreground: strip(p.keyword), fontStyle: 'bold' },
      { token: 'keyword.deprecated', foreground: strip(p.deprecated), fontStyle: 'italic' },
      { token: 'identifier.unknown', foreground: strip(p.foreground) },
      { token: 'identifier', foreground: strip(p.foreground) },
      { token: 'delimiter', foreground: strip(p.foreground) },
      { token: 'delimiter.angle', foreground: strip(p.tag) },
      { token: 'delimiter.continuation', foreground: strip(p.comment) },
      { token: 'tag', foreground: strip(p.tag), fontStyle: 'bold' },
      { token: 'attribute.value', foreground: strip(p.module) },
      { token: 'operator', foreground: strip(p.constant) },
      { token: 'number', foreground: strip(p.number) },
      { token: 'number.unit', foreground: strip(p.unit) },
      { token: 'constant', foreground: strip(p.constant) },
      { token: 'string', foreground: strip(p.string) },
      { token: 'string.escape', foreground: strip(p.constant) },
    ],
    colors: {
      'editor.background': p.background,
      'editor.foreground': p.foreground,
      'editorLineNumber.foreground': p.lineNumber,
      'editorLineNumber.activeForeground': p.lineNumberActive,
      'editorLineNumber.dimmedForeground': p.lineNumber,
      'editor.lineHighlightBackground': p.lineHighlight,
      'editor.selectionBackground': p.selection,
      'editor.inactiveSelectionBackground': p.selection,
      'editorCursor.foreground': p.foreground,
      'editorIndentGuide.background1': p.widgetBorder,
      'editorWidget.background': p.widgetBackground,
      'editorWidget.foreground': p.widgetForeground,
      'editorWidget.border': p.widgetBorder,
      'editorHoverWidget.background': p.widgetBackground,
      'editorHoverWidget.foreground': p.widgetForeground,
      'editorHoverWidget.border': p.widgetBorder,
      'editorHoverWidget.statusBarBackground': p.widgetBackground,
      'editorSuggestWidget.background': p.widgetBackground,
      'editorSuggestWidget.foreground': p.widgetForeground,
      'editorSuggestWidget.border': p.widgetBorder,
      'editorSuggestWidget.selectedBackground': p.selectedBackground,
      'editorSuggestWidget.selectedForeground': p.selectedForeground,
      'editorSuggestWidget.highlightForeground': p.match,
      'editorSuggestWidget.focusHighlightForeground': p.match,
      'list.hoverBackground': p.lineHighlight,
      'list.highlightForeground': p.match,
      'list.focusHighlightForeground': p.match,
      'descriptionForeground': p.widgetForeground,
      'textLink.foreground': p.link,
      'textLink.activeForeground': p.link,
      'textCodeBlock.background': p.background,
      'textPreformat.foreground': p.widgetForeground,
      'focusBorder': p.keyword,
    },
  };
}

// ---- WCAG contrast (used by the unit test; tiny, so kept next to the colours) ----

export function relativeLuminance(hex: string): number {
  const h = strip(hex);
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Starlight's html[data-theme]; anything but "light" is dark (Starlight's default). */
export function schemeOf(dataTheme: string | null | undefined): Scheme {
  return dataTheme === 'light' ? 'light' : 'dark';
}

export function themeName(scheme: Scheme): string {
  return scheme === 'light' ? THEME_LIGHT : THEME_DARK;
}
