// Build steps for a verifiable release (docs/release.md): Subresource Integrity on every script and
// stylesheet the HTML names, and the service worker built as one self-contained /sw.js.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { build, type Plugin } from 'vite';

const LANGUAGES = ['en', 'fr', 'ar', 'es', 'pt', 'sw'];

/** Adds integrity="sha384-…" to every <script src> and <link rel=stylesheet|modulepreload> of the HTML. */
export function subresourceIntegrity(): Plugin {
  return {
    name: 'sauti:sri',
    apply: 'build',
    enforce: 'post',
    // Last of all generateBundle hooks: Vite's own finalise chunk code there (e.g. the preload list of a
    // dynamic import), and a hash taken before that would not match the file served.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const html of Object.values(bundle)) {
          if (html.type !== 'asset' || !html.fileName.endsWith('.html')) continue;
          const integrity = (url: string): string => {
            const file = bundle[url.replace(/^\//, '')];
            if (!file) throw new Error(`${html.fileName} references ${url}, which the build did not produce`);
            const source = file.type === 'chunk' ? file.code : file.source;
            return `sha384-${createHash('sha384').update(source).digest('base64')}`;
          };
          let count = 0;
          html.source = String(html.source).replace(/<(script|link)\b[^>]*>/g, (tag) => {
            const isScript = tag.startsWith('<script');
            if (!isScript && !/\brel="(stylesheet|modulepreload)"/.test(tag)) return tag;
            const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
            if (!url || !url.startsWith('/') || url.startsWith('//') || /\bintegrity=/.test(tag)) return tag;
            count += 1;
            return tag.replace(/\s*\/?>$/, ` integrity="${integrity(url)}">`);
          });
          if (count === 0) throw new Error(`${html.fileName}: no script or stylesheet found for Subresource Integrity`);
        }
      },
    },
  };
}

/** The verify.warning.* strings of every catalogue: the only UI text the service worker carries. */
function warningStrings(i18nDir: string): Record<string, Record<string, string>> {
  return Object.fromEntries(
    LANGUAGES.map((lang) => {
      const catalogue = JSON.parse(readFileSync(`${i18nDir}/${lang}.json`, 'utf8')) as Record<string, string>;
      return [lang, Object.fromEntries(Object.entries(catalogue).filter(([k]) => k.startsWith('verify.warning.')).sort(([a], [b]) => (a < b ? -1 : 1)))];
    }),
  );
}

/**
 * Builds src/release/service-worker.ts as /sw.js: a classic script with nothing shared with the app
 * (a stable URL, no imports), so that it can run wherever service workers run.
 */
export function serviceWorker(options: { root: string; entry: string; i18nDir: string }): Plugin {
  return {
    name: 'sauti:service-worker',
    apply: 'build',
    async generateBundle() {
      const result = await build({
        configFile: false,
        root: options.root,
        logLevel: 'warn',
        publicDir: false,
        define: { __SAUTI_WARNING_STRINGS__: JSON.stringify(warningStrings(options.i18nDir)) },
        build: {
          write: false,
          target: 'es2022',
          minify: true,
          sourcemap: false,
          emptyOutDir: false,
          lib: { entry: options.entry, formats: ['iife'], name: 'sautiServiceWorker', fileName: () => 'sw.js' },
        },
      });
      const outputs = (Array.isArray(result) ? result : [result]) as { output?: { type: string; fileName: string; code?: string }[] }[];
      const chunk = outputs.flatMap((o) => o.output ?? []).find((c) => c.type === 'chunk');
      if (!chunk?.code) throw new Error('the service worker build produced no script');
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: chunk.code });
    },
  };
}
