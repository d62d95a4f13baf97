// A custom element whose code loads when it scrolls into view or is touched,
// so a page stays light until then (the playground, /compare).
export function defineLazy(name: string, what: string, load: () => Promise<{ mount(root: HTMLElement): void }>): void {
  class Lazy extends HTMLElement {
    private started = false;

    connectedCallback(): void {
      const start = () => this.start();
      if ('IntersectionObserver' in window) {
        const io = new IntersectionObserver((entries) => {
          if (entries.some((e) => e.isIntersecting)) {
            io.disconnect();
            start();
          }
        }, { rootMargin: '200px' });
        io.observe(this);
      } else start();
      this.addEventListener('pointerdown', start, { once: true });
      this.addEventListener('focusin', start, { once: true });
    }

    private start(): void {
      if (this.started) return;
      this.started = true;
      const text = this.querySelector('[data-ref="connText"]');
      if (text) text.textContent = 'Loading…';
      load()
        .then((m) => m.mount(this))
        .catch((e: unknown) => {
          if (text) text.textContent = `The ${what} failed to load: ${(e as Error).message}`;
        });
    }
  }
  if (!customElements.get(name)) customElements.define(name, Lazy);
}
