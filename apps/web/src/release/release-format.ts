// The release manifest as the browser reads it (the normative format is in docs/release.md and
// packages/verify): checked with Web Crypto only, so the service worker carries no library.

export const MANIFEST_URL = '/.well-known/sauti/manifest.json';
export const SIGNATURE_URL = '/.well-known/sauti/manifest.json.sig';
const SIGNING_CONTEXT = new TextEncoder().encode('sauti-release-manifest/1\n');

export type ReleaseManifest = {
  format: 'sauti-release-manifest/1';
  version: string;
  commit: string;
  entry: string;
  serviceWorker: string;
  files: Record<string, { sha256: string; size: number }>;
  headers: Record<string, string>;
  releaseKeys: string[];
};

type SignatureDocument = { format: string; signatures: { keyId: string; signature: string }[] };

/** Never from the HTTP cache: each check sees what the server serves now. (Typed loosely so that Node's fetch types accept it in tests.) */
export const NO_STORE = { cache: 'no-store' } as Record<string, string> as RequestInit;

const fromB64 = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const hex = (b: ArrayBuffer): string => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

export async function sha256Hex(bytes: ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', bytes));
}

export async function keyIdOf(publicKeyB64: string): Promise<string> {
  return (await sha256Hex(fromB64(publicKeyB64))).slice(0, 16);
}

/** Why a manifest was refused; each has its own sentence on the warning page. */
export type ManifestProblem = 'unavailable' | 'malformed' | 'signature' | 'rollback';
export class ManifestError extends Error {
  constructor(readonly problem: ManifestProblem) {
    super(problem);
  }
}

function parse(bytes: Uint8Array<ArrayBuffer>): ReleaseManifest {
  const m = JSON.parse(new TextDecoder().decode(bytes)) as ReleaseManifest;
  if (m?.format !== 'sauti-release-manifest/1' || typeof m.files !== 'object' || !m.files[m.entry] || !Array.isArray(m.releaseKeys)) throw new ManifestError('malformed');
  return m;
}

/** 1.10.0 > 1.9.3: numeric parts compared in order. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Fetches the manifest and its signature and accepts the manifest only if a trusted key signed it.
 * trustedKeys null is the first visit: the manifest's own releaseKeys are trusted (trust on first use).
 */
export async function fetchSignedManifest(trustedKeys: readonly string[] | null, minVersion: string | null): Promise<ReleaseManifest> {
  let manifestBytes: Uint8Array<ArrayBuffer>;
  let sigDoc: SignatureDocument;
  try {
    const [m, s] = await Promise.all([fetch(MANIFEST_URL, NO_STORE), fetch(SIGNATURE_URL, NO_STORE)]);
    if (!m.ok || !s.ok) throw new ManifestError('unavailable');
    manifestBytes = new Uint8Array(await m.arrayBuffer());
    sigDoc = (await s.json()) as SignatureDocument;
  } catch (error) {
    throw error instanceof ManifestError ? error : new ManifestError('unavailable');
  }
  let manifest: ReleaseManifest;
  try {
    manifest = parse(manifestBytes);
  } catch {
    throw new ManifestError('malformed');
  }
  const keys = trustedKeys ?? manifest.releaseKeys;
  const message = new Uint8Array(SIGNING_CONTEXT.length + manifestBytes.length);
  message.set(SIGNING_CONTEXT);
  message.set(manifestBytes, SIGNING_CONTEXT.length);
  let valid = false;
  for (const publicKey of keys) {
    const keyId = await keyIdOf(publicKey);
    for (const s of sigDoc.signatures ?? []) {
      if (s.keyId !== keyId) continue;
      try {
        const key = await crypto.subtle.importKey('raw', fromB64(publicKey), { name: 'Ed25519' }, false, ['verify']);
        if (await crypto.subtle.verify({ name: 'Ed25519' }, key, fromB64(s.signature), message)) valid = true;
      } catch {
        // A malformed key or signature is simply not a valid signature.
      }
    }
  }
  if (!valid) throw new ManifestError('signature');
  if (minVersion && compareVersions(manifest.version, minVersion) < 0) throw new ManifestError('rollback');
  return manifest;
}
