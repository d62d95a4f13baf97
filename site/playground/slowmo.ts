// The slow-motion banner and control, shared by the playground, /compare and
// the classroom: whenever the lab runs in slow motion, every page says so.
export function slowmoText(factor: number): string {
  return factor > 1
    ? `Slow motion ×${factor}: MPM Lab's engine holds each request ${factor * 20} ms in R and again in W, its /sleep waits ×${factor}, and the driver's pauses are ×${factor} longer. Real Apache httpd is never slowed.`
    : '';
}

/** Show or hide the banner, and keep the select in step with the lab's setting. */
export function renderSlowmo(root: HTMLElement, factor: number): void {
  const banner = root.querySelector<HTMLElement>('[data-ref="slowmoBanner"]');
  if (banner) {
    const text = slowmoText(factor);
    banner.hidden = factor <= 1;
    if (banner.textContent !== text) banner.textContent = text;
  }
  const sel = root.querySelector<HTMLSelectElement>('[data-ref="slowmo"]');
  if (sel && document.activeElement !== sel && sel.value !== String(factor)) {
    if (![...sel.options].some((o) => o.value === String(factor))) sel.add(new Option(`×${factor}`, String(factor)));
    sel.value = String(factor);
  }
}

/** The select's change asks the lab; the lab's answer (lab.settings) updates every page. */
export function wireSlowmo(root: HTMLElement, ask: (factor: number) => Promise<unknown>, say: (text: string) => void): void {
  root.querySelector<HTMLSelectElement>('[data-ref="slowmo"]')?.addEventListener('change', (e) => {
    const factor = Number((e.target as HTMLSelectElement).value);
    ask(factor).then(
      (r) => {
        const note = (r as { note?: string } | null)?.note;
        if (note) say(note);
      },
      (err: Error) => say(err.message),
    );
  });
}
