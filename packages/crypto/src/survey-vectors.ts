// Checks survey-vectors.json (docs/protocol.md §10.6) with the public API only, in Node and in
// the browser's crypto worker alike. Async because blind RSA runs on Web Crypto.
import { CryptoError } from './errors';
import { fromB64, fromHex, toHex } from './encoding';
import { keyPairFromSeed } from './primitives';
import { ready } from './sodium';
import {
  blindSignSurveyToken,
  finalizeSurveyToken,
  openSurveyResponse,
  sealSurveyResponse,
  surveyResponseAd,
  surveyTokenMessage,
  verifySurveyToken,
} from './survey';
import type { VectorsResult } from './vectors-runner';

type Obj = Record<string, unknown>;

function str(o: Obj, k: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw new Error(`field ${k}: expected a string`);
  return v;
}
function obj(o: Obj, k: string): Obj {
  const v = o[k];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`field ${k}: expected an object`);
  return v as Obj;
}
const hex = (o: Obj, k: string): Uint8Array => fromHex(str(o, k));
const b64 = (o: Obj, k: string): Uint8Array => fromB64(str(o, k));
function eq(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

async function throwsCode(fn: () => unknown, code: string, what: string): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof CryptoError && e.code === code) return;
    throw new Error(`${what}: expected CryptoError(${code}), got ${e instanceof CryptoError ? e.code : String(e)}`);
  }
  throw new Error(`${what}: expected CryptoError(${code}), but it succeeded`);
}

type Keys = Map<string, { publicKey: Uint8Array; privateKey: Uint8Array }>;
type Check = (input: Obj, expected: Obj, keys: Keys) => Promise<void>;

function keyOf(keys: Keys, input: Obj) {
  const k = keys.get(str(input, 'key'));
  if (!k) throw new Error(`unknown key ${String(input.key)}`);
  return k;
}

export const SURVEY_CHECKS: Record<string, Check> = {
  survey_token_message: async (i, e) => {
    eq(toHex(surveyTokenMessage(str(i, 'iterationId'), hex(i, 'nonce'))), str(e, 'message'), 'message');
  },
  survey_blind_sign: async (i, e, keys) => {
    const sig = await blindSignSurveyToken(keyOf(keys, i).privateKey, hex(i, 'blindedMessage'));
    eq(toHex(sig), str(e, 'blindSignature'), 'blindSignature');
  },
  survey_finalize: async (i, e, keys) => {
    const k = keyOf(keys, i);
    if (typeof e.error === 'string') {
      await throwsCode(() => finalizeSurveyToken(k.publicKey, hex(i, 'token'), hex(i, 'blindSignature'), hex(i, 'inv')), e.error, 'finalize');
      return;
    }
    eq(toHex(await finalizeSurveyToken(k.publicKey, hex(i, 'token'), hex(i, 'blindSignature'), hex(i, 'inv'))), str(e, 'signature'), 'signature');
  },
  survey_token_verify: async (i, e, keys) => {
    const ok = await verifySurveyToken(keyOf(keys, i).publicKey, str(i, 'iterationId'), hex(i, 'token'), hex(i, 'signature'));
    eq(ok, e.valid, 'valid');
  },
  survey_response: async (i, e) => {
    const sealed = sealSurveyResponse({
      iterationId: str(i, 'iterationId'),
      responseId: str(i, 'responseId'),
      body: i.body,
      // The wrap is random by design (a sealed box); the vector fixes the ciphertext only.
      analysts: [{ id: 'vector', publicKey: keyPairFromSeed(new Uint8Array(32)).publicKey }],
      fixed: { responseKey: hex(i, 'responseKey'), nonce: hex(i, 'nonce') },
    });
    eq(surveyResponseAd(str(i, 'iterationId'), str(i, 'responseId')), str(e, 'ad'), 'ad');
    eq(toHex(sealed.ciphertext), str(e, 'ciphertext'), 'ciphertext');
  },
  survey_response_open: async (i, e) => {
    const kp = keyPairFromSeed(hex(i, 'analystSeed'));
    const run = () =>
      openSurveyResponse(kp, { iterationId: str(i, 'iterationId'), responseId: str(i, 'responseId'), ciphertext: hex(i, 'ciphertext'), sealedKey: hex(i, 'sealedKey') });
    if (typeof e.error === 'string') {
      await throwsCode(run, e.error, 'open');
      return;
    }
    eq(run(), e.body, 'body');
  },
};

/** Runs every vector of survey-vectors.json; no test framework, so the browser runs the same code. */
export async function runSurveyVectors(vectors: unknown): Promise<VectorsResult> {
  await ready();
  const result: VectorsResult = { passed: 0, failed: [] };
  const file = vectors as { keys?: unknown; vectors?: unknown } | null;
  if (!file || !Array.isArray(file.vectors) || typeof file.keys !== 'object' || file.keys === null) {
    result.failed.push({ name: '(file)', error: 'expected an object with "keys" and a "vectors" array' });
    return result;
  }
  const keys: Keys = new Map();
  for (const [name, k] of Object.entries(file.keys as Record<string, Obj>)) {
    keys.set(name, { publicKey: b64(k, 'publicKeyB64'), privateKey: b64(k, 'privateKeyB64') });
  }
  for (const v of file.vectors as Obj[]) {
    const name = typeof v?.name === 'string' ? v.name : '(unnamed)';
    try {
      const check = SURVEY_CHECKS[str(v, 'kind')];
      if (!check) throw new Error(`unknown kind ${String(v.kind)}`);
      await check(obj(v, 'input'), obj(v, 'expected'), keys);
      result.passed++;
    } catch (e) {
      result.failed.push({ name, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  }
  return result;
}
