// (Re)generates packages/crypto/survey-vectors.json (docs/protocol.md §10.6).
//   npx tsx packages/crypto/scripts/make-survey-vectors.ts [--fresh]
// The RSA key, the token's random parts and the blinding are random by design; they are kept
// from the existing file unless --fresh is given. Every output derived from them (blind
// signature, signature, ciphertext) is deterministic and checked by runSurveyVectors.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  blindSignSurveyToken,
  blindSurveyToken,
  finalizeSurveyToken,
  fromB64,
  hash,
  keyPairFromSeed,
  ready,
  runSurveyVectors,
  sealSurveyResponse,
  surveyResponseAd,
  surveyTokenMessage,
  toB64,
  toHex,
  utf8,
  generateSurveyKeyPair,
  openSurveyResponse,
} from '../src';

const FILE = resolve(__dirname, '..', 'survey-vectors.json');
const fresh = process.argv.includes('--fresh');
const seed = (label: string) => hash(utf8(`sip1 survey vectors: ${label}`));
const ITERATION = '6f1c2b8e-3d4a-4b5c-9e7f-0a1b2c3d4e5f';
const OTHER_ITERATION = '0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70';
const RESPONSE = '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d';

type Stored = { keys: Record<string, { publicKeyB64: string; privateKeyB64: string }>; random?: { token: string; blindedMessage: string; inv: string; sealedKey: string } };

async function main(): Promise<void> {
  await ready();
  const old: Stored | null = !fresh && existsSync(FILE) ? (JSON.parse(readFileSync(FILE, 'utf8')) as Stored) : null;
  let keys = old?.keys;
  if (!keys?.iteration || !keys?.other) {
    const a = await generateSurveyKeyPair();
    const b = await generateSurveyKeyPair();
    keys = {
      iteration: { publicKeyB64: toB64(a.publicKey), privateKeyB64: toB64(a.privateKey) },
      other: { publicKeyB64: toB64(b.publicKey), privateKeyB64: toB64(b.privateKey) },
    };
  }
  const pk = fromB64(keys.iteration!.publicKeyB64);
  const sk = fromB64(keys.iteration!.privateKeyB64);
  let random = old?.random;
  if (!random) {
    const blinded = await blindSurveyToken(pk, ITERATION);
    random = { token: toHex(blinded.token), blindedMessage: toHex(blinded.blindedMessage), inv: toHex(blinded.inv), sealedKey: '' };
  }
  const token = Uint8Array.from(Buffer.from(random.token, 'hex'));
  const blindedMessage = Uint8Array.from(Buffer.from(random.blindedMessage, 'hex'));
  const inv = Uint8Array.from(Buffer.from(random.inv, 'hex'));
  const blindSignature = await blindSignSurveyToken(sk, blindedMessage);
  const signature = await finalizeSurveyToken(pk, token, blindSignature, inv);
  const flipped = signature.slice();
  flipped[flipped.length - 1]! ^= 1;
  const otherToken = token.slice();
  otherToken[otherToken.length - 1]! ^= 1;

  const analyst = keyPairFromSeed(seed('analyst'));
  const responseKey = seed('response key');
  const nonce = seed('response nonce').slice(0, 24);
  const body = { v: 1, group: 'officials', language: 'sw', answers: [{ q: 'leadership-1', a: 4 }, { q: 'channels', a: ['hotline', 'sauti'] }, { q: 'comment', a: 'Habari' }] };
  const sealed = sealSurveyResponse({ iterationId: ITERATION, responseId: RESPONSE, body, analysts: [{ id: 'a', publicKey: analyst.publicKey }], fixed: { responseKey, nonce } });
  let sealedKey = random.sealedKey;
  try {
    if (!sealedKey) throw new Error('none');
    openSurveyResponse(analyst, { iterationId: ITERATION, responseId: RESPONSE, ciphertext: sealed.ciphertext, sealedKey: Uint8Array.from(Buffer.from(sealedKey, 'hex')) });
  } catch {
    sealedKey = toHex(sealed.keyWraps[0]!.sealedKey);
  }
  random.sealedKey = sealedKey;
  const openInput = { analystSeed: toHex(seed('analyst')), iterationId: ITERATION, responseId: RESPONSE, ciphertext: toHex(sealed.ciphertext), sealedKey };

  const vectors = [
    { name: 'survey-token/message', section: '10.2', kind: 'survey_token_message', input: { iterationId: ITERATION, nonce: toHex(seed('nonce')) }, expected: { message: toHex(surveyTokenMessage(ITERATION, seed('nonce'))) } },
    { name: 'survey-token/blind-sign', section: '10.2', kind: 'survey_blind_sign', input: { key: 'iteration', blindedMessage: random.blindedMessage }, expected: { blindSignature: toHex(blindSignature) } },
    { name: 'survey-token/finalize', section: '10.2', kind: 'survey_finalize', input: { key: 'iteration', token: random.token, blindSignature: toHex(blindSignature), inv: random.inv }, expected: { signature: toHex(signature) } },
    { name: 'survey-token/finalize-reject-other-key', section: '10.2', kind: 'survey_finalize', input: { key: 'other', token: random.token, blindSignature: toHex(blindSignature), inv: random.inv }, expected: { error: 'decrypt_failed' } },
    { name: 'survey-token/verify', section: '10.3', kind: 'survey_token_verify', input: { key: 'iteration', iterationId: ITERATION, token: random.token, signature: toHex(signature) }, expected: { valid: true } },
    { name: 'survey-token/reject-other-iteration', section: '10.3', kind: 'survey_token_verify', input: { key: 'iteration', iterationId: OTHER_ITERATION, token: random.token, signature: toHex(signature) }, expected: { valid: false } },
    { name: 'survey-token/reject-other-key', section: '10.3', kind: 'survey_token_verify', input: { key: 'other', iterationId: ITERATION, token: random.token, signature: toHex(signature) }, expected: { valid: false } },
    { name: 'survey-token/reject-forged-signature', section: '10.3', kind: 'survey_token_verify', input: { key: 'iteration', iterationId: ITERATION, token: random.token, signature: toHex(flipped) }, expected: { valid: false } },
    { name: 'survey-token/reject-altered-token', section: '10.3', kind: 'survey_token_verify', input: { key: 'iteration', iterationId: ITERATION, token: toHex(otherToken), signature: toHex(signature) }, expected: { valid: false } },
    { name: 'survey-token/reject-unsigned-message', section: '10.3', kind: 'survey_token_verify', input: { key: 'iteration', iterationId: ITERATION, token: toHex(surveyTokenMessage(ITERATION, seed('nonce'))), signature: toHex(signature) }, expected: { valid: false } },
    { name: 'survey-response/seal', section: '10.4', kind: 'survey_response', input: { iterationId: ITERATION, responseId: RESPONSE, body, responseKey: toHex(responseKey), nonce: toHex(nonce) }, expected: { ad: surveyResponseAd(ITERATION, RESPONSE), ciphertext: toHex(sealed.ciphertext) } },
    { name: 'survey-response/open', section: '10.4', kind: 'survey_response_open', input: openInput, expected: { body } },
    { name: 'survey-response/reject-other-response', section: '10.4', kind: 'survey_response_open', input: { ...openInput, responseId: '3a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d' }, expected: { error: 'decrypt_failed' } },
    { name: 'survey-response/reject-other-iteration', section: '10.4', kind: 'survey_response_open', input: { ...openInput, iterationId: OTHER_ITERATION }, expected: { error: 'decrypt_failed' } },
    { name: 'survey-response/reject-other-analyst', section: '10.4', kind: 'survey_response_open', input: { ...openInput, analystSeed: toHex(seed('someone else')) }, expected: { error: 'decrypt_failed' } },
  ];
  const file = {
    protocol: 'SIP/1',
    section: '10',
    description: 'Test vectors for docs/protocol.md §10 (surveys). Regenerate with: npx tsx packages/crypto/scripts/make-survey-vectors.ts',
    suite: 'RSABSSA-SHA384-PSS-Randomized (RFC 9474), 2048-bit keys as DER: SPKI public, PKCS#8 private, base64url',
    conventions: { bytes: 'lowercase hex, except fields ending in B64', random: 'the keys, the token, the blinding (inv) and sealed boxes are random by design; they were produced once and are fixed here' },
    keys,
    random,
    vectors,
  };
  const result = await runSurveyVectors(file);
  if (result.failed.length > 0) throw new Error(`generated vectors fail: ${JSON.stringify(result.failed)}`);
  writeFileSync(FILE, `${JSON.stringify(file, null, 1)}\n`);
  process.stdout.write(`wrote ${vectors.length} survey vectors to ${FILE}\n`);
}

void main();
