// The one place libsodium is imported. Everything else goes through these thin
// wrappers, so the set of primitives the protocol depends on is visible here.
import _sodium from 'libsodium-wrappers-sumo';
import { CryptoError } from './errors';

type StreamState = ReturnType<typeof _sodium.crypto_secretstream_xchacha20poly1305_init_pull>;
export type { StreamState };

let loaded = false;
let loading: Promise<void> | null = null;

/** Loads the WebAssembly module. Safe to call any number of times. */
export async function ready(): Promise<void> {
  loading ??= _sodium.ready.then(
    () => {
      loaded = true;
    },
    (e: unknown) => {
      loading = null; // allow a retry, e.g. after a transient fetch failure in a browser
      throw new CryptoError('not_ready', `the crypto library could not be loaded: ${String(e)}`);
    },
  );
  return loading;
}

// libsodium's functions and constants only exist once the module is loaded;
// failing loudly here beats a "not a function" deep inside a call.
function lib(): typeof _sodium {
  if (!loaded) throw new CryptoError('not_ready', 'the crypto library is not loaded yet: await ready() first');
  return _sodium;
}

export const randomBuf = (n: number): Uint8Array => lib().randombytes_buf(n);
export const randomUniform = (upper: number): number => lib().randombytes_uniform(upper);
export const memzero = (b: Uint8Array): void => lib().memzero(b);

export const toBase64Url = (b: Uint8Array): string => lib().to_base64(b, lib().base64_variants.URLSAFE_NO_PADDING);
export const fromBase64Url = (s: string): Uint8Array => lib().from_base64(s, lib().base64_variants.URLSAFE_NO_PADDING);

export const generichash = (len: number, m: Uint8Array): Uint8Array => lib().crypto_generichash(len, m, null);

export const argon2id = (len: number, pw: Uint8Array, salt: Uint8Array, ops: number, mem: number): Uint8Array =>
  lib().crypto_pwhash(len, pw, salt, ops, mem, lib().crypto_pwhash_ALG_ARGON2ID13);

export const kdfDerive = (len: number, id: number, ctx: string, key: Uint8Array): Uint8Array =>
  lib().crypto_kdf_derive_from_key(len, id, ctx, key);

export const boxKeypair = (): { publicKey: Uint8Array; privateKey: Uint8Array } => lib().crypto_box_keypair();
export const boxSeedKeypair = (seed: Uint8Array): { publicKey: Uint8Array; privateKey: Uint8Array } =>
  lib().crypto_box_seed_keypair(seed);
export const scalarmultBase = (sk: Uint8Array): Uint8Array => lib().crypto_scalarmult_base(sk);
export const boxSeal = (m: Uint8Array, pk: Uint8Array): Uint8Array => lib().crypto_box_seal(m, pk);
export const boxSealOpen = (c: Uint8Array, pk: Uint8Array, sk: Uint8Array): Uint8Array =>
  lib().crypto_box_seal_open(c, pk, sk);

export const aeadXEncrypt = (m: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array =>
  lib().crypto_aead_xchacha20poly1305_ietf_encrypt(m, ad, null, nonce, key);
export const aeadXDecrypt = (c: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array =>
  lib().crypto_aead_xchacha20poly1305_ietf_decrypt(null, c, ad, nonce, key);

export const streamKeygen = (): Uint8Array => lib().crypto_secretstream_xchacha20poly1305_keygen();
export const streamTagMessage = (): number => lib().crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
export const streamTagFinal = (): number => lib().crypto_secretstream_xchacha20poly1305_TAG_FINAL;
export const streamInitPush = (key: Uint8Array): { state: StreamState; header: Uint8Array } =>
  lib().crypto_secretstream_xchacha20poly1305_init_push(key);
export const streamPush = (state: StreamState, m: Uint8Array, ad: Uint8Array, tag: number): Uint8Array =>
  lib().crypto_secretstream_xchacha20poly1305_push(state, m, ad, tag);
export const streamInitPull = (header: Uint8Array, key: Uint8Array): StreamState =>
  lib().crypto_secretstream_xchacha20poly1305_init_pull(header, key);
/** Returns null when the chunk does not authenticate; the state is then left unchanged. */
export const streamPull = (state: StreamState, c: Uint8Array, ad: Uint8Array): { message: Uint8Array; tag: number } | null =>
  lib().crypto_secretstream_xchacha20poly1305_pull(state, c, ad) || null;
