// npm run bench:survey — survey responses (docs/protocol.md §10) submitted through the real api (a
// child process) next to a floor measured in the same run (the same row written straight through
// `pg`, same concurrency and pool size), a few blind-signature redemptions, and the aggregation of
// every response in Chromium: an analyst signs in to the built web app, opens the results, and the
// crypto worker fetches, decrypts and aggregates all of them.
import { createHash, randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { surveys, Transport } from '@sauti/client';
import { generateKeyPair, ready, surveyTokenMessage } from '@sauti/crypto';
import { SURVEY_TEMPLATE, type PublicIteration, type SurveyResponseBody } from '@sauti/core';
import { createPool, ensureDeployment, insertStaffUser, insertSurveyResponse, migrate, withTransaction } from '@sauti/db';
import { createSurvey, createSurveyCodes, openIteration } from '../apps/api/src/services/surveys';
import { launchChromium, tr } from '../test/helpers/browser';
import { startApiProcess } from '../test/helpers/processes';
import { nextTotp, signedInStaff, staffCredentials } from '../test/helpers/staff';
import type { TestStack } from '../test/helpers/stack';
import { dropDatabase, freshDatabase, machine, percentile, runConcurrent } from './lib';

const TOTAL = Number(process.env.BENCH_SURVEY_RESPONSES ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const REDEMPTIONS = Number(process.env.BENCH_SURVEY_REDEMPTIONS ?? 20);
const DB = `sauti_bench_survey_${randomBytes(3).toString('hex')}`;

const officials = SURVEY_TEMPLATE.questionnaires[0]!;
const traders = SURVEY_TEMPLATE.questionnaires[1]!;
function body(i: number): SurveyResponseBody {
  const q = i % 3 === 0 ? traders : officials;
  return {
    v: 1, group: q.group, language: i % 2 ? 'fr' : 'en',
    answers: q.questions.filter((x) => x.required).map((x) => ({ q: x.id, a: x.kind === 'agreement-5' ? 1 + ((i * 7 + x.id.length) % 5) : x.options![i % x.options!.length]!.id })),
  };
}

/**
 * A finalized token is a plain RSASSA-PSS signature of the prepared message (RFC 9474 §4.4), so the
 * bench signs prepared tokens directly with the iteration's key instead of 10,000 blind round trips;
 * the blind path itself is timed separately below.
 */
async function mintTokens(privateKeyDer: Buffer, iterationId: string, n: number): Promise<surveys.SurveyToken[]> {
  const key = await webcrypto.subtle.importKey('pkcs8', privateKeyDer, { name: 'RSA-PSS', hash: 'SHA-384' }, false, ['sign']);
  const out: surveys.SurveyToken[] = [];
  for (let i = 0; i < n; i++) {
    const prepared = Buffer.concat([randomBytes(32), Buffer.from(surveyTokenMessage(iterationId))]);
    const signature = Buffer.from(await webcrypto.subtle.sign({ name: 'RSA-PSS', saltLength: 48 }, key, prepared));
    out.push({ iterationId, message: prepared.toString('base64url'), signature: signature.toString('base64url') });
  }
  return out;
}

async function main(): Promise<void> {
  await ready();
  const url = await freshDatabase(DB);
  const pool = createPool(url, { max: 10, connectionTimeoutMillis: 60_000 });
  await migrate(pool);
  await ensureDeployment(pool);
  const analystPerson = { id: randomUUID(), email: `analyst.${randomUUID().slice(0, 6)}@bench.sauti.invalid` };
  await insertStaffUser(pool, { ...analystPerson, displayName: 'Bench analyst', unitId: null, roles: ['analyst'], status: 'active', publicKey: generateKeyPair().publicKey });
  const api = await startApiProcess({ DATABASE_URL: url, POW_DIFFICULTY: '1', QUEUE_PREFIX: `sauti-bench-${DB}`, SERVE_WEB: 'true' });
  const stackLike = { pool, api: { url: api.url } } as unknown as TestStack;
  try {
    // The analyst's real account (the key it seals to is the one it unlocks in the browser).
    await signedInStaff(stackLike, analystPerson);
    const created = await createSurvey(pool, SURVEY_TEMPLATE, analystPerson.id);
    if (!created.ok) throw new Error(created.error.message);
    const a = await openIteration(pool, created.value.id, false, analystPerson.id);
    const other = await createSurvey(pool, SURVEY_TEMPLATE, analystPerson.id);
    if (!other.ok) throw new Error(other.error.message);
    const b = await openIteration(pool, other.value.id, false, analystPerson.id);
    if (!a.ok || !b.ok) throw new Error('could not open the iterations');
    const t = new Transport(api.url);
    const viaApiIt: PublicIteration = await surveys.fetchIteration(t, a.value.id);
    const floorIt: PublicIteration = await surveys.fetchIteration(t, b.value.id);
    const keyOf = async (id: string) => (await pool.query<{ private_key: Buffer }>('SELECT private_key FROM survey_iterations WHERE id = $1', [id])).rows[0]!.private_key;

    process.stdout.write(`preparing ${TOTAL * 2} tokens and sealed responses… `);
    const prepStart = performance.now();
    const apiTokens = await mintTokens(await keyOf(viaApiIt.id), viaApiIt.id, TOTAL);
    const apiBodies = apiTokens.map((token, i) => JSON.stringify(surveys.sealResponse(viaApiIt, body(i), { token })));
    const floorTokens = await mintTokens(await keyOf(floorIt.id), floorIt.id, TOTAL);
    const floorRows = floorTokens.map((token, i) => {
      const s = surveys.sealResponse(floorIt, body(i), { token });
      const raw = JSON.stringify(s);
      return { s, raw, tokenHash: createHash('sha256').update(Buffer.from(token.message, 'base64url')).digest() };
    });
    process.stdout.write(`done in ${((performance.now() - prepStart) / 1000).toFixed(1)} s\n`);

    let failures = 0;
    const viaApi = await runConcurrent(TOTAL, CONCURRENCY, async (i) => {
      const r = await fetch(`${api.url}/api/v1/surveys/iterations/${viaApiIt.id}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: apiBodies[i] });
      await r.arrayBuffer();
      if (r.status !== 201) failures++;
    });
    const floor = await runConcurrent(TOTAL, CONCURRENCY, async (i) => {
      const { s, raw, tokenHash } = floorRows[i]!;
      await withTransaction(pool, async (tx) => {
        await tx.query('SELECT status FROM survey_iterations WHERE id = $1 FOR SHARE', [floorIt.id]);
        await insertSurveyResponse(tx, {
          id: s.id, iterationId: floorIt.id, tokenHash, ciphertext: Buffer.from(s.ciphertext, 'base64url'),
          keyWraps: s.keyWraps.map((w) => Buffer.from(w.sealedKey, 'base64url')), requestDigest: createHash('sha256').update(raw).digest(),
        });
      });
    });

    // The blind path, end to end from Node (blind, server BlindSign in JavaScript big numbers, finalize).
    const issued = await createSurveyCodes(pool, viaApiIt.id, REDEMPTIONS, 1, analystPerson.id);
    if (!issued.ok) throw new Error(issued.error.message);
    const codes = issued.value.codes;
    const redeem = await runConcurrent(codes.length, 4, async (i) => {
      await surveys.redeemCode(t, viaApiIt, codes[i]!);
    });

    // Aggregation in Chromium: sign in, open the results, wait for the figures.
    const creds = staffCredentials(analystPerson.id);
    await pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [analystPerson.id]);
    const browser = await launchChromium();
    let aggregateSeconds = 0;
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(300_000);
      const en = (k: string, p?: Record<string, string | number>) => tr('en', k, p);
      const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
      // An analyst lands on the monitoring dashboard; the surveys have an address of their own.
      await page.goto(`${api.url}/staff/surveys`);
      await page.getByLabel(exactly(en('staff.email'))).fill(analystPerson.email);
      await page.getByLabel(exactly(en('staff.password'))).fill(creds.password);
      await page.getByLabel(exactly(en('staff.totp'))).fill(nextTotp(creds.totpSecret));
      await page.getByRole('button', { name: en('staff.signIn') }).click();
      await page.getByRole('heading', { name: en('surveys.heading') }).waitFor();
      const buttons = page.getByRole('button', { name: `${en('surveys.showResults')}: ${en('surveys.iteration', { n: 1 })}` });
      const started = performance.now();
      await buttons.first().click();
      await page.getByRole('heading', { name: en('surveys.results', { n: 1 }) }).waitFor();
      aggregateSeconds = (performance.now() - started) / 1000;
      const total = await page.locator('section.survey-results > p').first().textContent();
      if (!total?.includes(new Intl.NumberFormat('en').format(TOTAL))) throw new Error(`the results page says "${total}", expected ${TOTAL} responses`);
    } finally {
      await browser.close();
    }

    const row = (name: string, r: { seconds: number; latencies: number[] }, n = TOTAL) =>
      `| ${name} | ${(n / r.seconds).toFixed(0)} | ${percentile(r.latencies, 50).toFixed(1)} | ${percentile(r.latencies, 99).toFixed(1)} |`;
    console.log(`\nSurvey benchmark — ${TOTAL} responses, ${CONCURRENCY} concurrent clients, ${apiBodies[0]!.length} B request, RSA-2048 tokens`);
    console.log(`machine: ${machine()}\n`);
    console.log('| path | per s | p50 ms | p99 ms |');
    console.log('|---|---|---|---|');
    console.log(row('api: submit (HTTP + zod + RSA-PSS verify + transaction)', viaApi));
    console.log(row('floor: same row straight through pg', floor));
    console.log(row(`api: redeem a code (blind, BlindSign, finalize; 4 concurrent, ${codes.length} codes)`, redeem, codes.length));
    console.log(`\nratio api/floor throughput: ${(TOTAL / viaApi.seconds / (TOTAL / floor.seconds)).toFixed(2)}`);
    console.log(`aggregation in Chromium (fetch ${TOTAL} ciphertexts, decrypt and aggregate in the crypto worker, render): ${aggregateSeconds.toFixed(1)} s`);
    if (failures > 0) {
      console.error(`${failures} submissions were not answered 201`);
      process.exitCode = 1;
    }
  } finally {
    await api.kill('SIGTERM');
    await pool.end();
    await dropDatabase(DB);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
