import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/** loginKey is stored only as an argon2id hash (docs/protocol.md §3). */
export function hashLoginKey(loginKey: Buffer): Promise<string> {
  return argon2.hash(loginKey, { type: argon2.argon2id });
}

export async function verifyLoginKey(hash: string, loginKey: Buffer): Promise<boolean> {
  try {
    return await argon2.verify(hash, loginKey);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;

/**
 * One argon2 verification against a hash nobody can match, for addresses without an account, so
 * that a failed sign-in takes as long whether or not the address exists.
 */
export async function burnVerification(loginKey: Buffer): Promise<void> {
  dummy ??= hashLoginKey(randomBytes(32));
  await verifyLoginKey(await dummy, loginKey);
}
