// The site: Astro 5 + Starlight, lessons from lessons/ (outside srcDir), built
// to dist/ and served by `mpm-lab start` (or hosted anywhere as static files).
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { lazyVendorCss } from './site/integrations/lazy-vendor-css.mjs';

export default defineConfig({
  srcDir: './site',
  outDir: './dist',
  publicDir: './public',
  // the lab serves the site from its own origin; relative-safe absolute paths
  trailingSlash: 'always',
  integrations: [
    starlight({
      title: 'MPM Lab',
      description: 'Learn how Apache httpd’s MPMs serve connections — by experiment, on a real engine.',
      favicon: '/favicon.svg',
      customCss: ['./site/styles/theme.css'],
      components: { Search: './site/components/Search.astro' },
      // Starlight derives sidebar paths from <srcDir>/content/docs; our lessons
      // live in lessons/, so the folder names include that prefix.
      sidebar: [
        { label: 'Start here', items: [{ slug: 'index', label: 'Welcome' }, { slug: 'playground' }, { slug: 'compare' }, { slug: 'classroom' }, { slug: 'progress' }] },
        { label: 'Basics', autogenerate: { directory: 'lessons/basics' } },
        { label: 'Threads', autogenerate: { directory: 'lessons/threads' } },
        { label: 'Deeper', autogenerate: { directory: 'lessons/deeper' } },
        { label: 'Behind the MPM: PHP', autogenerate: { directory: 'lessons/app' } },
        { label: 'Reference', autogenerate: { directory: 'lessons/reference' } },
      ],
      // long shell lines wrap: a code block that scrolls sideways is a region keyboard users cannot reach
      expressiveCode: { defaultProps: { wrap: true } },
      pagination: true,
      lastUpdated: false,
    }),
  ],
  vite: {
    plugins: [lazyVendorCss()],
    // Monaco is one big lazy chunk on purpose
    build: { chunkSizeWarningLimit: 4000 },
  },
});
