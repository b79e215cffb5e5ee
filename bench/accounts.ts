// Shared by the account benches: a real api in this process on its own database and Redis prefix,
// and a staff account with known credentials (a real argon2id hash of a real loginKey).
import { randomBytes, randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { loadConfig } from '@sauti/config';
import { createStaffKeys, ready, solvePow, toB64 } from '@sauti/crypto';
import { insertStaffUser } from '@sauti/db';
import { startServer, type RunningServer } from '../apps/api/src/server';
import { totpCode } from '../apps/api/src/services/totp';
import { createLogger } from '@sauti/log';
import { dropDatabase, freshDatabase } from './lib';

export type BenchAccount = { id: string; email: string; loginKey: string; totpSecret: Buffer };

export async function startBenchApi(name: string, env: Record<string, string> = {}): Promise<{ api: RunningServer; stop: () => Promise<void> }> {
  await ready();
  const db = `sauti_bench_${name}_${randomBytes(3).toString('hex')}`;
  const url = await freshDatabase(db);
  const config = loadConfig({
    DATABASE_URL: url, PORT: '0', QUEUE_PREFIX: `sauti-bench-${name}-${randomBytes(3).toString('hex')}`, SERVE_WEB: 'false', LOG_LEVEL: 'silent', ...env,
  });
  const api = await startServer(config, { log: createLogger({ name: 'api', level: 'silent' }) });
  return { api, stop: async () => { await api.stop(); await dropDatabase(db); } };
}

export async function benchAccount(api: RunningServer): Promise<BenchAccount> {
  const id = randomUUID();
  const email = `bench.${id.slice(0, 8)}@bench.sauti.invalid`;
  const material = createStaffKeys(id, `pw-${randomBytes(12).toString('base64url')}`);
  await insertStaffUser(api.deps.pool, { id, email, displayName: 'Bench', unitId: null, roles: ['investigator'], status: 'active', publicKey: material.keyPair.publicKey });
  const totpSecret = randomBytes(20);
  await api.deps.pool.query(
    `UPDATE staff_users SET public_key = $2, encrypted_private_key = $3, recovery_encrypted_private_key = $4, password_salt = $5, login_key_hash = $6, totp_secret = $7, activated_at = now() WHERE id = $1`,
    [id, Buffer.from(material.keyPair.publicKey), Buffer.from(material.encryptedPrivateKey), Buffer.from(material.recoveryEncryptedPrivateKey), Buffer.from(material.salt),
      await argon2.hash(Buffer.from(material.loginKey), { type: argon2.argon2id }), totpSecret],
  );
  return { id, email, loginKey: toB64(material.loginKey), totpSecret };
}

export const currentTotp = (secret: Buffer) => totpCode(secret, Date.now());

/** A solved proof of work (difficulty from the server; benches run it at 1 bit). */
export async function work(base: string): Promise<{ challenge: string; nonce: string }> {
  const r = await fetch(base + '/api/v1/pow', { method: 'POST' });
  const { challenge, difficulty } = (await r.json()) as { challenge: string; difficulty: number };
  return { challenge, nonce: solvePow(challenge, difficulty) };
}

export async function post(base: string, path: string, body: unknown): Promise<{ status: number; ms: number; text: string }> {
  const started = performance.now();
  const r = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, ms: performance.now() - started, text };
}
