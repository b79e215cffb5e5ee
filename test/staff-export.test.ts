import { fromB64, openKeyWrap, openReport, ready } from '../packages/crypto/src';
import { prepareReport, ReporterClient } from '../packages/client/src';
import { seedOrganisation } from './helpers/fixtures';
import { startStack, type TestStack } from './helpers/stack';
import { signedInStaff } from './helpers/staff';
import { waitFor } from './helpers/wait';

let stack: TestStack;

beforeAll(async () => {
  await ready();
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('case export', () => {
  it('when the assignee exports a case, then it gets every ciphertext with its own key wrap, which its client opens; the export is audited; a person without a key wrap gets 404, a reporter token 401', async () => {
    const org = await seedOrganisation(stack.pool, { investigators: 2 });
    const reporter = new ReporterClient(stack.api.url);
    const intake = await reporter.intake();
    const context = intake.contexts.find((c) => c.id === org.contextId)!;
    const excluded = org.investigators[1]!;
    const prepared = prepareReport(intake, { context, body: { text: 'export me' }, category: 'other', exclude: [excluded.id] });
    expect((await reporter.submit({ ...prepared.request, pow: await reporter.proofOfWork() })).status).toBe(201);
    const caseId = prepared.request.id;
    const assigneeId = await waitFor('assignment', async () =>
      (await stack.pool.query<{ assignee_id: string | null }>('SELECT assignee_id FROM cases WHERE id = $1', [caseId])).rows[0]?.assignee_id);
    const holder = org.investigators.find((i) => i.id === assigneeId)!;
    const staff = await signedInStaff(stack, holder);

    const answer = await staff.call<{ format: string; case: { id: string; report: string; keyWrap: { recipientId: string; sealedKey: string } }; files: unknown[] }>(
      'GET', `/api/v1/staff/cases/${caseId}/export`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename="sauti-case-SA-[0-9A-Z]{4}-[0-9A-Z]{4}\.json"$/);
    expect(answer.body).toMatchObject({ format: 'sauti-case-export/1', case: { id: caseId, keyWrap: { recipientId: holder.id } }, files: [] });
    const keys = openKeyWrap(holder.keyPair, fromB64(answer.body.case.keyWrap.sealedKey));
    expect(openReport(keys.caseKey, caseId, fromB64(answer.body.case.report))).toMatchObject({ text: 'export me' });

    const { rows } = await stack.pool.query<{ action: string; actor_id: string }>("SELECT action, actor_id FROM audit_events WHERE case_id = $1 AND actor_type = 'staff'", [caseId]);
    expect(rows).toEqual([{ action: 'case.exported', actor_id: holder.id }]);

    const other = await signedInStaff(stack, excluded);
    expect((await other.call('GET', `/api/v1/staff/cases/${caseId}/export`)).status).toBe(404);
    expect((await reporter.call('GET', `/api/v1/staff/cases/${caseId}/export`)).status).toBe(401);
  });
});
