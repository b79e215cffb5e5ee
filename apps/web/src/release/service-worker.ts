/// <reference lib="webworker" />
// Sauti's service worker (/sw.js, built by vite.config.ts as one self-contained script).
// First visit: pins the release keys named by the signed manifest (trust on first use).
// Every later load: serves only files whose bytes match a manifest signed by a pinned key, with
// the manifest's security headers; anything else gets a warning page and nothing from the server
// runs. Limits: docs/threat-model.md ("Served code").
import { fetchSignedManifest, ManifestError, sha256Hex, type ReleaseManifest } from './release-format';
import { warningResponse, type WarningReason } from './warning-page';

declare const self: ServiceWorkerGlobalScope;

/** What this browser trusts, kept in Cache Storage (the only store a service worker has besides IndexedDB). */
type Pin = { keys: string[]; version: string; alert: { reason: WarningReason; details: string[] } | null };
const PIN_CACHE = 'sauti-release-pin';
const PIN_KEY = '/__sauti/pin';

async function readPin(): Promise<Pin | null> {
  const hit = await (await caches.open(PIN_CACHE)).match(PIN_KEY);
  return hit ? ((await hit.json()) as Pin) : null;
}

async function writePin(pin: Pin): Promise<void> {
  await (await caches.open(PIN_CACHE)).put(PIN_KEY, new Response(JSON.stringify(pin), { headers: { 'content-type': 'application/json' } }));
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  webmanifest: 'application/manifest+json',
  wasm: 'application/wasm',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
};
const typeOf = (p: string) => TYPES[p.split('.').pop() ?? ''] ?? 'application/octet-stream';

/** A verified release held in memory only: code is never stored on the device. */
type Verified = { manifest: ReleaseManifest; bytes: Map<string, ArrayBuffer> };
let current: Verified | null = null;

class Mismatch extends Error {
  constructor(readonly paths: string[]) {
    super('mismatch');
  }
}

async function fetchFile(path: string, expected: { sha256: string }): Promise<ArrayBuffer> {
  const response = await fetch(path, { cache: 'no-store', redirect: 'error', credentials: 'same-origin' });
  const body = await response.arrayBuffer();
  if (!response.ok || (await sha256Hex(body)) !== expected.sha256) throw new Mismatch([path]);
  return body;
}

/** The signed manifest with the pin's keys; a newer signed release may name new keys (rotation). */
async function signedManifest(pin: Pin): Promise<ReleaseManifest> {
  const manifest = await fetchSignedManifest(pin.keys, pin.version);
  if (manifest.version !== pin.version || manifest.releaseKeys.join() !== pin.keys.join()) {
    await writePin({ ...pin, keys: manifest.releaseKeys, version: manifest.version });
  }
  return manifest;
}

/** Every file of the release, fetched and checked before the page is served: all or nothing. */
async function verifyRelease(pin: Pin): Promise<Verified> {
  const manifest = await signedManifest(pin);
  const paths = Object.keys(manifest.files).filter((p) => p !== manifest.serviceWorker);
  const results = await Promise.allSettled(paths.map((p) => fetchFile(p, manifest.files[p]!)));
  const bad = paths.filter((_, i) => results[i]!.status === 'rejected');
  if (bad.length > 0) throw new Mismatch(bad);
  const bytes = new Map(paths.map((p, i) => [p, (results[i] as PromiseFulfilledResult<ArrayBuffer>).value]));
  return { manifest, bytes };
}

function serve(manifest: ReleaseManifest, path: string, body: ArrayBuffer): Response {
  // The release's headers, not the server's: a weakened CSP from the server never reaches the page.
  return new Response(body, { status: 200, headers: { ...manifest.headers, 'content-type': typeOf(path) } });
}

const blocked = () => new Response('', { status: 421, statusText: 'Not part of the signed release' });

function refusal(error: unknown): { reason: WarningReason; details: string[] } {
  if (error instanceof Mismatch) return { reason: 'file', details: error.paths };
  if (error instanceof ManifestError) return { reason: error.problem, details: [] };
  return { reason: 'unavailable', details: [String(error)] };
}

async function navigate(url: URL, pin: Pin): Promise<Response> {
  if (pin.alert) return warningResponse(self.navigator.languages, pin.alert.reason, pin.alert.details);
  try {
    current = await verifyRelease(pin);
  } catch (error) {
    current = null;
    const { reason, details } = refusal(error);
    return warningResponse(self.navigator.languages, reason, details);
  }
  const path = url.pathname in current.manifest.files && url.pathname !== current.manifest.serviceWorker ? url.pathname : current.manifest.entry;
  return serve(current.manifest, path, current.bytes.get(path)!);
}

async function subresource(url: URL, pin: Pin): Promise<Response> {
  if (pin.alert) return blocked();
  try {
    // Usually the release verified for the page; after the worker was stopped, the file alone.
    const verified = current ?? { manifest: await signedManifest(pin), bytes: new Map<string, ArrayBuffer>() };
    const entry = verified.manifest.files[url.pathname];
    if (!entry || url.pathname === verified.manifest.serviceWorker) return blocked();
    const body = verified.bytes.get(url.pathname) ?? (await fetchFile(url.pathname, entry));
    return serve(verified.manifest, url.pathname, body);
  } catch {
    // The page was checked but a file now differs: load the page again, which shows the warning.
    for (const client of await self.clients.matchAll({ type: 'window' })) void client.navigate(client.url).catch(() => undefined);
    return blocked();
  }
}

const PASS_THROUGH = /^\/(api\/|\.well-known\/|healthz|readyz|metrics)/;

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || PASS_THROUGH.test(url.pathname)) return;
  event.respondWith(
    (async () => {
      const pin = await readPin();
      if (!pin) return fetch(event.request);
      return event.request.mode === 'navigate' ? navigate(url, pin) : subresource(url, pin);
    })(),
  );
});

/** Checks a service worker script against the signed release; a difference is remembered and shown. */
async function checkWorkerScript(scriptUrl: string, pin: Pin): Promise<void> {
  let reason: { reason: WarningReason; details: string[] } | null = null;
  try {
    const manifest = await fetchSignedManifest(pin.keys, pin.version);
    const path = new URL(scriptUrl).pathname;
    const response = await fetch(scriptUrl, { cache: 'no-store' });
    const actual = await sha256Hex(await response.arrayBuffer());
    if (manifest.files[path]?.sha256 !== actual) reason = { reason: 'serviceWorker', details: [path] };
  } catch (error) {
    reason = error instanceof ManifestError && error.problem === 'unavailable' ? null : { reason: 'serviceWorker', details: [new URL(scriptUrl).pathname] };
  }
  const latest = (await readPin()) ?? pin;
  if (reason) await writePin({ ...latest, alert: reason });
  else if (latest.alert?.reason === 'serviceWorker') await writePin({ ...latest, alert: null });
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const pin = await readPin();
      if (!pin) {
        // First visit: pin the keys of a manifest signed by one of its own keys, and only if this
        // very script is the one it lists. Without a signed release nothing is pinned, and the
        // worker stays out of the way (development builds).
        const manifest = await fetchSignedManifest(null, null);
        const own = await sha256Hex(await (await fetch(self.location.href, { cache: 'no-store' })).arrayBuffer());
        if (manifest.files[manifest.serviceWorker]?.sha256 !== own) throw new Error('this service worker is not the one the signed release lists');
        await writePin({ keys: manifest.releaseKeys, version: manifest.version, alert: null });
      } else {
        // An update: this script judges itself against the pinned keys (a hostile replacement would
        // not, which is why the worker it replaces judges it too, below).
        await checkWorkerScript(self.location.href, pin);
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// The worker in charge sees its replacement arrive before it takes over, and records whether the
// new script is the signed one; the next page load then warns.
self.registration.addEventListener('updatefound', () => {
  const next = self.registration.installing;
  if (!next) return;
  void readPin().then((pin) => (pin ? checkWorkerScript(next.scriptURL, pin) : undefined));
});
