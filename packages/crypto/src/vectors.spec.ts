import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runVectors } from './index';

const FILE = join(__dirname, '..', 'test-vectors.json');
type Vector = { name: string; kind: string; input: Record<string, unknown>; expected: Record<string, unknown> };
const load = (): { vectors: Vector[] } => JSON.parse(readFileSync(FILE, 'utf8')) as { vectors: Vector[] };

describe('test-vectors.json (docs/protocol.md §8)', () => {
  it('passes every vector, positive and negative, through the same runner the browser uses', async () => {
    const file = load();
    const result = await runVectors(file);
    expect(result.failed).toEqual([]);
    expect(result.passed).toBe(file.vectors.length);
  });

  it('stays small enough to ship and to load in a browser test', () => {
    expect(statSync(FILE).size).toBeLessThan(300 * 1024);
  });

  it('covers every section and the required negative cases', () => {
    const { vectors } = load();
    const kinds = new Set(vectors.map((v) => v.kind));
    for (const k of ['receipt_check_symbol', 'receipt_normalize', 'receipt_keys', 'staff_keys', 'staff_derive', 'staff_rewrap', 'aead', 'report', 'key_wrap_open', 'sealed_key_open', 'message', 'note', 'pow_solve', 'pow_verify', 'file_stream', 'file_stream_reject', 'file_meta']) {
      expect(kinds).toContain(k);
    }
    const names = vectors.map((v) => v.name);
    for (const n of ['aead/reject-wrong-ad', 'aead/reject-wrong-key', 'file-reject/final-chunk-missing', 'file-reject/chunks-swapped', 'file-reject/other-case', 'file-reject/wrong-key', 'receipt/normalize-wrong-check-symbol', 'staff-keys/fullwidth-password']) {
      expect(names).toContain(n);
    }
    expect(new Set(names).size).toBe(names.length);
    expect(vectors.filter((v) => typeof v.expected.error === 'string').length).toBeGreaterThan(40);
  });

  it('reports a vector whose expected output is wrong, by name (the runner is not vacuous)', async () => {
    const { vectors } = load();
    // Cheap kinds only: no argon2id here.
    const pick = (name: string): Vector => structuredClone(vectors.find((v) => v.name === name)!);
    const broken = [
      pick('aead/hello'),
      pick('receipt/check-symbol'),
      pick('receipt/normalize-typo-in-group-2'),
      pick('file-reject/final-chunk-missing'),
      pick('pow/solve-8-bits'),
      pick('message-open/reject-other-message'),
      pick('key-wrap/open'),
    ];
    const fine = pick('file/65537-bytes');
    broken[0]!.expected.ciphertext = String(broken[0]!.expected.ciphertext).replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    broken[1]!.expected.check = broken[1]!.expected.check === 'A' ? 'B' : 'A';
    broken[2]!.expected = { ok: true, receipt: String(broken[2]!.input.input) };
    broken[3]!.expected.error = 'decrypt_failed';
    broken[4]!.expected.nonce = '109';
    broken[5]!.input.messageId = pick('message-open/ok').input.messageId; // now it decrypts, but an error was expected
    broken[6]!.expected.staffKey = broken[6]!.expected.caseKey;
    const result = await runVectors({ vectors: [fine, ...broken] });
    expect(result.passed).toBe(1);
    expect(result.failed.map((f) => f.name)).toEqual(broken.map((b) => b.name));
  });

  it('reports a malformed file and unknown kinds instead of throwing', async () => {
    expect((await runVectors(null)).failed[0]!.name).toBe('(file)');
    const r = await runVectors({ vectors: [{ name: 'x', kind: 'nope', input: {}, expected: {} }, 42] });
    expect(r.passed).toBe(0);
    expect(r.failed.map((f) => f.name)).toEqual(['x', '(unnamed)']);
  });
});
