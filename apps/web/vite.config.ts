import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { serviceWorker, stationManifest, subresourceIntegrity } from './release-plugins.ts';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const version = (JSON.parse(readFileSync(here('../../package.json'), 'utf8')) as { version: string }).version;

// Preact through the JSX transform alone (no preset): the build needs nothing else.
// Reproducible (docs/release.md): the output depends only on the sources and the lockfile — no
// time, no absolute path, no environment (test/reproducible-build.test.ts builds twice and compares).
export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: false,
  resolve: {
    alias: {
      // Zod-free, so the UI may use it at run time (the rest of core is types only in the UI).
      '@sauti/core/localised': here('../../packages/core/src/localised.ts'),
      // The ten Arusha factor ids, zod-free too (the survey editor lists them).
      '@sauti/core/arusha': here('../../packages/core/src/arusha.ts'),
      '@sauti/crypto': here('../../packages/crypto/src/index.ts'),
      '@sauti/client': here('../../packages/client/src/index.ts'),
      '@sauti/core': here('../../packages/core/src/index.ts'),
    },
  },
  define: { __SAUTI_VERSION__: JSON.stringify(version) },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  worker: { format: 'es' },
  plugins: [
    subresourceIntegrity(),
    serviceWorker({ root: here('.'), entry: here('src/release/service-worker.ts'), i18nDir: here('src/i18n') }),
    stationManifest({ i18nDir: here('src/i18n') }),
  ],
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    // Inlined assets would become data: URLs; keep every asset a same-origin file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
});
