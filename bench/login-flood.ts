// npm run bench:login-flood — a real staff member's sign-in (right loginKey and TOTP code) while
// junk sign-ins flood the api, next to the same sign-in on a quiet api measured in the same run.
// Two floods: unknown addresses (no CPU spent since issue 11: the wait is imitated) and a known
// address with wrong passwords (argon2 work, bounded by the gate; the address's own delay grows).
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { toB64 } from '@sauti/crypto';
import { benchAccount, currentTotp, post, startBenchApi, work, type BenchAccount } from './accounts';
import { machine, median } from './lib';

const FLOOD = Number(process.env.BENCH_FLOOD ?? 16);
const REAL = Number(process.env.BENCH_REAL_LOGINS ?? 5);
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

async function main(): Promise<void> {
  // BENCH_GATE=off approximates the api before issue 11 in the same machine state: the Argon2 gate
  // so wide that every junk sign-in verifies for real, at once (the global bucket is lifted in both).
  const gateOff = process.env.BENCH_GATE === 'off';
  const { api, stop } = await startBenchApi('flood', {
    RATE_LOGIN_GLOBAL: '1000000/60', POW_DIFFICULTY: '1', ...(gateOff ? { ARGON2_CONCURRENCY: '64', ARGON2_QUEUE_MS: '60000' } : {}),
  });
  try {
    const real = await benchAccount(api);
    const victim = await benchAccount(api);
    const realLogin = async (who: BenchAccount) => {
      await api.deps.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [who.id]);
      const pow = await work(api.url);
      return post(api.url, '/api/v1/auth/login', { email: who.email, loginKey: who.loginKey, totp: currentTotp(who.totpSecret), pow });
    };
    const measure = async () => {
      const times: number[] = [];
      const statuses: number[] = [];
      for (let i = 0; i < REAL; i++) {
        const r = await realLogin(real);
        times.push(r.ms);
        statuses.push(r.status);
      }
      return { median: median(times), statuses };
    };
    console.log(`${machine()}; load average ${load()}; ${FLOOD} concurrent junk sign-ins, ${REAL} real sign-ins per phase; Argon2 gate ${gateOff ? 'OFF (64 at once)' : 'on'}`);
    await realLogin(real); // warm
    const quiet = await measure();
    console.log(`quiet:                         real sign-in median ${quiet.median.toFixed(0)} ms, statuses ${quiet.statuses.join(',')}`);
    for (const flood of ['unknown addresses', 'a known address, wrong password'] as const) {
      let stopFlood = false;
      const junkStatuses = new Map<number, number>();
      const junk = Array.from({ length: FLOOD }, async () => {
        while (!stopFlood) {
          const email = flood === 'unknown addresses' ? `junk.${randomUUID().slice(0, 8)}@bench.sauti.invalid` : victim.email;
          const r = await post(api.url, '/api/v1/auth/login', { email, loginKey: toB64(new Uint8Array(32)), totp: '000000', pow: await work(api.url) });
          junkStatuses.set(r.status, (junkStatuses.get(r.status) ?? 0) + 1);
        }
      });
      await new Promise((r) => setTimeout(r, 1500));
      const during = await measure();
      stopFlood = true;
      await Promise.all(junk);
      console.log(
        `flood of ${flood.padEnd(31)} real sign-in median ${during.median.toFixed(0)} ms (${(during.median / quiet.median).toFixed(1)}× quiet), statuses ${during.statuses.join(',')}; ` +
          `junk answers ${JSON.stringify(Object.fromEntries(junkStatuses))}; load ${load()}`,
      );
    }
  } finally {
    await stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
