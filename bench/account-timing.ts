// npm run bench:timing — do account-facing endpoints answer an unknown address as they answer a
// known one? Many interleaved samples per endpoint (known vs unknown, random order), medians, and a
// Mann–Whitney U test: a small p means the two can be told apart by timing. Same answer bodies too.
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { toB64 } from '@sauti/crypto';
import { failureKey } from '../apps/api/src/services/auth';
import { benchAccount, post, startBenchApi, work } from './accounts';
import { machine, mannWhitney, median } from './lib';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 60);
const ALPHA = 0.001;
const b = (n: number) => toB64(new Uint8Array(n).fill(9));

async function main(): Promise<void> {
  // Limits high enough that the bench measures the endpoints, not the limiter; the delay after
  // failures applies to known and unknown addresses alike and is switched off by a high threshold.
  const { api, stop } = await startBenchApi('timing', {
    RATE_LOGIN_GLOBAL: '1000000/60', RATE_RECOVERY_ACCOUNT: '1000000/60', LOGIN_FREE_FAILURES: '100', POW_DIFFICULTY: '1',
  });
  let failed = false;
  try {
    const known = await benchAccount(api);
    const endpoints: { name: string; path: string; body: (email: string) => object; work?: true }[] = [
      { name: 'POST /auth/recovery/complete', path: '/api/v1/auth/recovery/complete', body: (email) => ({ email, challenge: b(32), salt: b(16), loginKey: b(32), encryptedPrivateKey: b(72) }), work: true },
      { name: 'POST /auth/recovery/start', path: '/api/v1/auth/recovery/start', body: (email) => ({ email, totp: '000000' }), work: true },
      { name: 'POST /auth/login', path: '/api/v1/auth/login', body: (email) => ({ email, loginKey: b(32), totp: '000000' }), work: true },
      { name: 'POST /auth/salt', path: '/api/v1/auth/salt', body: (email) => ({ email }) },
    ];
    const samples = Math.min(SAMPLES, 90); // failures per known address stay under LOGIN_FREE_FAILURES
    console.log(`${machine()}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${samples} samples per side`);
    // BENCH_ONLY=recovery/complete measures one endpoint (more samples in the same time).
    for (const e of endpoints.filter((x) => !process.env.BENCH_ONLY || x.path.includes(process.env.BENCH_ONLY))) {
      // Reset the known account's counters so each endpoint starts equal.
      await api.deps.pool.query('UPDATE staff_users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [known.id]);
      await api.deps.failures.clear(failureKey(api.deps.deployment.serverSecret, known.email));
      const bodyOf = async (email: string) => (e.work ? { ...e.body(email), pow: await work(api.url) } : e.body(email));
      for (let i = 0; i < 3; i++) await post(api.url, e.path, await bodyOf(`warm.${i}@bench.sauti.invalid`));
      const k: number[] = [];
      const u: number[] = [];
      const bodies = { known: new Set<string>(), unknown: new Set<string>() };
      for (let i = 0; i < samples * 2; i++) {
        const useKnown = Math.random() < 0.5 ? k.length < samples : u.length >= samples;
        const email = useKnown ? known.email : `ghost.${randomUUID().slice(0, 8)}@bench.sauti.invalid`;
        const body = await bodyOf(email); // solved before the clock starts
        const r = await post(api.url, e.path, body);
        (useKnown ? k : u).push(r.ms);
        // Salts differ per address by design; every other answer must be byte-identical.
        if (e.path !== '/api/v1/auth/salt') (useKnown ? bodies.known : bodies.unknown).add(`${r.status} ${r.text}`);
      }
      const test = mannWhitney(k, u);
      const same = e.path === '/api/v1/auth/salt' || (bodies.known.size === 1 && [...bodies.known][0] === [...bodies.unknown][0] && bodies.unknown.size === 1);
      const verdict = test.p < ALPHA || !same ? 'DISTINGUISHABLE' : 'indistinguishable';
      if (verdict !== 'indistinguishable') failed = true;
      console.log(
        `${e.name.padEnd(30)} median known ${median(k).toFixed(1)} ms, unknown ${median(u).toFixed(1)} ms; ` +
          `Mann–Whitney z=${test.z.toFixed(2)} p=${test.p.toFixed(3)}; same answer: ${same ? 'yes' : 'NO'} → ${verdict}`,
      );
    }
    console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    await stop();
  }
  if (failed) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
