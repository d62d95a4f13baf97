// Placeholder with the agreed API, so the site builds until the editor lands; replace freely.
import type { ConfigReport } from '../../../engine/protocol/messages.js';
export interface EditorHandle { getValue(): string; setValue(v: string): void; setReport(report: ConfigReport | null): void; onChange(cb: (value: string) => void): () => void; onApply(cb: () => void): () => void; focus(): void; dispose(): void }
export async function mountEditor(host: HTMLElement, opts: { value: string; mpm: 'prefork' | 'worker' | 'event'; directivesUrl: string; label: string }): Promise<EditorHandle> {
  const ta = document.createElement('textarea');
  ta.value = opts.value;
  ta.setAttribute('aria-label', opts.label);
  host.append(ta);
  return { getValue: () => ta.value, setValue: (v) => (ta.value = v), setReport: () => undefined, onChange: () => () => undefined, onApply: () => () => undefined, focus: () => ta.focus(), dispose: () => ta.remove() };
}
