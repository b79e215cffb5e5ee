import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { createStaffKeys, ready, type KeyPair } from '../../packages/crypto/src';
import { StaffClient, type StaffClientOptions } from '../../packages/client/src';
import { totpCode } from '../../apps/api/src/services/totp';
import type { TestStack } from './stack';

export type StaffCredentials = { password: string; totpSecret: Buffer; recoveryKeyText: string };

/** Credentials this helper gave, by user id (per test file: each file runs in its own module registry). */
const credentials = new Map<string, StaffCredentials>();

export function staffCredentials(userId: string): StaffCredentials {
  const c = credentials.get(userId);
  if (!c) throw new Error(`signedInStaff has not set up ${userId}`);
  return c;
}

/** A TOTP code that has not been used yet by this account: the next step's, as an authenticator would show 30 s later. */
export function nextTotp(secret: Buffer, stepsAhead = 0): string {
  return totpCode(secret, Date.now() + stepsAhead * 30_000);
}

/**
 * For tests of other features: gives an existing staff row an active account with a known
 * password and TOTP secret (real argon2id hash of a real loginKey, straight into the database) unless
 * this helper already did, then signs in through the real /api/v1/auth endpoints. Pass `keyPair`
 * when the person already holds key wraps, so that the account wraps that same private key.
 */
export async function signedInStaff(
  stack: TestStack,
  person: { id: string; email: string; keyPair?: KeyPair },
  options: StaffClientOptions = {},
): Promise<StaffClient> {
  await ready();
  const { rows } = await stack.pool.query<{ login_key_hash: string | null }>('SELECT login_key_hash FROM staff_users WHERE id = $1', [person.id]);
  if (!rows[0]) throw new Error(`signedInStaff: no staff_users row for ${person.email}; insert the person first (e.g. seedOrganisation)`);
  let creds = credentials.get(person.id);
  if (!creds || !rows[0].login_key_hash) {
    const password = `pw-${randomBytes(12).toString('base64url')}`;
    const material = createStaffKeys(person.id, password, person.keyPair ? { keyPair: person.keyPair } : undefined);
    const loginKeyHash = await argon2.hash(Buffer.from(material.loginKey), { type: argon2.argon2id });
    const totpSecret = randomBytes(20);
    await stack.pool.query(
      `UPDATE staff_users SET status = 'active', public_key = $2, encrypted_private_key = $3, recovery_encrypted_private_key = $4,
              password_salt = $5, login_key_hash = $6, totp_secret = $7, activated_at = coalesce(activated_at, now())
        WHERE id = $1`,
      [person.id, Buffer.from(material.keyPair.publicKey), Buffer.from(material.encryptedPrivateKey), Buffer.from(material.recoveryEncryptedPrivateKey),
        Buffer.from(material.salt), loginKeyHash, totpSecret],
    );
    creds = { password, totpSecret, recoveryKeyText: material.recoveryKeyText };
    credentials.set(person.id, creds);
  }
  // Several sign-ins of one person within 30 s would reuse a code; the helper is not testing that.
  await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL, failed_logins = 0, locked_until = NULL WHERE id = $1', [person.id]);
  const client = new StaffClient(stack.api.url, options);
  const answer = await client.login(person.email, creds.password, nextTotp(creds.totpSecret));
  if (answer.status !== 200) throw new Error(`signedInStaff: login of ${person.email} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return client;
}
