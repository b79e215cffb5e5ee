// The page the service worker shows instead of the app when the served code is not the signed
// release. It is built here, from strings in the worker itself: nothing of the server is used.

export type WarningReason = 'file' | 'signature' | 'unavailable' | 'malformed' | 'rollback' | 'serviceWorker';
type Strings = Record<string, string>;
/** The verify.warning.* strings of each catalogue, put in by the build (vite.config.ts). */
declare const __SAUTI_WARNING_STRINGS__: Record<string, Strings>;

const LANGS = ['en', 'fr', 'ar', 'es', 'pt', 'sw'];
const REASON_KEY: Record<WarningReason, string> = {
  file: 'verify.warning.file',
  signature: 'verify.warning.signature',
  unavailable: 'verify.warning.unavailable',
  malformed: 'verify.warning.signature',
  rollback: 'verify.warning.rollback',
  serviceWorker: 'verify.warning.serviceWorker',
};

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function pickLanguage(preferred: readonly string[]): string {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    if (LANGS.includes(base)) return base;
  }
  return 'en';
}

export function warningHtml(lang: string, reason: WarningReason, details: string[]): string {
  const s = __SAUTI_WARNING_STRINGS__[lang] ?? __SAUTI_WARNING_STRINGS__.en!;
  const get = (key: string) => escape(s[key] ?? __SAUTI_WARNING_STRINGS__.en![key] ?? key);
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  const list = details.map((d) => `<li><code>${escape(d)}</code></li>`).join('');
  return `<!doctype html>
<html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>${get('verify.warning.title')}</title>
<style>body{font:1.05rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}h1{color:#a00;font-size:1.5rem}.box{border:3px solid #a00;border-radius:8px;padding:1rem 1.25rem;background:#fff5f5}</style></head>
<body><main class="box" role="alert" aria-labelledby="t"><h1 id="t">${get('verify.warning.title')}</h1>
<p>${get(REASON_KEY[reason])}</p><p>${get('verify.warning.nothingRan')}</p><p><strong>${get('verify.warning.advice')}</strong></p>
<details><summary>${get('verify.warning.details')}</summary><ul>${list}</ul></details></main></body></html>`;
}

/** The warning as a response: its own strict policy, no script at all, never stored. */
export function warningResponse(preferred: readonly string[], reason: WarningReason, details: string[]): Response {
  return new Response(warningHtml(pickLanguage(preferred), reason, details), {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-sauti-warning': reason,
    },
  });
}
