// Keeps Monaco's and xterm's CSS out of every page (withastro/astro#9495: CSS
// imported under a dynamic import() is hoisted into <link>s on all pages that
// share the route). Their .css imports become a tiny JS module that injects a
// <style> when the lazy chunk actually runs. The virtual id must not end in .css.
const VENDORS = [/[\\/]node_modules[\\/]monaco-editor[\\/]/, /[\\/]node_modules[\\/]@xterm[\\/]/];
const PREFIX = '\0lazy-css:';

export function lazyVendorCss() {
  return {
    name: 'mpm-lab:lazy-vendor-css',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!source.endsWith('.css') || source.includes('?')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || !VENDORS.some((re) => re.test(resolved.id))) return null;
      return PREFIX + resolved.id + '.js';
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const file = id.slice(PREFIX.length, -3);
      return `import css from ${JSON.stringify(file + '?inline')};
const s = document.createElement('style');
s.setAttribute('data-lazy-css', '');
s.textContent = css;
document.head.appendChild(s);`;
    },
  };
}
