import { ready } from '../packages/crypto/src';
import { prepareReport, ReporterClient } from '../packages/client/src';
import { seedOrganisation } from './helpers/fixtures';
import { signedInStaff } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

jest.setTimeout(120_000);

let stack: TestStack;

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: true });
});

afterAll(async () => {
  await stack?.stop();
});

describe('custodian notification', () => {
  it('when a handler asks for a reporter\'s identity, then each custodian gets one content-free e-mail through the notification pipeline', async () => {
    const org = await seedOrganisation(stack.pool, { investigators: 1 });
    const investigator = org.investigators[0]!;
    const custodian = org.custodians[0]!;
    const reporter = new ReporterClient(stack.api.url);
    const intake = await reporter.intake();
    const context = intake.contexts.find((c) => c.id === org.contextId)!;
    const prepared = prepareReport(intake, { context, body: { text: 'NOTIFY-report-text' }, category: 'other', identity: { name: 'NOTIFY-name' } });
    expect((await reporter.submit({ ...prepared.request, pow: await reporter.proofOfWork() })).status).toBe(201);
    const caseId = prepared.request.id;
    const { rows: ref } = await stack.pool.query<{ reference: string }>('SELECT reference FROM cases WHERE id = $1', [caseId]);

    const handler = await signedInStaff(stack, investigator);
    const asked = await handler.requestIdentity(caseId, 'NOTIFY-reason: the witness must be interviewed');
    expect(asked.status).toBe(201);

    const { rows } = await stack.pool.query<{ id: string; kind: string }>('SELECT id, kind FROM notifications WHERE user_id = $1', [custodian.id]);
    expect(rows.map((r) => r.kind)).toEqual(['identity_request']);
    const { rows: events } = await stack.pool.query<{ payload: { userId: string } }>(
      `SELECT payload FROM outbox WHERE topic = 'notification.requested' AND aggregate_id = $1`, [rows[0]!.id],
    );
    expect(events.map((e) => e.payload)).toEqual([{ userId: custodian.id }]);

    const mail = await waitFor('the custodian\'s e-mail', async () => stack.mail.find((m) => m.to.includes(custodian.email)) ?? null, 30_000);
    const raw = mail.raw.replace(/=\r?\n/g, '');
    expect(raw).toMatch(/Subject: Sauti: something awaits you/);
    for (const secret of [caseId, ref[0]!.reference, 'NOTIFY-', 'identity', investigator.displayName]) expect(raw).not.toContain(secret);
    await waitFor('the notification to be marked sent', async () => {
      const { rows: sent } = await stack.pool.query('SELECT 1 FROM notifications WHERE user_id = $1 AND sent_at IS NOT NULL', [custodian.id]);
      return sent.length === 1;
    });
    // Asking again while the first request waits is refused, and tells nobody twice.
    expect((await handler.requestIdentity(caseId, 'again')).status).toBe(409);
    const { rows: after } = await stack.pool.query('SELECT 1 FROM notifications WHERE user_id = $1', [custodian.id]);
    expect(after).toHaveLength(1);
  });
});
