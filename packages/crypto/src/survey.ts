// SIP/1 §10: survey tokens (RFC 9474 blind RSA, RSABSSA-SHA384-PSS-Randomized) and sealed
// survey responses. Blind RSA runs on Web Crypto (globalThis.crypto.subtle) through
// @cloudflare/blindrsa-ts (ADR 0010); sealing reuses §0 exactly as reports do.
import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { aeadEncrypt, aeadOpen, openSealed, seal } from './aead';
import { CryptoError } from './errors';
import { bytesEqual, concatBytes, expectLength, utf8 } from './encoding';
import { jsonBytes, parseJsonBytes } from './json';
import { SIZES, type KeyPair } from './primitives';
import { memzero, randomBuf } from './sodium';

export const SURVEY_TOKEN_SUITE = 'RSABSSA-SHA384-PSS-Randomized';
/** Modulus of an iteration's key pair (RFC 9474 §5 requires at least 2048). */
export const SURVEY_KEY_BITS = 2048;
/** The token's own random part; the prefix that `prepare` adds is another 32. */
export const SURVEY_TOKEN_NONCE = 32;
export const SURVEY_PREPARE_PREFIX = 32;

export const surveyTokenAd = (iterationId: string): string => `sip1/survey/token/${iterationId}/`;
export const surveyResponseAd = (iterationId: string, responseId: string): string => `sip1/survey/response/${iterationId}/${responseId}`;

const suite = () => RSABSSA.SHA384.PSS.Randomized();
const PSS = { name: 'RSA-PSS', hash: 'SHA-384' } as const;

function subtle(): SubtleCrypto {
  const s = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!s) throw new CryptoError('not_ready', 'this runtime has no Web Crypto (crypto.subtle); survey tokens need it');
  return s;
}

type SubtleCrypto = {
  importKey: (format: string, data: Uint8Array, alg: unknown, extractable: boolean, usages: string[]) => Promise<unknown>;
  exportKey: (format: string, key: unknown) => Promise<ArrayBuffer>;
};
// The library's types name Web Crypto's CryptoKey; we only pass keys through.
type Key = Parameters<ReturnType<typeof suite>['blind']>[0];

// A server verifies many tokens under one iteration key: import each key once.
const publicKeys = new Map<string, Promise<Key>>();

async function importPublic(spki: Uint8Array): Promise<Key> {
  const id = Array.from(spki, (b) => b.toString(16).padStart(2, '0')).join('');
  const known = publicKeys.get(id);
  if (known) return known;
  try {
    const key = subtle().importKey('spki', spki, PSS, true, ['verify']) as Promise<Key>;
    await key;
    if (publicKeys.size > 64) publicKeys.clear();
    publicKeys.set(id, key);
    return key;
  } catch {
    throw new CryptoError('bad_encoding', 'survey public key is not an RSA-PSS SubjectPublicKeyInfo');
  }
}

async function importPrivate(pkcs8: Uint8Array): Promise<Key> {
  try {
    return (await subtle().importKey('pkcs8', pkcs8, PSS, true, ['sign'])) as Key;
  } catch {
    throw new CryptoError('bad_encoding', 'survey private key is not an RSA-PSS PKCS#8 key');
  }
}

/** A fresh key pair for one iteration: SPKI and PKCS#8 DER bytes. Server side. */
export async function generateSurveyKeyPair(bits = SURVEY_KEY_BITS): Promise<{ publicKey: Uint8Array; privateKey: Uint8Array }> {
  const kp = await RSABSSA.SHA384.generateKey({ modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]) });
  const publicKey = new Uint8Array(await subtle().exportKey('spki', kp.publicKey));
  const privateKey = new Uint8Array(await subtle().exportKey('pkcs8', kp.privateKey));
  return { publicKey, privateKey };
}

/** msg of §10.2: the iteration's label, then 32 random bytes. */
export function surveyTokenMessage(iterationId: string, nonce?: Uint8Array): Uint8Array {
  const n = nonce ?? randomBuf(SURVEY_TOKEN_NONCE);
  expectLength(n, SURVEY_TOKEN_NONCE, 'token nonce');
  return concatBytes(utf8(surveyTokenAd(iterationId)), n);
}

export type BlindedToken = {
  /** The prepared message: kept by the browser, sent only with the response. */
  token: Uint8Array;
  blindedMessage: Uint8Array;
  /** The unblinding state; never leaves the browser. */
  inv: Uint8Array;
};

/** §10.2 in the browser: draw a token for the iteration, prepare it (random prefix) and blind it. */
export async function blindSurveyToken(publicKey: Uint8Array, iterationId: string): Promise<BlindedToken> {
  const key = await importPublic(publicKey);
  const token = suite().prepare(surveyTokenMessage(iterationId));
  const { blindedMsg, inv } = await suite().blind(key, token);
  return { token, blindedMessage: blindedMsg, inv };
}

/** §10.2 on the server: RSA-sign the blinded message. The server learns nothing of the token. */
export async function blindSignSurveyToken(privateKey: Uint8Array, blindedMessage: Uint8Array): Promise<Uint8Array> {
  const key = await importPrivate(privateKey);
  try {
    return await suite().blindSign(key, blindedMessage);
  } catch (e) {
    throw new CryptoError('bad_length', `blinded message refused: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** §10.2 in the browser: unblind; throws decrypt_failed unless the result verifies. */
export async function finalizeSurveyToken(publicKey: Uint8Array, token: Uint8Array, blindSignature: Uint8Array, inv: Uint8Array): Promise<Uint8Array> {
  const key = await importPublic(publicKey);
  try {
    return await suite().finalize(key, token, blindSignature, inv);
  } catch (e) {
    throw new CryptoError('decrypt_failed', `the blind signature did not unblind to a valid signature (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** What the server checks at submission (§10.3): the token's layout names this iteration, and the signature verifies. */
export async function verifySurveyToken(publicKey: Uint8Array, iterationId: string, token: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const label = utf8(surveyTokenAd(iterationId));
  if (!(token instanceof Uint8Array) || token.length !== SURVEY_PREPARE_PREFIX + label.length + SURVEY_TOKEN_NONCE) return false;
  if (!bytesEqual(token.subarray(SURVEY_PREPARE_PREFIX, SURVEY_PREPARE_PREFIX + label.length), label)) return false;
  const key = await importPublic(publicKey);
  try {
    return await suite().verify(key, signature, token);
  } catch {
    return false;
  }
}

export type SurveyAnalyst = { id: string; publicKey: Uint8Array };
export type SurveyKeyWrap = { analystId: string; sealedKey: Uint8Array };
export type SealedSurveyResponse = { ciphertext: Uint8Array; keyWraps: SurveyKeyWrap[] };

/**
 * §10.4 in the respondent's browser, like a report (§4): a fresh responseKey encrypts the
 * body and is sealed to each analyst of the iteration. `fixed` is for test vectors only.
 */
export function sealSurveyResponse(input: {
  iterationId: string;
  responseId: string;
  body: unknown;
  analysts: SurveyAnalyst[];
  fixed?: { responseKey?: Uint8Array; nonce?: Uint8Array };
}): SealedSurveyResponse {
  if (input.analysts.length === 0) throw new CryptoError('bad_length', 'the iteration names no analyst to seal the response to');
  const responseKey = input.fixed?.responseKey ? input.fixed.responseKey.slice() : randomBuf(SIZES.key);
  expectLength(responseKey, SIZES.key, 'response key');
  const ciphertext = aeadEncrypt(responseKey, jsonBytes(input.body, 'survey response'), surveyResponseAd(input.iterationId, input.responseId), input.fixed?.nonce);
  const keyWraps = input.analysts.map((a) => ({ analystId: a.id, sealedKey: seal(a.publicKey, responseKey) }));
  memzero(responseKey);
  return { ciphertext, keyWraps };
}

/** §10.4 in the analyst's browser (crypto worker). */
export function openSurveyResponse<T = unknown>(keyPair: KeyPair, input: { iterationId: string; responseId: string; ciphertext: Uint8Array; sealedKey: Uint8Array }): T {
  expectLength(input.sealedKey, SIZES.sealedKey, 'response key wrap');
  const responseKey = openSealed(keyPair, input.sealedKey, 'response key wrap');
  if (responseKey.length !== SIZES.key) throw new CryptoError('decrypt_failed', 'response key wrap does not hold a 32-byte key');
  try {
    const plain = aeadOpen(responseKey, input.ciphertext, surveyResponseAd(input.iterationId, input.responseId), 'survey response could not be decrypted: wrong key, or it was altered or belongs to another response');
    return parseJsonBytes(plain, 'survey response') as T;
  } finally {
    memzero(responseKey);
  }
}
