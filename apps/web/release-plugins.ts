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

// --- the survey station's web app manifest and icons (issue 15) ------------------------------------

/** Where the station's manifest and icons are served; the station pages link the manifest (survey/station.tsx). */
export const STATION_MANIFEST = '/survey-station.webmanifest';
const STATION_ICONS = [192, 512] as const;
const BRAND: [number, number, number] = [0x0b, 0x5c, 0x4b];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Buffer): number => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const pngChunk = (type: string, data: Buffer): Buffer => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};

/** A zlib stream of stored (uncompressed) blocks: the same bytes whatever zlib this Node carries. */
function storedZlib(raw: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0x78, 0x01])];
  for (let at = 0; at < raw.length || at === 0; at += 65535) {
    const block = raw.subarray(at, at + 65535);
    const head = Buffer.alloc(5);
    head[0] = at + 65535 >= raw.length ? 1 : 0;
    head.writeUInt16LE(block.length, 1);
    head.writeUInt16LE(~block.length & 0xffff, 3);
    parts.push(head, block);
    if (raw.length === 0) break;
  }
  let a = 1;
  let b = 0;
  for (const x of raw) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((b << 16) | a) >>> 0, 0);
  parts.push(adler);
  return Buffer.concat(parts);
}

/**
 * The station icon, drawn here rather than kept as a binary: a white clipboard with three rows on
 * the brand colour (a checklist), inside the central safe zone so that it also serves as a maskable icon. A
 * two-colour palette PNG, one bit per pixel.
 */
export function stationIcon(size: number): Buffer {
  const inside = (u: number, v: number, u0: number, v0: number, u1: number, v1: number) => u >= u0 && u < u1 && v >= v0 && v < v1;
  const white = (u: number, v: number): boolean => {
    if (inside(u, v, 0.42, 0.22, 0.58, 0.3)) return true;
    if (!inside(u, v, 0.31, 0.26, 0.69, 0.78)) return false;
    // A checklist: a box and a line per row, in the background colour.
    return ![0.38, 0.5, 0.62].some((top) => inside(u, v, 0.37, top, 0.43, top + 0.06) || inside(u, v, 0.47, top + 0.01, 0.63, top + 0.05));
  };
  const stride = Math.ceil(size / 8);
  const raw = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (white((x + 0.5) / size, (y + 0.5) / size)) raw[y * (stride + 1) + 1 + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([1, 3, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('PLTE', Buffer.from([...BRAND, 0xff, 0xff, 0xff])),
    pngChunk('IDAT', storedZlib(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Emits the survey station's web app manifest (installable on a collector's tablet) and its icons,
 * at fixed names: the same bytes on every build, listed in the signed release manifest like every
 * file of dist. The name comes from the English survey catalogue ("station.heading").
 */
export function stationManifest(options: { i18nDir: string }): Plugin {
  return {
    name: 'sauti:station-manifest',
    apply: 'build',
    generateBundle() {
      const en = JSON.parse(readFileSync(`${options.i18nDir}/survey-en.json`, 'utf8')) as Record<string, string>;
      const heading = en['station.heading'];
      if (!heading) throw new Error('survey-en.json has no "station.heading" for the station manifest');
      const manifest = {
        name: `Sauti · ${heading}`,
        short_name: heading,
        lang: 'en',
        dir: 'ltr',
        id: '/survey/station',
        start_url: '/survey/station',
        scope: '/survey/',
        display: 'standalone',
        orientation: 'any',
        background_color: '#ffffff',
        theme_color: `#${BRAND.map((c) => c.toString(16).padStart(2, '0')).join('')}`,
        icons: STATION_ICONS.map((size) => ({ src: `/survey-station-${size}.png`, sizes: `${size}x${size}`, type: 'image/png', purpose: 'any maskable' })),
      };
      this.emitFile({ type: 'asset', fileName: STATION_MANIFEST.slice(1), source: `${JSON.stringify(manifest, null, 2)}\n` });
      for (const size of STATION_ICONS) this.emitFile({ type: 'asset', fileName: `survey-station-${size}.png`, source: stationIcon(size) });
    },
  };
}
