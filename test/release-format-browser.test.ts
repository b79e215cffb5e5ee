// The service worker's manifest check (Web Crypto) against the same fixed vectors as packages/verify.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compareVersions, fetchSignedManifest, ManifestError } from '../apps/web/src/release/release-format';

type Vectors = { publicKey: string; keyId: string; manifest: string; signature: string };
const V = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'packages', 'verify', 'test-vectors.json'), 'utf8')) as Vectors;

/** What the deployment answers at the two well-known paths (the worker only ever fetches those). */
function serve(manifest: string, signature: string, keyId = V.keyId): void {
  global.fetch = (async (url: string) => {
    const body = url.endsWith('.sig') ? JSON.stringify({ format: 'sauti-release-signature/1', signatures: [{ keyId, signature }] }) : manifest;
    return new Response(body, { status: 200 });
  }) as typeof fetch;
}

const problem = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof ManifestError ? e.problem : String(e)));
const realFetch = global.fetch;
afterAll(() => {
  global.fetch = realFetch;
});

describe("the service worker's manifest check", () => {
  it('when the vector manifest and signature are served, then it is accepted with the pinned key, and on first use with its own keys', async () => {
    serve(V.manifest, V.signature);
    expect((await fetchSignedManifest([V.publicKey], null)).version).toBe('1.2.3');
    expect((await fetchSignedManifest(null, null)).releaseKeys).toEqual([V.publicKey]);
  });

  it('when one byte of the manifest changes, then it is refused as unsigned', async () => {
    serve(V.manifest.replace('1.2.3', '1.2.4'), V.signature);
    expect(await problem(fetchSignedManifest([V.publicKey], null))).toBe('signature');
  });

  it('when the pinned key is another one, then the validly signed manifest is refused', async () => {
    serve(V.manifest, V.signature);
    expect(await problem(fetchSignedManifest(['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='], null))).toBe('signature');
  });

  it('when the manifest is older than the release this browser already ran, then it is refused as a rollback', async () => {
    serve(V.manifest, V.signature);
    expect(await problem(fetchSignedManifest([V.publicKey], '1.10.0'))).toBe('rollback');
    expect(compareVersions('1.10.0', '1.9.3')).toBeGreaterThan(0);
    expect(compareVersions('1.2.3', '1.2.3')).toBe(0);
  });
});
