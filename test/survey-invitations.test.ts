// Issue 15, deliverable 2(b): invitation codes e-mailed content-free through the outbox to a list
// of addresses that is not stored after sending. Real api, Postgres, Redis, SMTP sink and worker.
import { randomUUID } from 'node:crypto';
import { ready } from '../packages/crypto/src';
import { paths, surveys, type StaffClient } from '../packages/client/src';
import { SURVEY_TEMPLATE, type PublicIteration, type SurveyResponseBody } from '../packages/core/src';
import { insertStaffUser, insertSurveyInvitationMails } from '../packages/db/src';
import { Transport } from '../packages/client/src/transport';
import { runSweep } from '../apps/worker/src/sweep';
import { scanForSecrets } from './helpers/privacy-scan';
import { signedInStaff } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

jest.setTimeout(300_000);

let stack: TestStack;
let analyst: StaffClient;
let t: Transport;
let iteration: PublicIteration;

const CODE = /\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b/g;
const count = async (sql: string): Promise<number> => Number((await stack.pool.query<{ n: string }>(sql)).rows[0]!.n);
const stored = async () => ({
  codes: await count('SELECT count(*) AS n FROM survey_codes'),
  mails: await count('SELECT count(*) AS n FROM survey_invitation_mail'),
  events: await count("SELECT count(*) AS n FROM outbox WHERE topic = 'survey.invitation'"),
});

function officialBody(): SurveyResponseBody {
  const officials = SURVEY_TEMPLATE.questionnaires.find((q) => q.group === 'officials')!;
  return { v: 1, group: 'officials', language: 'en', answers: officials.questions.filter((q) => q.kind === 'agreement-5').map((q) => ({ q: q.id, a: 4 })) };
}

beforeAll(async () => {
  await ready();
  stack = await startStack();
  const p = { id: randomUUID(), email: `analyst.${randomUUID().slice(0, 6)}@test.sauti.invalid` };
  await insertStaffUser(stack.pool, { ...p, displayName: 'analyst', unitId: null, roles: ['analyst'], status: 'active' });
  analyst = await signedInStaff(stack, p);
  t = new Transport(stack.api.url);
  const survey = await surveys.createSurvey(analyst.session, SURVEY_TEMPLATE);
  iteration = await surveys.fetchIteration(t, (await surveys.openIteration(analyst.session, survey.id, false)).id);
});

afterAll(async () => {
  await stack?.stop();
});

describe('survey invitations by e-mail', () => {
  it('when the list holds a bad, a repeated or too many addresses, or none, then it is refused with 400 naming them and nothing is stored', async () => {
    const send = (body: unknown) => analyst.session.transport.call<{ error: string; issues?: { field: string; message: string }[] }>('POST', paths.surveys.invitations(iteration.id), body);
    const bad = await send({ emails: ['ok.one@invitee.test', 'not-an-address', 'OK.one@invitee.test', 'two@invitee'] });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([
      { field: 'emails.1', message: '"not-an-address" is not an e-mail address' },
      { field: 'emails.2', message: '"OK.one@invitee.test" is listed twice' },
      { field: 'emails.3', message: '"two@invitee" is not an e-mail address' },
    ]);
    expect((await send({ emails: [] })).status).toBe(400);
    const tooMany = await send({ emails: Array.from({ length: 1001 }, (_, i) => `p${i}@invitee.test`) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.issues?.[0]?.message).toMatch(/at most 1000/);
    expect((await send({ emails: 'a@invitee.test' })).status).toBe(400);
    expect((await send({ emails: ['a@invitee.test'], extra: 1 })).status).toBe(400);
    expect((await analyst.session.transport.call('POST', paths.surveys.invitations(randomUUID()), { emails: ['a@invitee.test'] })).status).toBe(404);
    expect(await stored()).toEqual({ codes: 0, mails: 0, events: 0 });
    // The refused addresses did not reach a log either.
    expect((await scanForSecrets(stack, [{ label: 'refused address', value: 'not-an-address' }])).hits).toEqual([]);
  });

  it('when three addresses are invited, then each gets one e-mail with its own working code, and afterwards no table, Redis key or log holds an address or a code', async () => {
    const emails = ['first.invitee@invitee.test', 'second.invitee@invitee.test', 'third.invitee@invitee.test'];
    expect(await surveys.sendInvitations(analyst.session, iteration.id, emails)).toEqual({ queued: 3 });
    expect(await stored()).toMatchObject({ codes: 3, events: 3 });

    const mails = await waitFor('three invitation e-mails', async () => {
      const found = emails.map((e) => stack.mail.find((m) => m.to.includes(e)));
      return found.every(Boolean) ? found.map((m) => m!) : null;
    }, 30_000, () => `${stack.mail.length} e-mails`);
    expect(stack.mail.filter((m) => emails.some((e) => m.to.includes(e)))).toHaveLength(3);
    const codes = mails.map((m) => {
      // quoted-printable: undo the soft line breaks.
      const text = m.raw.replace(/=\r?\n/g, '');
      const found = text.match(CODE) ?? [];
      expect(new Set(found).size).toBe(1);
      expect(text).toContain(`/survey/${iteration.id}`);
      // Content-free: neither the survey's title nor its topic.
      expect(text).not.toMatch(/integrity|corruption|customs|Arusha/i);
      return found[0]!;
    });
    expect(new Set(codes).size).toBe(3);

    // Each code works once, through the client, and gives one response.
    for (const code of codes) {
      const token = await surveys.redeemCode(t, iteration, code);
      await surveys.answerSurvey(t, iteration, officialBody(), { token });
    }
    expect(await surveys.getIteration(analyst.session, iteration.id)).toMatchObject({ responses: 3, codesRedeemed: 3, codesIssued: 3 });

    // The worker deleted each row once its e-mail was sent.
    await waitFor('the invitation rows to be deleted', async () => (await stored()).mails === 0, 20_000);
    const { rows } = await stack.pool.query<{ details: Record<string, unknown> }>("SELECT details FROM audit_events WHERE action = 'survey.invitations_sent'");
    expect(rows.map((r) => r.details)).toEqual([{ iterationId: iteration.id, count: 3 }]);

    const needles = [
      ...emails.map((e) => ({ label: `address ${e}`, value: e })),
      ...emails.map((e) => ({ label: `local part of ${e}`, value: e.split('@')[0]! })),
      ...codes.map((c) => ({ label: `code ${c}`, value: c })),
      ...codes.map((c) => ({ label: `code ${c} without dashes`, value: c.replace(/-/g, '') })),
    ];
    const scan = await scanForSecrets(stack, needles);
    expect(scan.hits).toEqual([]);
    // The scan looked where the address and the code had been.
    expect(scan.scanned.rows).toBeGreaterThan(0);
    expect(scan.scanned.redisKeys).toBeGreaterThan(0);
    expect(scan.scanned.logLines).toBeGreaterThan(0);
  });

  it('when the SMTP server refuses, then the address and code stay for the retry, and are deleted once the retry is sent', async () => {
    const email = 'retry.invitee@invitee.test';
    const logsBefore = stack.workerLogs.length;
    stack.setSmtpRejecting(true);
    try {
      expect(await surveys.sendInvitations(analyst.session, iteration.id, [email])).toEqual({ queued: 1 });
      await waitFor('a refused attempt', async () => stack.workerLogs.slice(logsBefore).some((l) => l.includes('job failed') && l.includes('"queue":"invite"')), 30_000);
      expect((await stored()).mails).toBe(1);
      // Only the error's code reached the log, never the address.
      expect(stack.workerLogs.some((l) => l.includes(email))).toBe(false);
    } finally {
      stack.setSmtpRejecting(false);
    }
    await waitFor('the retried e-mail', async () => stack.mail.find((m) => m.to.includes(email)), 60_000);
    await waitFor('the row to be deleted', async () => (await stored()).mails === 0, 20_000);
  });

  it('when an invitation cannot be sent before it expires, then the sweep forgets the address and the code', async () => {
    await insertSurveyInvitationMails(stack.pool, iteration.id, [{ id: randomUUID(), email: 'late.invitee@invitee.test', code: 'AAAA-BBBB-CCCC-DDDD' }], -1);
    expect((await stored()).mails).toBe(1);
    const needles = [{ label: 'late address', value: 'late.invitee@invitee.test' }, { label: 'late code', value: 'AAAA-BBBB-CCCC-DDDD' }];
    // The scan of the test above would have seen an unsent row.
    expect((await scanForSecrets(stack, needles)).hits.map((h) => h.where)).toEqual([
      'postgres survey_invitation_mail[0].email', 'postgres survey_invitation_mail[0].code',
    ]);
    await runSweep(stack.pool, { staleDigestSeconds: 3600 });
    expect((await stored()).mails).toBe(0);
    expect((await scanForSecrets(stack, needles)).hits).toEqual([]);
  });

  it('when the iteration is closed, then invitations are refused with 409 and nothing is stored', async () => {
    await surveys.closeIteration(analyst.session, iteration.id);
    const before = await stored();
    const closed = await analyst.session.transport.call('POST', paths.surveys.invitations(iteration.id), { emails: ['late@invitee.test'] });
    expect(closed.status).toBe(409);
    expect(await stored()).toEqual(before);
  });
});
