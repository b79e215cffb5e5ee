// The release manifest (docs/release.md): what a Sauti deployment must serve for its web app.
// Node-only helpers; the service worker reads the same format with Web Crypto.

export const MANIFEST_FORMAT = 'sauti-release-manifest/1';
export const SIGNATURE_FORMAT = 'sauti-release-signature/1';
/** Where a deployment publishes its manifest and signature (relative to the site's root). */
export const MANIFEST_PATH = '/.well-known/sauti/manifest.json';
export const SIGNATURE_PATH = '/.well-known/sauti/manifest.json.sig';
export const WEBCAT_MANIFEST_PATH = '/.well-known/sauti/webcat-manifest.json';
/** Files under this prefix are the release's own metadata, never part of what it lists. */
export const RELEASE_DIR = '.well-known/sauti';

export type FileEntry = { sha256: string; size: number };

export type ReleaseManifest = {
  format: typeof MANIFEST_FORMAT;
  app: 'sauti-web';
  version: string;
  commit: string;
  /** The document every navigation resolves to (the single-page app's shell). */
  entry: string;
  serviceWorker: string;
  /** URL path ("/assets/x.js") → SHA-256 (hex) and size of every file served for the web app. */
  files: Record<string, FileEntry>;
  /** Security headers (lower-case names) every web response carries, exactly. */
  headers: Record<string, string>;
  /** Keys that may sign this release and the next one (base64 raw Ed25519): how keys rotate. */
  releaseKeys: string[];
};

export type SignatureDocument = {
  format: typeof SIGNATURE_FORMAT;
  signatures: { keyId: string; signature: string }[];
};

/** JSON with keys sorted at every level and no insignificant whitespace: one byte string per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** The bytes published as manifest.json and signed: canonical JSON and a newline. */
export function manifestBytes(manifest: ReleaseManifest): Buffer {
  return Buffer.from(`${canonicalJson(manifest)}\n`, 'utf8');
}

const HEX64 = /^[0-9a-f]{64}$/;
const B64_KEY = /^[A-Za-z0-9+/]{43}=$/;

/** Parses and checks the shape of a manifest; throws an Error saying which field is wrong. */
export function parseManifest(bytes: Uint8Array): ReleaseManifest {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new Error('the manifest is not JSON');
  }
  const m = value as Partial<ReleaseManifest>;
  const problem = (field: string) => new Error(`the manifest's field "${field}" is missing or malformed`);
  if (!m || typeof m !== 'object') throw problem('(root)');
  if (m.format !== MANIFEST_FORMAT) throw problem('format');
  if (typeof m.version !== 'string') throw problem('version');
  if (typeof m.commit !== 'string') throw problem('commit');
  if (typeof m.entry !== 'string' || typeof m.serviceWorker !== 'string') throw problem('entry');
  if (!m.files || typeof m.files !== 'object') throw problem('files');
  for (const [p, f] of Object.entries(m.files)) {
    if (!p.startsWith('/') || !f || !HEX64.test(f.sha256) || !Number.isInteger(f.size)) throw problem(`files["${p}"]`);
  }
  if (!(m.entry in m.files)) throw problem('entry');
  if (!m.headers || typeof m.headers !== 'object' || Object.values(m.headers).some((v) => typeof v !== 'string')) throw problem('headers');
  if (!Array.isArray(m.releaseKeys) || m.releaseKeys.length === 0 || m.releaseKeys.some((k) => typeof k !== 'string' || !B64_KEY.test(k))) {
    throw problem('releaseKeys');
  }
  return m as ReleaseManifest;
}

export function parseSignatureDocument(bytes: Uint8Array): SignatureDocument {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new Error('the signature file is not JSON');
  }
  const s = value as Partial<SignatureDocument>;
  if (!s || s.format !== SIGNATURE_FORMAT || !Array.isArray(s.signatures)) throw new Error('the signature file is malformed');
  for (const entry of s.signatures) {
    if (!entry || typeof entry.keyId !== 'string' || typeof entry.signature !== 'string') throw new Error('the signature file is malformed');
  }
  return s as SignatureDocument;
}
