import { CROCKFORD_ALPHABET, cleanCrockford } from './base32';
import { utf8 } from './encoding';
import { hash } from './primitives';
import { randomUniform } from './sodium';

/** §1: the reporter's follow-up token is 20 Crockford base32 symbols. */
export const RECEIPT_ALPHABET = CROCKFORD_ALPHABET;
export const RECEIPT_LENGTH = 20;
const GROUP = 5;

export type ReceiptCheck =
  | { ok: true; receipt: string }
  | { ok: false; reason: 'length' | 'symbol' | 'check'; group: number | null; message: string };

/** Symbol 20: top 5 bits of h(utf8(s1..s19))[0]. */
export function receiptCheckSymbol(first19: string): string {
  return RECEIPT_ALPHABET[hash(utf8(first19))[0]! >> 3]!;
}

export function generateReceipt(): string {
  let s = '';
  for (let i = 0; i < RECEIPT_LENGTH - 1; i++) s += RECEIPT_ALPHABET[randomUniform(32)];
  return s + receiptCheckSymbol(s);
}

/**
 * Display form: groups of five joined by '-'. It only tidies (uppercase, separators),
 * never validates, so it can also format partial input as it is typed.
 */
export function formatReceipt(r: string): string {
  const s = r.replace(/[\s-]/g, '').toUpperCase();
  const groups: string[] = [];
  for (let i = 0; i < s.length; i += GROUP) groups.push(s.slice(i, i + GROUP));
  return groups.join('-');
}

/** normalize(input) of §1. A failure says where to look, without echoing the secret. */
export function normalizeReceipt(input: string): ReceiptCheck {
  const s = cleanCrockford(typeof input === 'string' ? input : '');
  // Bad symbols first: "group 2 has a wrong character" is more useful than a count.
  for (let i = 0; i < Math.min(s.length, RECEIPT_LENGTH); i++) {
    if (!RECEIPT_ALPHABET.includes(s[i]!)) {
      const group = Math.floor(i / GROUP) + 1;
      return {
        ok: false,
        reason: 'symbol',
        group,
        message: `group ${group} of the receipt contains a character that receipts do not use (only digits and letters other than I, L, O and U)`,
      };
    }
  }
  if (s.length !== RECEIPT_LENGTH) {
    return {
      ok: false,
      reason: 'length',
      group: null,
      message: `a receipt has ${RECEIPT_LENGTH} symbols (four groups of five); ${s.length} were entered`,
    };
  }
  if (receiptCheckSymbol(s.slice(0, RECEIPT_LENGTH - 1)) !== s[RECEIPT_LENGTH - 1]) {
    return { ok: false, reason: 'check', group: null, message: 'the receipt has a typo: please compare each group with your copy' };
  }
  return { ok: true, receipt: s };
}
