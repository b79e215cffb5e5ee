import { aeadEncrypt, aeadOpen } from './aead';
import { CryptoError } from './errors';
import { jsonBytes, parseJsonBytes } from './json';

export const messageAd = (caseId: string, messageId: string): string => `sip1/message/${caseId}/${messageId}`;
export const noteAd = (caseId: string, noteId: string): string => `sip1/note/${caseId}/${noteId}`;

function textOf(value: unknown, what: string): string {
  const text = (value as { text?: unknown } | null)?.text;
  if (typeof value !== 'object' || typeof text !== 'string') {
    throw new CryptoError('bad_encoding', `${what} was decrypted but has no text`);
  }
  return text;
}

/** §5: body = aead(caseKey, utf8(JSON({text})), "sip1/message/<case>/<message>"). Used by both sides. */
export function encryptMessage(caseKey: Uint8Array, caseId: string, messageId: string, text: string, nonce?: Uint8Array): Uint8Array {
  return aeadEncrypt(caseKey, jsonBytes({ text }, 'message'), messageAd(caseId, messageId), nonce);
}

export function decryptMessage(caseKey: Uint8Array, caseId: string, messageId: string, body: Uint8Array): string {
  const plain = aeadOpen(
    caseKey,
    body,
    messageAd(caseId, messageId),
    'message could not be decrypted: wrong key, or it belongs to another message or case',
  );
  return textOf(parseJsonBytes(plain, 'message'), 'message');
}

/**
 * Internal notes and status reasons, under staffKey so the reporter cannot read them.
 * The plaintext is JSON {"text"}, like messages (§5 leaves it open; this fixes it).
 */
export function encryptNote(staffKey: Uint8Array, caseId: string, noteId: string, text: string, nonce?: Uint8Array): Uint8Array {
  return aeadEncrypt(staffKey, jsonBytes({ text }, 'note'), noteAd(caseId, noteId), nonce);
}

export function decryptNote(staffKey: Uint8Array, caseId: string, noteId: string, body: Uint8Array): string {
  const plain = aeadOpen(staffKey, body, noteAd(caseId, noteId), 'note could not be decrypted: wrong key, or it belongs to another note or case');
  return textOf(parseJsonBytes(plain, 'note'), 'note');
}
