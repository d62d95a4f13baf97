// <mpm-playground>: the only playground code in a lesson's initial bundle. It
// loads the app when the playground scrolls into view or is touched, so pages
// stay light until then.
class MpmPlayground extends HTMLElement {
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
    import('./app.ts')
      .then((m) => m.mount(this))
      .catch((e: unknown) => {
        if (text) text.textContent = `The playground failed to load: ${(e as Error).message}`;
      });
  }
}

if (!customElements.get('mpm-playground')) customElements.define('mpm-playground', MpmPlayground);
