import { readFileSync } from 'node:fs';
import path from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { canonicalJson, manifestBytes, parseManifest, SIGNATURE_FORMAT, type ReleaseManifest, type SignatureDocument } from './manifest';
import { generateReleaseKey, keyIdOf, publicKeyFromPrivate, SIGNING_CONTEXT, signManifest, validSigners } from './signing';

type Vectors = { signingContext: string; privateKeySeed: string; publicKey: string; keyId: string; manifest: string; signature: string };
const V = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'test-vectors.json'), 'utf8')) as Vectors;
const manifest = Buffer.from(V.manifest, 'utf8');
const doc = (signature: string, keyId = V.keyId): SignatureDocument => ({ format: SIGNATURE_FORMAT, signatures: [{ keyId, signature }] });

describe('release manifest signature (fixed vectors)', () => {
  beforeAll(async () => {
    await sodium.ready;
  });

  it('when the RFC 8032 test-1 seed is loaded, then its public key and key id are the published ones', () => {
    expect(SIGNING_CONTEXT).toBe(V.signingContext);
    expect(publicKeyFromPrivate(V.privateKeySeed)).toBe(V.publicKey);
    expect(Buffer.from(V.publicKey, 'base64').toString('hex')).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(keyIdOf(V.publicKey)).toBe(V.keyId);
  });

  it('when the vector manifest is signed, then the signature is the fixed one, and libsodium (another implementation) accepts it', () => {
    expect(signManifest(manifest, V.privateKeySeed)).toEqual({ keyId: V.keyId, signature: V.signature });
    const message = Buffer.concat([Buffer.from(V.signingContext, 'utf8'), manifest]);
    expect(sodium.crypto_sign_verify_detached(Buffer.from(V.signature, 'base64'), message, Buffer.from(V.publicKey, 'base64'))).toBe(true);
  });

  it('when the vector manifest is parsed and re-serialised canonically, then the bytes are the same', () => {
    const parsed = parseManifest(manifest);
    expect(parsed.version).toBe('1.2.3');
    expect(Buffer.from(`${canonicalJson(parsed)}\n`)).toEqual(manifest);
    expect(manifestBytes(parsed as ReleaseManifest)).toEqual(manifest);
  });

  it('when the signature is checked against the pinned key, then that key is the valid signer', () => {
    expect(validSigners(manifest, doc(V.signature), [V.publicKey])).toEqual([V.keyId]);
  });

  it('when one byte of the manifest changes, then the signature no longer verifies', () => {
    const changed = Buffer.from(manifest);
    changed[changed.indexOf('1.2.3')] = '9'.charCodeAt(0);
    expect(validSigners(changed, doc(V.signature), [V.publicKey])).toEqual([]);
  });

  it('when the signature is bent, or made without the context string, then it is refused', () => {
    const bent = Buffer.from(V.signature, 'base64');
    bent[0]! ^= 1;
    expect(validSigners(manifest, doc(bent.toString('base64')), [V.publicKey])).toEqual([]);
    const noContext = Buffer.from(sodium.crypto_sign_detached(manifest, sodium.crypto_sign_seed_keypair(Buffer.from(V.privateKeySeed, 'base64')).privateKey));
    expect(validSigners(manifest, doc(noContext.toString('base64')), [V.publicKey])).toEqual([]);
  });

  it('when the manifest is signed by a key that is not pinned, then no signer is valid, even under the pinned key id', () => {
    const other = generateReleaseKey();
    const signed = signManifest(manifest, other.privateKey);
    expect(validSigners(manifest, doc(signed.signature, signed.keyId), [V.publicKey])).toEqual([]);
    expect(validSigners(manifest, doc(signed.signature, V.keyId), [V.publicKey])).toEqual([]);
    expect(validSigners(manifest, doc(signed.signature, signed.keyId), [other.publicKey])).toEqual([signed.keyId]);
  });

  it('when a manifest lacks a field or names an unknown entry, then parsing says which field', () => {
    const broken = JSON.parse(V.manifest) as Record<string, unknown>;
    delete broken.releaseKeys;
    expect(() => parseManifest(Buffer.from(JSON.stringify(broken)))).toThrow('"releaseKeys"');
    expect(() => parseManifest(Buffer.from(V.manifest.replace('"entry":"/index.html"', '"entry":"/nope.html"')))).toThrow('"entry"');
  });
});
