import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex } from './encoding';
import { keyPairFromSeed } from './primitives';
import { ready } from './sodium';
import { blindSignSurveyToken, blindSurveyToken, finalizeSurveyToken, generateSurveyKeyPair, openSurveyResponse, sealSurveyResponse, verifySurveyToken } from './survey';
import { runSurveyVectors } from './survey-vectors';

const FILE = join(__dirname, '..', 'survey-vectors.json');
type Vector = { name: string; kind: string; input: Record<string, unknown>; expected: Record<string, unknown> };
type File = { keys: Record<string, unknown>; vectors: Vector[] };
const load = (): File => JSON.parse(readFileSync(FILE, 'utf8')) as File;
const ITERATION = '6f1c2b8e-3d4a-4b5c-9e7f-0a1b2c3d4e5f';

beforeAll(ready);

describe('survey-vectors.json (docs/protocol.md §10.6)', () => {
  it('passes every vector, positive and negative, through the runner the browser uses', async () => {
    const file = load();
    const result = await runSurveyVectors(file);
    expect(result.failed).toEqual([]);
    expect(result.passed).toBe(file.vectors.length);
    expect(file.vectors.filter((v) => v.expected.valid === false || typeof v.expected.error === 'string').length).toBeGreaterThanOrEqual(8);
  });

  it('reports a vector whose expected output is wrong, by name (the runner is not vacuous)', async () => {
    const file = load();
    const pick = (name: string): Vector => structuredClone(file.vectors.find((v) => v.name === name)!);
    const broken = [pick('survey-token/blind-sign'), pick('survey-token/verify'), pick('survey-response/seal'), pick('survey-response/reject-other-analyst')];
    broken[0]!.expected.blindSignature = String(broken[0]!.expected.blindSignature).replace(/^./, (c) => (c === '0' ? '1' : '0'));
    broken[1]!.input.iterationId = '0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70';
    broken[2]!.input.responseId = '0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70';
    broken[3]!.input.analystSeed = pick('survey-response/open').input.analystSeed;
    const result = await runSurveyVectors({ keys: file.keys, vectors: [pick('survey-token/finalize'), ...broken] });
    expect(result.passed).toBe(1);
    expect(result.failed.map((f) => f.name)).toEqual(broken.map((b) => b.name));
  });
});

describe('survey tokens end to end (§10.2–10.3)', () => {
  it('when a browser blinds a token and the server signs it, then the unblinded token verifies for its iteration only', async () => {
    const keys = await generateSurveyKeyPair();
    const blinded = await blindSurveyToken(keys.publicKey, ITERATION);
    // What the server sees at signing is not the token.
    expect(Buffer.from(blinded.blindedMessage).includes(Buffer.from(blinded.token.subarray(32)))).toBe(false);
    const signature = await finalizeSurveyToken(keys.publicKey, blinded.token, await blindSignSurveyToken(keys.privateKey, blinded.blindedMessage), blinded.inv);
    expect(await verifySurveyToken(keys.publicKey, ITERATION, blinded.token, signature)).toBe(true);
    expect(await verifySurveyToken(keys.publicKey, '0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70', blinded.token, signature)).toBe(false);
    const other = await generateSurveyKeyPair();
    expect(await verifySurveyToken(other.publicKey, ITERATION, blinded.token, signature)).toBe(false);
  });

  it('when a response is sealed to two analysts, then each opens it and the ciphertext names its response', () => {
    const a = keyPairFromSeed(fromHex('01'.repeat(32)));
    const b = keyPairFromSeed(fromHex('02'.repeat(32)));
    const body = { v: 1, group: 'private_sector', answers: [] };
    const sealed = sealSurveyResponse({ iterationId: ITERATION, responseId: ITERATION, body, analysts: [{ id: 'a', publicKey: a.publicKey }, { id: 'b', publicKey: b.publicKey }] });
    expect(openSurveyResponse(a, { iterationId: ITERATION, responseId: ITERATION, ciphertext: sealed.ciphertext, sealedKey: sealed.keyWraps[0]!.sealedKey })).toEqual(body);
    expect(openSurveyResponse(b, { iterationId: ITERATION, responseId: ITERATION, ciphertext: sealed.ciphertext, sealedKey: sealed.keyWraps[1]!.sealedKey })).toEqual(body);
    expect(() => sealSurveyResponse({ iterationId: ITERATION, responseId: ITERATION, body, analysts: [] })).toThrow(/no analyst/);
  });
});
