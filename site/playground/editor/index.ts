// The playground's config editor: Monaco with an Apache config language
// ('apacheconf'), directive hover docs and completion from the directive table,
// instant local markers, and the engine's verdict as markers.
//
// Loaded only with `await import('./editor/index.js')` when the learner opens
// the config panel: everything Monaco lives behind this module (one lazy chunk,
// its CSS injected by site/integrations/lazy-vendor-css.mjs, the editor worker
// a separate file fetched only if a worker-backed feature runs).
//
// Keyboard: Tab / Shift+Tab move focus out of the editor (tabFocusMode on), so
// keyboard users are never trapped; Ctrl+M (Ctrl+Shift+M on macOS) switches Tab
// to indenting and back. Ctrl/Cmd+Enter applies. F8 / Shift+F8 go through the
// problems; Ctrl+K Ctrl+I shows the hover for the word at the cursor.

import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/suggest/register';
// Monaco 0.57's suggest feature only registers inline completions: the suggest widget needs its controller
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/wordOperations/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

import type { ConfigReport } from '../../../engine/protocol/messages.js';
import type { DirectiveIndex, MpmName } from './data.js';
import { DirectiveIndex as Index, parseDirectivesData } from './data.js';
import type { CompletionEntry } from './docs.js';
import {
  directiveCompletions, directiveHover, moduleCompletions, moduleHover, sectionCompletion, sectionHover,
  unknownHover, valueCompletions,
} from './docs.js';
import { KEYBOARD_HINT, TAB_INDENTS, TAB_MOVES_FOCUS } from './hints.js';
import { LANGUAGE_ID, languageConfiguration, monarchLanguage } from './language.js';
import type { MarkerSpec, Severity } from './lint.js';
import { localMarkers } from './lint.js';
import { engineMarkers } from './report.js';
import { contextAt } from './syntax.js';
import { THEME_DARK, THEME_LIGHT, schemeOf, themeData, themeName } from './theme.js';

export type { ConfigReport };

export interface EditorHandle {
  getValue(): string;
  setValue(v: string): void;
  /** directives are checked against this MPM from now on */
  setMpm(mpm: MpmName): void;
  /** show the engine's verdict: an error marker at errorLine, warning markers for diagnostics that carry a line (or on the line of their `directive` when no line), info for AH info lines */
  setReport(report: ConfigReport | null): void;
  onChange(cb: (value: string) => void): () => void;
  /** Ctrl/Cmd+Enter inside the editor */
  onApply(cb: () => void): () => void;
  focus(): void;
  dispose(): void;
}

export interface MountOptions {
  value: string;
  mpm: MpmName;
  directivesUrl: string;
  label: string;
}

export const LOCAL_OWNER = 'mpm-lab-local';
export const ENGINE_OWNER = 'mpm-lab-engine';

// ---- once per page ------------------------------------------------------------------

const env = (globalThis.MonacoEnvironment ??= {});
if (!env.getWorker && !env.getWorkerUrl) env.getWorker = () => new EditorWorker();

interface ModelContext {
  mpm: MpmName;
  /** null when the directive table could not be loaded: no directive knowledge, no "unknown" markers */
  index: DirectiveIndex | null;
}
const contexts = new Map<string, ModelContext>();
const tables = new Map<string, Promise<DirectiveIndex | null>>();
let tokensFor: DirectiveIndex | null = null;
let languageRegistered = false;
let themesDefined = false;
let themeObserver: MutationObserver | null = null;
let mounted = 0;
let counter = 0;

function loadTable(url: string): Promise<DirectiveIndex | null> {
  let p = tables.get(url);
  if (!p) {
    p = fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(async (res) => {
        if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
        return new Index(parseDirectivesData(await res.json()));
      })
      .catch((e: unknown) => {
        tables.delete(url); // try again on the next mount
        console.warn(`MPM Lab editor: could not load the directive table from ${url}:`, e);
        return null;
      });
    tables.set(url, p);
  }
  return p;
}

function ctxOf(model: monaco.editor.ITextModel): ModelContext | undefined {
  return contexts.get(model.uri.toString());
}

const SEVERITY: Record<Severity, monaco.MarkerSeverity> = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
  hint: monaco.MarkerSeverity.Hint,
};

function toMarkerData(m: MarkerSpec): monaco.editor.IMarkerData {
  return {
    severity: SEVERITY[m.severity],
    message: m.message,
    code: m.code,
    startLineNumber: m.startLineNumber,
    startColumn: m.startColumn,
    endLineNumber: m.endLineNumber,
    endColumn: m.endColumn,
    tags: m.tags?.map(() => monaco.MarkerTag.Deprecated),
  };
}

function md(value: string): monaco.IMarkdownString {
  return { value, isTrusted: false, supportHtml: false };
}

function registerLanguage(): void {
  if (languageRegistered) return;
  languageRegistered = true;
  monaco.languages.register({ id: LANGUAGE_ID, extensions: ['.conf'], aliases: ['Apache config', 'apacheconf'] });
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, {
    ...languageConfiguration,
    onEnterRules: [
      // after "<IfModule …>", indent the next line
      { beforeText: /^\s*<(?!\/)[^>]*>\s*$/, action: { indentAction: monaco.languages.IndentAction.Indent } },
    ],
  });

  monaco.languages.registerHoverProvider(LANGUAGE_ID, {
    provideHover(model, position) {
      const ctx = ctxOf(model);
      if (!ctx) return null;
      const c = contextAt((n) => model.getLineContent(n), model.getLineCount(), position.lineNumber, position.column);
      const range = (s: { line: number; startColumn: number; endColumn: number }) =>
        new monaco.Range(s.line, s.startColumn, s.line, s.endColumn);
      // the hover position is the character under the pointer: it must be inside the word
      const inside = (s: { startColumn: number; endColumn: number }) => position.column >= s.startColumn && position.column < s.endColumn;
      switch (c.kind) {
        case 'directive': {
          if (!c.name || !inside(c.span)) return null;
          if (!ctx.index) {
            return { range: range(c.span), contents: [md(`**${c.name}** — the directive table could not be loaded, so there is no help for it right now.`)] };
          }
          const found = ctx.index.find(c.name);
          const text = found ? directiveHover(found, c.name, ctx.mpm) : unknownHover(c.name, ctx.index);
          return { range: range(c.span), contents: [md(text)] };
        }
        case 'section':
          if (!c.name || position.column >= c.span.endColumn) return null;
          return { range: range(c.span), contents: [md(sectionHover(c.name))] };
        case 'section-argument':
          if (c.section.toLowerCase() !== 'ifmodule' || !c.word || !inside(c.span)) return null;
          return { range: range(c.span), contents: [md(moduleHover(c.word, c.negated, ctx.mpm))] };
        default:
          return null;
      }
    },
  });

  const KIND: Record<CompletionEntry['kind'], monaco.languages.CompletionItemKind> = {
    directive: monaco.languages.CompletionItemKind.Property,
    alias: monaco.languages.CompletionItemKind.Property,
    value: monaco.languages.CompletionItemKind.Value,
    section: monaco.languages.CompletionItemKind.Module,
  };

  monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
    triggerCharacters: ['<'],
    provideCompletionItems(model, position) {
      const ctx = ctxOf(model);
      if (!ctx) return { suggestions: [] };
      const c = contextAt((n) => model.getLineContent(n), model.getLineCount(), position.lineNumber, position.column);
      let entries: CompletionEntry[] = [];
      let start = position.column;
      let end = position.column;
      switch (c.kind) {
        case 'directive':
          entries = ctx.index ? directiveCompletions(ctx.index, ctx.mpm) : [];
          start = c.span.startColumn;
          end = Math.max(c.span.endColumn, position.column);
          break;
        case 'section':
          if (c.closing) return { suggestions: [] };
          entries = [sectionCompletion(ctx.mpm)];
          start = c.span.startColumn + 1; // after "<"
          end = Math.max(start, c.span.endColumn - (model.getLineContent(position.lineNumber)[c.span.endColumn - 2] === '>' ? 1 : 0));
          if (position.column < start) return { suggestions: [] };
          break;
        case 'section-argument':
          if (c.section.toLowerCase() !== 'ifmodule') return { suggestions: [] };
          entries = moduleCompletions(ctx.mpm);
          start = c.span.startColumn;
          end = c.span.endColumn;
          break;
        case 'argument':
          entries = ctx.index ? valueCompletions(ctx.index, c.directive, c.index) : [];
          start = c.span.startColumn;
          end = c.span.endColumn;
          break;
        default:
          return { suggestions: [] };
      }
      // a word split by a line continuation: offer nothing rather than a range on another line
      if (c.span.line !== position.lineNumber) return { suggestions: [] };
      const insert = new monaco.Range(position.lineNumber, start, position.lineNumber, position.column);
      const replace = new monaco.Range(position.lineNumber, start, position.lineNumber, Math.max(end, position.column));
      return {
        suggestions: entries.map((e) => ({
          // A label object: its description (the help line) shows on every row and is part of the row's
          // accessible name. The leading space keeps the visible text "Name help…" rather than "Namehelp…",
          // which axe (label-content-name-mismatch) would not find in the aria-label "Name, help…, Property".
          label: { label: e.label, description: ` ${e.description ?? e.detail}` },
          kind: KIND[e.kind],
          detail: e.detail,
          documentation: e.documentation ? md(e.documentation) : undefined,
          insertText: e.insertText,
          insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet,
          sortText: e.sortText,
          tags: e.deprecated ? [monaco.languages.CompletionItemTag.Deprecated] : undefined,
          range: { insert, replace },
        })),
      };
    },
  });
}

function applyTableToTokens(index: DirectiveIndex | null): void {
  if (!index || index === tokensFor) return;
  tokensFor = index;
  monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, monarchLanguage(index));
}

function ensureTokens(): void {
  // without the table, still colour comments, sections, numbers and strings
  if (tokensFor === null) monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, monarchLanguage(new Index({ directives: [], unsupported: [] })));
}

function currentTheme(): string {
  return themeName(schemeOf(document.documentElement.getAttribute('data-theme')));
}

function startTheming(): void {
  if (!themesDefined) {
    themesDefined = true;
    monaco.editor.defineTheme(THEME_LIGHT, themeData('light'));
    monaco.editor.defineTheme(THEME_DARK, themeData('dark'));
  }
  if (!themeObserver) {
    // Starlight's theme picker flips html[data-theme]; Monaco's theme is global to the page
    themeObserver = new MutationObserver(() => monaco.editor.setTheme(currentTheme()));
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  }
}

function stopTheming(): void {
  themeObserver?.disconnect();
  themeObserver = null;
}

const VISUALLY_HIDDEN = 'position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0';

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

// ---- one editor ---------------------------------------------------------------------

export async function mountEditor(host: HTMLElement, opts: MountOptions): Promise<EditorHandle> {
  const index = await loadTable(opts.directivesUrl);
  registerLanguage();
  if (index) applyTableToTokens(index);
  else ensureTokens();
  startTheming();

  const n = ++counter;
  const uri = monaco.Uri.parse(`inmemory://mpm-lab/config-${n}.conf`);
  const model = monaco.editor.createModel(opts.value, LANGUAGE_ID, uri);
  model.setEOL(monaco.editor.EndOfLineSequence.LF);
  contexts.set(uri.toString(), { mpm: opts.mpm, index });
  mounted++;

  // keyboard help for screen readers (aria-describedby) and a live region for mode changes
  const hint = document.createElement('p');
  hint.id = `mpm-lab-editor-hint-${n}`;
  hint.hidden = true;
  hint.textContent = KEYBOARD_HINT(IS_MAC);
  const status = document.createElement('div');
  status.className = 'mpm-lab-editor-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  status.style.cssText = VISUALLY_HIDDEN;
  host.append(hint, status);

  const editor = monaco.editor.create(host, {
    model,
    theme: currentTheme(),
    ariaLabel: opts.label,
    accessibilitySupport: 'auto',
    // Tab leaves the editor: Apache config needs no tabs, and keyboard users must not be trapped
    tabFocusMode: true,
    automaticLayout: true,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    // 'dimmed' (Monaco's Linux default) draws the last line number at 40 % opacity: fails contrast
    renderFinalNewline: 'on',
    lineNumbersMinChars: 3,
    glyphMargin: false,
    folding: false,
    fontSize: 14,
    wordWrap: 'on',
    wrappingIndent: 'indent',
    tabSize: 2,
    insertSpaces: true,
    detectIndentation: false,
    contextmenu: false,
    stickyScroll: { enabled: false },
    occurrencesHighlight: 'off',
    selectionHighlight: false,
    renderLineHighlight: 'line',
    padding: { top: 6, bottom: 6 },
    // our completions only: the directive table, not words from the document
    wordBasedSuggestions: 'off',
    quickSuggestions: { other: true, comments: false, strings: false },
    suggest: { showWords: false, preview: false, showStatusBar: false },
    hover: { enabled: 'on', delay: 300, sticky: true },
    fixedOverflowWidgets: false,
    'semanticHighlighting.enabled': false,
  });

  const input = editor.getDomNode()?.querySelector('.native-edit-context, textarea');
  input?.setAttribute('aria-describedby', hint.id);

  let tabMovesFocus = true;
  const announce = (text: string) => {
    status.textContent = '';
    // a fresh text node so the same message is announced again
    setTimeout(() => { status.textContent = text; }, 50);
  };
  editor.addAction({
    id: 'mpm-lab.toggleTabFocus',
    label: 'Toggle Tab Key Moves Focus',
    keybindings: [IS_MAC ? monaco.KeyMod.WinCtrl | monaco.KeyMod.Shift | monaco.KeyCode.KeyM : monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyM],
    run: () => {
      tabMovesFocus = !tabMovesFocus;
      editor.updateOptions({ tabFocusMode: tabMovesFocus });
      announce(tabMovesFocus ? TAB_MOVES_FOCUS : TAB_INDENTS);
    },
  });

  const applyListeners = new Set<() => void>();
  editor.addAction({
    id: 'mpm-lab.apply',
    label: 'Apply configuration',
    keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
    run: () => { for (const cb of [...applyListeners]) cb(); },
  });

  let report: ConfigReport | null = null;
  let mpm = opts.mpm;
  const relint = () => {
    monaco.editor.setModelMarkers(model, LOCAL_OWNER, localMarkers(model.getValue(), mpm, index ?? EMPTY).filter(
      // without the table every name would look unknown: keep only the structure checks
      (m) => index !== null || m.code === 'section',
    ).map(toMarkerData));
  };
  const showReport = () => {
    monaco.editor.setModelMarkers(model, ENGINE_OWNER, engineMarkers(report, model.getValue(), index ?? undefined).map(toMarkerData));
  };
  relint();
  const changeSub = model.onDidChangeContent(relint);

  let disposed = false;
  return {
    getValue: () => model.getValue(monaco.editor.EndOfLinePreference.LF),
    setValue(v: string) {
      if (v === model.getValue(monaco.editor.EndOfLinePreference.LF)) return;
      // an edit, not a reset: Ctrl+Z brings the learner's text back
      model.pushStackElement();
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: v }], () => null);
      model.pushStackElement();
    },
    setMpm(m) {
      mpm = m;
      contexts.set(uri.toString(), { mpm: m, index });
      relint();
    },
    setReport(r: ConfigReport | null) {
      report = r;
      showReport();
    },
    onChange(cb: (value: string) => void) {
      const sub = model.onDidChangeContent(() => cb(model.getValue(monaco.editor.EndOfLinePreference.LF)));
      return () => sub.dispose();
    },
    onApply(cb: () => void) {
      applyListeners.add(cb);
      return () => { applyListeners.delete(cb); };
    },
    focus: () => editor.focus(),
    dispose() {
      if (disposed) return;
      disposed = true;
      changeSub.dispose();
      applyListeners.clear();
      monaco.editor.setModelMarkers(model, LOCAL_OWNER, []);
      monaco.editor.setModelMarkers(model, ENGINE_OWNER, []);
      contexts.delete(uri.toString());
      editor.dispose();
      model.dispose();
      hint.remove();
      status.remove();
      if (--mounted === 0) stopTheming();
    },
  };
}

const EMPTY: DirectiveIndex = new Index({ directives: [], unsupported: [] });
