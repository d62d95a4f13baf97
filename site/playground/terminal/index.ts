// Placeholder with the agreed API, so the site builds until the terminal lands; replace freely.
import type { LabClient } from '../../../engine/protocol/client.js';
export interface TerminalHandle { focus(): void; dispose(): void; note(text: string): void }
export async function mountTerminal(host: HTMLElement, opts: { client: LabClient; instance: () => string | null; label: string }): Promise<TerminalHandle> {
  void opts;
  host.textContent = 'The terminal is not available yet.';
  return { focus: () => undefined, dispose: () => undefined, note: () => undefined };
}
