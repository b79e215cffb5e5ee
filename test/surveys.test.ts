// Issue 15: integrity perception surveys against the real api, Postgres and Redis.
import { randomBytes, randomUUID } from 'node:crypto';
import { blindSurveyToken, finalizeSurveyToken, fromB64, ready, toB64 } from '../packages/crypto/src';
import { surveys, type StaffClient } from '../packages/client/src';
import { SURVEY_TEMPLATE, type PublicIteration, type SurveyResponseBody } from '../packages/core/src';
import { insertStaffUser } from '../packages/db/src';
import { Transport } from '../packages/client/src/transport';
import { signedInStaff } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';

jest.setTimeout(300_000);

let stack: TestStack;
let analyst: StaffClient;
let admin: StaffClient;
let t: Transport;

const officials = SURVEY_TEMPLATE.questionnaires.find((q) => q.group === 'officials')!;
const privateSector = SURVEY_TEMPLATE.questionnaires.find((q) => q.group === 'private_sector')!;

function officialBody(score: number, language = 'en'): SurveyResponseBody {
  return {
    v: 1, group: 'officials', language,
    answers: [
      ...officials.questions.filter((q) => q.kind === 'agreement-5').map((q) => ({ q: q.id, a: score })),
      { q: 'channels', a: ['sauti', 'manager'] },
      { q: 'comment', a: `SURVEY-canary-${language}-${score}` },
    ],
  };
}
function traderBody(score: number, language = 'fr'): SurveyResponseBody {
  return {
    v: 1, group: 'private_sector', language,
    answers: [...privateSector.questions.filter((q) => q.kind === 'agreement-5').map((q) => ({ q: q.id, a: score })), { q: 'p-asked', a: score >= 4 ? 'never' : 'often' }],
  };
}

async function person(roles: string[]): Promise<StaffClient> {
  const p = { id: randomUUID(), email: `${roles[0]}.${randomUUID().slice(0, 6)}@test.sauti.invalid` };
  await insertStaffUser(stack.pool, { ...p, displayName: roles.join(' '), unitId: null, roles, status: 'active' });
  return signedInStaff(stack, p);
}

const count = async (table: string): Promise<number> => Number((await stack.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: false });
  analyst = await person(['analyst']);
  admin = await person(['admin']);
  t = new Transport(stack.api.url);
});

afterAll(async () => {
  await stack?.stop();
});

describe('a survey from template to compared iterations', () => {
  let surveyId: string;
  let first: PublicIteration;
  let second: PublicIteration;
  let codes: string[];
  let spentToken: surveys.SurveyToken;

  it('when an analyst creates a survey from the template and opens an iteration, then respondents can fetch it with its key and analysts', async () => {
    const created = await surveys.createSurvey(analyst.session, SURVEY_TEMPLATE);
    surveyId = created.id;
    expect(created.createdOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const it1 = await surveys.openIteration(analyst.session, surveyId, false);
    expect(it1).toMatchObject({ number: 1, status: 'open', openLink: false, responses: 0 });
    first = await surveys.fetchIteration(t, it1.id);
    expect(first.analysts.map((a) => a.id).sort()).toEqual([analyst.userId, admin.userId].sort());
    expect(first.suite).toBe('RSABSSA-SHA384-PSS-Randomized');
    // One open iteration per survey.
    await expect(surveys.openIteration(analyst.session, surveyId, false)).rejects.toMatchObject({ status: 409 });
  });

  it('when an investigator asks, then survey management is refused with 403', async () => {
    const investigator = await person(['investigator']);
    await expect(surveys.listSurveys(investigator.session)).rejects.toMatchObject({ status: 403 });
  });

  it('when ten invitees redeem their codes and answer in English and French, then each is stored as ciphertext with its day only', async () => {
    codes = (await surveys.createCodes(admin.session, first.id, 10)).codes;
    expect(codes).toHaveLength(10);
    expect(codes[0]).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    for (const [i, code] of codes.entries()) {
      const token = await surveys.redeemCode(t, first, i % 2 ? code.toLowerCase() : code);
      const body = i < 5 ? officialBody(i < 2 ? 5 : 2, 'en') : traderBody(i < 8 ? 4 : 1, 'fr');
      const answer = await surveys.answerSurvey(t, first, body, { token });
      expect(answer.receivedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      spentToken = token;
    }
    expect(await count('survey_responses')).toBe(10);
    const { rows } = await stack.pool.query<{ ciphertext: Buffer }>('SELECT ciphertext FROM survey_responses');
    for (const r of rows) expect(r.ciphertext.includes(Buffer.from('SURVEY-canary'))).toBe(false);
  });

  it('when a code is redeemed twice, a token spent twice, a token forged or from another survey, then each is refused and nothing is stored', async () => {
    const before = await count('survey_responses');
    // The same code again.
    const blinded = await blindSurveyToken(fromB64(first.publicKey), first.id);
    const again = await surveys.redeemCall(t, first.id, codes[0]!, toB64(blinded.blindedMessage));
    expect(again.status).toBe(409);
    expect((again.body as unknown as { error: string }).error).toMatch(/already used/);
    const unknown = await surveys.redeemCall(t, first.id, 'ZZZZ-ZZZZ-ZZZZ-ZZZZ', toB64(blinded.blindedMessage));
    expect(unknown.status).toBe(404);
    const typo = await surveys.redeemCall(t, first.id, 'not a code', toB64(blinded.blindedMessage));
    expect(typo.status).toBe(400);
    // The same token with another response.
    const twice = await surveys.submitCall(t, first.id, surveys.sealResponse(first, officialBody(3), { token: spentToken }));
    expect(twice.status).toBe(409);
    expect((twice.body as unknown as { error: string }).error).toMatch(/already used to answer/);
    // A forged token: a well-formed message with a signature nobody made.
    const forged = { iterationId: first.id, message: toB64(blinded.token), signature: toB64(randomBytes(256)) };
    const f = await surveys.submitCall(t, first.id, surveys.sealResponse(first, officialBody(3), { token: forged }));
    expect(f.status).toBe(400);
    expect((f.body as unknown as { error: string }).error).toMatch(/forged, altered, or from another iteration/);
    // A valid token of another survey's iteration.
    const other = await surveys.createSurvey(analyst.session, SURVEY_TEMPLATE);
    const otherIt = await surveys.fetchIteration(t, (await surveys.openIteration(analyst.session, other.id, false)).id);
    const [otherCode] = (await surveys.createCodes(analyst.session, otherIt.id, 1)).codes;
    const otherToken = await surveys.redeemCode(t, otherIt, otherCode!);
    const cross = await surveys.submitCall(t, first.id, surveys.sealResponse(first, officialBody(3), { token: otherToken }));
    expect(cross.status).toBe(400);
    // No token on an invitation-only iteration.
    const open = await surveys.submitCall(t, first.id, { ...surveys.sealResponse(first, officialBody(3), { token: otherToken }), token: null, pow: { challenge: 'x', nonce: '1' } });
    expect(open.status).toBe(400);
    expect(await count('survey_responses')).toBe(before);
  });

  it('when answers are outside the scale, missing, too large, or the iteration is closed, then each is refused with a clear 4xx and nothing is half-stored', async () => {
    const before = await count('survey_responses');
    const [code] = (await surveys.createCodes(analyst.session, first.id, 1)).codes;
    const token = await surveys.redeemCode(t, first, code!);
    // The client refuses to seal what the server could not check.
    expect(() => surveys.sealResponse(first, officialBody(7), { token })).toThrow(/1 \(strongly disagree\) to 5/);
    const missing = officialBody(3);
    missing.answers = missing.answers.slice(1);
    expect(() => surveys.sealResponse(first, missing, { token })).toThrow(/lead-example: this question needs an answer/);
    // Larger than SURVEY_RESPONSE_MAX_BYTES.
    const big = surveys.sealResponse(first, officialBody(3), { token });
    const tooLarge = await surveys.submitCall(t, first.id, { ...big, ciphertext: toB64(randomBytes(stack.config.SURVEY_RESPONSE_MAX_BYTES + 1)) });
    expect([400, 413]).toContain(tooLarge.status);
    expect(JSON.stringify(tooLarge.body)).toMatch(/at most 65536 bytes|larger than the limit/);
    // Wraps for someone else.
    const wrong = await surveys.submitCall(t, first.id, { ...big, keyWraps: big.keyWraps.slice(1) });
    expect(wrong.status).toBe(400);
    // Closed: the token stays unspent, but the iteration answers no more.
    await surveys.closeIteration(analyst.session, first.id);
    const closed = await surveys.submitCall(t, first.id, big);
    expect(closed.status).toBe(409);
    expect((closed.body as unknown as { error: string }).error).toMatch(/closed/);
    const blinded = await blindSurveyToken(fromB64(first.publicKey), first.id);
    expect((await surveys.redeemCall(t, first.id, code!, toB64(blinded.blindedMessage))).status).toBe(409);
    expect(await count('survey_responses')).toBe(before);
  });

  it('when the analyst aggregates in its own process, then per-factor figures by group are computed and small cells suppressed', async () => {
    const progress: [number, number][] = [];
    const report = await surveys.iterationReport(analyst.session, first.id, { onProgress: (done, total) => progress.push([done, total]) });
    expect(progress).toEqual([[10, 10]]);
    expect(report.undecryptable).toBe(0);
    expect(report.results.groups).toEqual({ all: 10, officials: 5, 'private_sector': 5 });
    const lead = report.results.factors.find((f) => f.factor === 'leadership')!;
    // Officials: 2 × (5,5) and 3 × (2,2) → 40 % favourable; traders: 3 × 4 and 2 × 1 → 60 %.
    expect(lead.cells.officials).toMatchObject({ n: 5, suppressed: false, favourable: 40, mean: 3.2 });
    expect(lead.cells['private_sector']).toMatchObject({ n: 5, suppressed: false, favourable: 60, mean: 2.8 });
    // 'channels' was answered by the five officials only: shown; no one else.
    const channels = report.results.questions.find((q) => q.id === 'channels')!;
    expect(channels.cells.officials!.distribution).toEqual({ sauti: 5, manager: 5 });
    expect(report.previous).toBeNull();
  });

  it('when a second iteration is answered better and compared with the first, then the change per factor is shown with its significance', async () => {
    const it2 = await surveys.openIteration(analyst.session, surveyId, false);
    expect(it2.number).toBe(2);
    second = await surveys.fetchIteration(t, it2.id);
    const more = (await surveys.createCodes(analyst.session, second.id, 12)).codes;
    for (const [i, code] of more.entries()) {
      const token = await surveys.redeemCode(t, second, code);
      await surveys.answerSurvey(t, second, i < 6 ? officialBody(5, 'en') : traderBody(i < 9 ? 4 : 5, 'fr'), { token });
    }
    // A token of iteration 1 is not valid in iteration 2.
    const stale = await surveys.submitCall(t, second.id, surveys.sealResponse(second, officialBody(3), { token: spentToken }));
    expect(stale.status).toBe(400);
    // Progress runs over both iterations: this one's 12 responses, then the previous one's 10.
    const progress: [number, number][] = [];
    const report = await surveys.iterationReport(analyst.session, second.id, { onProgress: (done, total) => progress.push([done, total]) });
    expect(progress).toEqual([[12, 22], [22, 22]]);
    expect(report.previous?.iteration.id).toBe(first.id);
    const lead = report.changes.find((c) => c.factor === 'leadership' && c.breakdown === 'officials')!;
    expect(lead).toEqual({ factor: 'leadership', breakdown: 'officials', previous: 40, current: 100, change: 60, significant: true });
    const csv = surveys.iterationCsv(report);
    expect(csv.split('\r\n')[0]).toBe('level,id,factor,text,breakdown,n,mean,favourable_percent,distribution,change_points,significant');
    expect(csv).toContain('factor,leadership,leadership,,officials,6,5,100,,60,yes');
    expect(csv).not.toContain('SURVEY-canary');
  });

  it('when an open-link iteration takes a response with a proof of work, then it is stored without a token', async () => {
    const s = await surveys.createSurvey(analyst.session, SURVEY_TEMPLATE);
    const it = await surveys.fetchIteration(t, (await surveys.openIteration(analyst.session, s.id, true)).id);
    const answer = await surveys.answerSurvey(t, it, traderBody(3), 'open-link');
    const { rows } = await stack.pool.query('SELECT token_hash FROM survey_responses WHERE id = $1', [answer.id]);
    expect(rows[0].token_hash).toBeNull();
  });
});

describe('unlinkability: after 50 redemptions and 50 responses', () => {
  it('when every stored row is compared, then no value and no time finer than a day links a response to a code, and the server kept nothing of the blinding', async () => {
    const s = await surveys.createSurvey(admin.session, SURVEY_TEMPLATE);
    const it = await surveys.fetchIteration(t, (await surveys.openIteration(admin.session, s.id, false)).id);
    const codes = (await surveys.createCodes(admin.session, it.id, 50)).codes;
    const auditBefore = await count('audit_events');
    const seen: { blinded: Uint8Array; blindSignature: Uint8Array; code: string; token: Uint8Array; signature: Uint8Array }[] = [];
    const pk = fromB64(it.publicKey);
    for (const code of codes) {
      const b = await blindSurveyToken(pk, it.id);
      const answer = t.need(await surveys.redeemCall(t, it.id, code, toB64(b.blindedMessage)), [201]);
      const signature = await finalizeSurveyToken(pk, b.token, fromB64(answer.blindSignature), b.inv);
      seen.push({ blinded: b.blindedMessage, blindSignature: fromB64(answer.blindSignature), code, token: b.token, signature });
    }
    // Submitted in another order, as delayed browsers would.
    for (const x of [...seen].reverse()) {
      await surveys.answerSurvey(t, it, officialBody(4), { token: { iterationId: it.id, message: toB64(x.token), signature: toB64(x.signature) } });
    }
    // Redemptions and responses write no audit entry (its times are to the microsecond).
    expect(await count('audit_events')).toBe(auditBefore);

    const codeRows = (await stack.pool.query('SELECT * FROM survey_codes WHERE iteration_id = $1', [it.id])).rows as Record<string, unknown>[];
    const responseRows = (await stack.pool.query('SELECT * FROM survey_responses WHERE iteration_id = $1', [it.id])).rows as Record<string, unknown>[];
    expect(codeRows).toHaveLength(50);
    expect(responseRows).toHaveLength(50);
    // Shared by design and the same for every row: the iteration and the day.
    const common = new Set(['iteration_id', 'issued_on', 'received_on']);
    const values = (rows: Record<string, unknown>[]) =>
      new Set(rows.flatMap((r) => Object.entries(r).filter(([k]) => !common.has(k)).flatMap(([, v]) => (Array.isArray(v) ? v : [v])).filter((v) => v !== null).map((v) => (Buffer.isBuffer(v) ? `b:${v.toString('hex')}` : `v:${JSON.stringify(v)}`))));
    const codeValues = values(codeRows);
    const responseValues = values(responseRows);
    const shared = [...codeValues].filter((v) => responseValues.has(v) && !/^v:(1|0|50|true|false)$/.test(v));
    expect(shared).toEqual([]);
    // Every code row looks the same after use; every response differs only in random values.
    expect(new Set(codeRows.map((r) => `${String(r.uses)}/${String(r.uses_left)}/${String(r.issued_on)}`)).size).toBe(1);
    expect(new Set(responseRows.map((r) => String(r.received_on))).size).toBe(1);
    // No column of a survey table holds a time of day.
    const { rows: columns } = await stack.pool.query<{ table_name: string; column_name: string; data_type: string }>(
      "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name LIKE 'survey%'",
    );
    expect(columns.filter((c) => /time/.test(c.data_type))).toEqual([]);
    // Nothing the browser saw at redemption is kept anywhere: not the code, the blinded message, the blind signature.
    const all = (await stack.pool.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")).rows as { table_name: string }[];
    const needles = seen.slice(0, 10).flatMap((x) => [Buffer.from(x.blinded), Buffer.from(x.blindSignature), Buffer.from(x.code.replace(/-/g, ''))]);
    for (const { table_name } of all) {
      for (const row of (await stack.pool.query(`SELECT * FROM "${table_name}"`)).rows as Record<string, unknown>[]) {
        for (const v of Object.values(row)) {
          const items = Array.isArray(v) ? v : [v];
          for (const item of items) {
            const bytes = Buffer.isBuffer(item) ? item : Buffer.from(typeof item === 'string' ? item : JSON.stringify(item ?? null));
            for (const n of needles) expect(bytes.includes(n)).toBe(false);
          }
        }
      }
    }
    // …nor in the api's logs.
    const logs = stack.apiLogs.join('\n');
    for (const x of seen.slice(0, 10)) {
      expect(logs).not.toContain(x.code);
      expect(logs).not.toContain(toB64(x.blinded).slice(0, 40));
      expect(logs).not.toContain(toB64(x.token).slice(0, 40));
    }
  });
});
