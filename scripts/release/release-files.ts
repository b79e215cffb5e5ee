// The release steps as functions (the npm scripts are thin wrappers; tests call these directly).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  addSignature,
  listServedFiles,
  loadPinnedKeys,
  manifestBytes,
  MANIFEST_FORMAT,
  MANIFEST_PATH,
  parseManifest,
  parseSignatureDocument,
  publicKeyFromPrivate,
  signManifest,
  SIGNATURE_PATH,
  WEBCAT_MANIFEST_PATH,
  type ReleaseManifest,
} from '../../packages/verify/src';
import { releasedHeaders } from '../../apps/api/src/http/release';

export const ROOT = path.resolve(__dirname, '..', '..');
export const DEFAULT_WEB_DIR = path.join(ROOT, 'apps', 'web', 'dist');
const at = (webDir: string, urlPath: string) => path.join(webDir, ...urlPath.split('/').filter(Boolean));

export function currentCommit(): { commit: string; dirty: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  return { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no').length > 0 };
}

/** WEBCAT's manifest layout (freedomofpress/webcat-spec manifest.md): hashes in base64url, one CSP. */
function webcatManifest(m: ReleaseManifest): object {
  const files = Object.fromEntries(Object.entries(m.files).map(([p, f]) => [p, Buffer.from(f.sha256, 'hex').toString('base64url')]));
  return {
    manifest: {
      app: 'https://sauti.invalid/sauti-web',
      version: m.version,
      default_csp: m.headers['content-security-policy'] ?? '',
      default_index: m.entry,
      default_fallback: m.entry,
      files,
      wasm: [],
      // A Sigsum tree head, added with the signatures by webcat-cli at enrolment (docs/release.md).
      timestamp: '',
    },
    signatures: {},
  };
}

/** Writes the manifest (and the WEBCAT form) for a built web app; any old signature is removed. */
export function writeReleaseManifest(
  webDir: string,
  options: { version: string; commit: string; releaseKeys: string[] },
): { manifest: ReleaseManifest; bytes: Buffer } {
  if (!existsSync(path.join(webDir, 'index.html'))) throw new Error(`${webDir} has no index.html: run npm run build:web first`);
  if (options.releaseKeys.length === 0) throw new Error('no release key is pinned in packages/verify/release-keys.json: run the key ceremony of docs/release.md first (or give --keys)');
  const files = listServedFiles(webDir);
  if (!files['/sw.js']) throw new Error(`${webDir} has no sw.js: the build is incomplete`);
  const manifest: ReleaseManifest = {
    format: MANIFEST_FORMAT,
    app: 'sauti-web',
    version: options.version,
    commit: options.commit,
    entry: '/index.html',
    serviceWorker: '/sw.js',
    files,
    headers: releasedHeaders(),
    releaseKeys: [...options.releaseKeys].sort(),
  };
  const bytes = manifestBytes(manifest);
  mkdirSync(path.dirname(at(webDir, MANIFEST_PATH)), { recursive: true });
  writeFileSync(at(webDir, MANIFEST_PATH), bytes);
  rmSync(at(webDir, SIGNATURE_PATH), { force: true });
  writeFileSync(at(webDir, WEBCAT_MANIFEST_PATH), `${JSON.stringify(webcatManifest(manifest), null, 2)}\n`);
  return { manifest, bytes };
}

/** Adds one release key's signature to the manifest's signature file. */
export function signRelease(webDir: string, privateKey: string): { keyId: string; manifestSha256: string } {
  const file = at(webDir, MANIFEST_PATH);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run release:manifest first`);
  const bytes = readFileSync(file);
  const manifest = parseManifest(bytes);
  const publicKey = publicKeyFromPrivate(privateKey);
  if (!manifest.releaseKeys.includes(publicKey)) {
    throw new Error(`this private key's public key (${publicKey}) is not among the manifest's releaseKeys: wrong key, or the key is not pinned yet`);
  }
  const sigFile = at(webDir, SIGNATURE_PATH);
  const existing = existsSync(sigFile) ? parseSignatureDocument(readFileSync(sigFile)) : null;
  const entry = signManifest(bytes, privateKey);
  writeFileSync(sigFile, `${JSON.stringify(addSignature(existing, entry), null, 2)}\n`);
  return { keyId: entry.keyId, manifestSha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The private key for release:sign: a file holding the base64 seed (or JSON {privateKey}), or an environment variable. */
export function readPrivateKey(options: { keyFile?: string | undefined; env?: string | undefined }): string {
  const raw = options.keyFile ? readFileSync(options.keyFile, 'utf8') : options.env;
  if (!raw) throw new Error('give the release private key: --key-file FILE or SAUTI_RELEASE_KEY');
  const trimmed = raw.trim();
  const value = trimmed.startsWith('{') ? (JSON.parse(trimmed) as { privateKey?: string }).privateKey ?? '' : trimmed;
  if (Buffer.from(value, 'base64').length !== 32) throw new Error('the release private key must be a 32-byte Ed25519 seed in base64');
  return value;
}

export { loadPinnedKeys };
