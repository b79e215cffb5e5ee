import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  closeIteration,
  findIteration,
  findPreviousIterationId,
  insertIteration,
  insertSurvey,
  insertSurveyCodes,
  insertSurveyResponse,
  isUniqueViolation,
  iterationAnalysts,
  listSurveyAnalysts,
  listSurveyResponses,
  spendSurveyCode,
  type Db,
} from '@sauti/db';
import { SURVEY_TEMPLATE } from '@sauti/core';
import { openDatabase } from './harness';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest();

/** packages/db/src/surveys.ts: codes, iterations and sealed responses (issue 15). */
describe('surveys (real Postgres)', () => {
  let db: Awaited<ReturnType<typeof openDatabase>>;
  let pool: Db;
  let surveyId: string;
  let iterationId: string;
  let analysts: { id: string; publicKey: Buffer }[];
  beforeAll(async () => {
    db = await openDatabase();
    pool = db.pool;
    const analyst = randomUUID();
    await pool.query(
      "INSERT INTO staff_users (id, email, display_name, roles, status, public_key) VALUES ($1, $2, 'A', ARRAY['analyst'], 'active', $3)",
      [analyst, `a.${analyst.slice(0, 6)}@test.sauti.invalid`, randomBytes(32)],
    );
    analysts = await listSurveyAnalysts(pool);
    surveyId = (await insertSurvey(pool, { id: randomUUID(), definition: SURVEY_TEMPLATE, createdBy: null })).id;
    iterationId = randomUUID();
    await insertIteration(pool, { id: iterationId, surveyId, openLink: false, definition: SURVEY_TEMPLATE, publicKey: randomBytes(294), privateKey: randomBytes(1200), analysts });
  });
  afterAll(() => db.close());

  it('when a new iteration snapshots the analysts, then it keeps them in a fixed order and starts open at number 1 with a date only', async () => {
    expect(analysts.length).toBeGreaterThan(0);
    expect((await iterationAnalysts(pool, iterationId)).map((a) => a.id)).toEqual(analysts.map((a) => a.id));
    const it = await findIteration(pool, iterationId);
    expect(it).toMatchObject({ number: 1, status: 'open', responses: 0, codesIssued: 0 });
    expect(it!.openedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('when a code is spent, then each use is taken once, a used code says so, and an unknown one too', async () => {
    await insertSurveyCodes(pool, iterationId, [sha('ONE'), sha('STATION')], 1);
    await pool.query('UPDATE survey_codes SET uses = 2, uses_left = 2 WHERE code_hash = $1', [sha('STATION')]);
    expect(await spendSurveyCode(pool, iterationId, sha('ONE'))).toBe('spent');
    expect(await spendSurveyCode(pool, iterationId, sha('ONE'))).toBe('used');
    expect(await spendSurveyCode(pool, iterationId, sha('STATION'))).toBe('spent');
    expect(await spendSurveyCode(pool, iterationId, sha('STATION'))).toBe('spent');
    expect(await spendSurveyCode(pool, iterationId, sha('STATION'))).toBe('used');
    expect(await spendSurveyCode(pool, iterationId, sha('NOPE'))).toBe('unknown');
    expect(await spendSurveyCode(pool, randomUUID(), sha('STATION'))).toBe('unknown');
    expect(await findIteration(pool, iterationId)).toMatchObject({ codesIssued: 3, codesRedeemed: 3 });
  });

  it('when a token hash is stored twice, then the second insert fails on the unique token, and each analyst reads only its own wrap', async () => {
    const tokenHash = sha(randomBytes(16));
    const wraps = analysts.map((_, i) => Buffer.alloc(80, i + 1));
    const row = { iterationId, tokenHash, ciphertext: randomBytes(100), keyWraps: wraps, requestDigest: sha('x') };
    expect(await insertSurveyResponse(pool, { ...row, id: randomUUID() })).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const second = await insertSurveyResponse(pool, { ...row, id: randomUUID() }).then(() => null, (e: unknown) => e);
    expect(isUniqueViolation(second, 'survey_responses_token_hash_key')).toBe(true);
    const page = await listSurveyResponses(pool, iterationId, analysts[0]!.id, null, 10);
    expect(page!.map((r) => r.sealedKey)).toEqual([Buffer.alloc(80, 1)]);
    expect(await listSurveyResponses(pool, iterationId, randomUUID(), null, 10)).toBeNull();
  });

  it('when the iteration is closed and the next opened, then the next knows its predecessor', async () => {
    expect(await closeIteration(pool, iterationId)).toBe(true);
    expect(await closeIteration(pool, iterationId)).toBe(false);
    const next = randomUUID();
    expect(await insertIteration(pool, { id: next, surveyId, openLink: true, definition: SURVEY_TEMPLATE, publicKey: randomBytes(294), privateKey: randomBytes(1200), analysts })).toBe(2);
    expect(await findPreviousIterationId(pool, next)).toBe(iterationId);
    expect(await findPreviousIterationId(pool, iterationId)).toBeNull();
  });
});
