import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  RECEIPT_ALPHABET,
  deriveReceiptKeys,
  formatReceipt,
  fromHex,
  generateReceipt,
  hash,
  lookupFromAuthKey,
  normalizeReceipt,
  randomBytes,
  ready,
  receiptCheckSymbol,
  toHex,
  type ReceiptCheck,
} from './index';
import { codeOf } from './spec-helpers';

beforeAll(ready);

const failed = (r: ReceiptCheck): Extract<ReceiptCheck, { ok: false }> => {
  if (r.ok) throw new Error('expected normalizeReceipt to fail');
  return r;
};
const at = (s: string, i: number, c: string): string => s.slice(0, i) + c + s.slice(i + 1);

describe('receipt (§1)', () => {
  it('generates 20 alphabet symbols whose last one checks the first 19', () => {
    const seen = new Set<string>();
    const symbols = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const r = generateReceipt();
      expect(r).toMatch(/^[0-9A-HJKMNP-TV-Z]{20}$/);
      expect(r[19]).toBe(RECEIPT_ALPHABET[hash(new TextEncoder().encode(r.slice(0, 19)))[0]! >> 3]);
      expect(normalizeReceipt(r)).toEqual({ ok: true, receipt: r });
      seen.add(r);
      for (const c of r.slice(0, 19)) symbols.add(c);
    }
    expect(seen.size).toBe(500);
    expect(symbols.size).toBe(32);
  });

  it('formats as four dash-separated groups of five, and tidies partial input', () => {
    const r = generateReceipt();
    expect(formatReceipt(r)).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(formatReceipt(formatReceipt(r))).toBe(formatReceipt(r));
    expect(formatReceipt('k7q1m9x')).toBe('K7Q1M-9X');
    expect(formatReceipt('')).toBe('');
  });

  it('normalizes case, spaces, dashes and O/I/L look-alikes', () => {
    for (let i = 0; i < 100; i++) {
      const r = generateReceipt();
      const typed = formatReceipt(r).toLowerCase().replace(/0/g, 'o').replace(/1/g, () => (Math.random() < 0.5 ? 'i' : 'L'));
      expect(normalizeReceipt(typed)).toEqual({ ok: true, receipt: r });
      expect(normalizeReceipt(`  ${formatReceipt(r).replace(/-/g, ' - ')}\n`)).toEqual({ ok: true, receipt: r });
    }
  });

  it('catches substitutions in every group (a 5-bit check misses about 1 in 32)', () => {
    const trials = [0, 0, 0, 0];
    const missed = [0, 0, 0, 0];
    for (let n = 0; n < 40; n++) {
      const r = generateReceipt();
      for (let i = 0; i < 20; i++) {
        for (const c of RECEIPT_ALPHABET) {
          if (c === r[i]) continue;
          const check = normalizeReceipt(at(r, i, c));
          const g = Math.floor(i / 5);
          trials[g]!++;
          if (check.ok) {
            missed[g]!++;
            expect(i).toBeLessThan(19); // the check symbol itself is always caught
            continue;
          }
          expect(check).toEqual({ ok: false, reason: 'check', group: null, message: expect.stringContaining('the receipt has a typo') });
        }
      }
    }
    for (let g = 0; g < 4; g++) expect(missed[g]! / trials[g]!).toBeLessThan(0.06);
    expect(missed.reduce((a, b) => a + b) / trials.reduce((a, b) => a + b)).toBeGreaterThan(0.01);
  });

  it('catches most swaps of neighbouring symbols', () => {
    let swaps = 0;
    let caught = 0;
    for (let n = 0; n < 200; n++) {
      const r = generateReceipt();
      for (let i = 0; i < 19; i++) {
        if (r[i] === r[i + 1]) continue;
        swaps++;
        if (!normalizeReceipt(r.slice(0, i) + r[i + 1] + r[i] + r.slice(i + 2)).ok) caught++;
      }
    }
    expect(caught / swaps).toBeGreaterThan(0.94);
  });

  it('points at the group of the first character that receipts never use', () => {
    const r = generateReceipt();
    for (let i = 0; i < 20; i++) {
      for (const bad of ['U', 'u', '*', 'é', '.', '\u0301']) {
        const f = failed(normalizeReceipt(at(r, i, bad)));
        expect([f.reason, f.group]).toEqual(['symbol', Math.floor(i / 5) + 1]);
        expect(f.message).toContain(`group ${f.group}`);
      }
    }
    expect(failed(normalizeReceipt('U' + r.slice(1, 17) + '*' + r.slice(18))).group).toBe(1);
  });

  it('says how many symbols a receipt has when the count is wrong', () => {
    const r = generateReceipt();
    for (const input of ['', r.slice(0, 5), r.slice(0, 19), r + 'A', r + r]) {
      const f = failed(normalizeReceipt(input));
      expect([f.reason, f.group]).toEqual(['length', null]);
      expect(f.message).toMatch(/20 symbols/);
    }
    expect(failed(normalizeReceipt(r + '!')).reason).toBe('length');
    expect(failed(normalizeReceipt(null as unknown as string)).reason).toBe('length');
  });

  it('never accepts characters that uppercase into receipt symbols', () => {
    expect(failed(normalizeReceipt('ß' + generateReceipt().slice(2))).reason).toBe('symbol');
    expect(failed(normalizeReceipt('ı' + generateReceipt().slice(1))).reason).toBe('symbol'); // dotless i
  });

  it('receiptCheckSymbol agrees with the generator', () => {
    const r = generateReceipt();
    expect(receiptCheckSymbol(r.slice(0, 19))).toBe(r[19]);
  });
});

describe('receipt keys (§2)', () => {
  const vectors = (JSON.parse(readFileSync(join(__dirname, '..', 'test-vectors.json'), 'utf8')) as { vectors: { name: string; input: Record<string, string>; expected: Record<string, string> }[] }).vectors;
  const v = vectors.find((x) => x.name === 'receipt-keys/formatted-receipt')!;

  it('normalizes the receipt inside: a messily typed receipt gives the vector keys (one argon2id)', () => {
    const messy = ` ${v.input.receipt!.toLowerCase().replace(/-/g, '  ').replace(/0/g, 'o').replace(/1/g, 'l')} `;
    const k = deriveReceiptKeys(messy, fromHex(v.input.receiptSalt!));
    expect(toHex(k.authKey)).toBe(v.expected.authKey);
    expect(toHex(k.lookup)).toBe(v.expected.lookup);
    expect(toHex(k.keyPair.publicKey)).toBe(v.expected.publicKey);
    expect(k.keyPair.privateKey).toHaveLength(32);
  });

  it('refuses an invalid receipt or salt before doing any work', () => {
    const salt = randomBytes(16);
    const r = generateReceipt();
    const t0 = Date.now();
    expect(codeOf(() => deriveReceiptKeys(at(r, 19, r[19] === 'A' ? 'B' : 'A'), salt))).toBe('bad_encoding');
    expect(codeOf(() => deriveReceiptKeys(at(r, 3, 'U'), salt))).toBe('bad_encoding');
    expect(codeOf(() => deriveReceiptKeys(r.slice(1), salt))).toBe('bad_length');
    expect(codeOf(() => deriveReceiptKeys(r, randomBytes(15)))).toBe('bad_length');
    expect(Date.now() - t0).toBeLessThan(100); // no argon2id ran
  });

  it('lookup is h(authKey), which is what the server recomputes', () => {
    const authKey = randomBytes(32);
    expect(toHex(lookupFromAuthKey(authKey))).toBe(toHex(hash(authKey)));
    expect(codeOf(() => lookupFromAuthKey(randomBytes(16)))).toBe('bad_length');
  });
});
