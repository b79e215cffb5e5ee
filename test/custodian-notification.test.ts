import { randomUUID } from 'node:crypto';
import { generateKeyPair, ready } from '../packages/crypto/src';
import { insertStaffUser } from '../packages/db/src';
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

describe('access changes', () => {
  it('when an admin makes themself a recipient and grants a role, then every admin and supervisor gets a content-free e-mail and the audit log says what changed', async () => {
    const org = await seedOrganisation(stack.pool, { investigators: 1, label: 'ACCESS-ctx' });
    const [adminId, otherAdminId, supervisorId, bystanderId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const admin = { id: adminId, email: `adm.${adminId.slice(0, 6)}@test.sauti.invalid`, displayName: 'ACCESS-admin', keyPair: generateKeyPair() };
    await insertStaffUser(stack.pool, { ...admin, unitId: null, roles: ['admin', 'investigator'], status: 'active', publicKey: admin.keyPair.publicKey });
    const others = [
      { id: otherAdminId, email: `adm2.${otherAdminId.slice(0, 6)}@test.sauti.invalid`, roles: ['admin'] },
      { id: supervisorId, email: `sup.${supervisorId.slice(0, 6)}@test.sauti.invalid`, roles: ['supervisor'] },
      { id: bystanderId, email: `inv.${bystanderId.slice(0, 6)}@test.sauti.invalid`, roles: ['investigator'] },
    ];
    for (const o of others) await insertStaffUser(stack.pool, { id: o.id, email: o.email, displayName: 'ACCESS-other', unitId: org.unitId, roles: o.roles, status: 'active' });
    const client = await signedInStaff(stack, admin);

    // The lever: an admin quietly adding themself to every future report of a channel.
    const put = await client.call('PUT', `/api/v1/admin/contexts/${org.contextId}/recipients`, { userIds: [org.investigators[0]!.id, adminId] });
    expect(put.status).toBe(200);
    const oversight = [admin.email, others[0]!.email, others[1]!.email];
    for (const to of oversight) {
      const mail = await waitFor(`the access e-mail to ${to}`, async () => stack.mail.find((m) => m.to.includes(to) && /access change/.test(m.raw)) ?? null, 30_000);
      const raw = mail.raw.replace(/=\r?\n/g, '');
      expect(raw).toMatch(/Subject: Sauti: an access change to review/);
      for (const secret of ['ACCESS-', org.contextId, adminId, 'recipient']) expect(raw).not.toContain(secret);
    }
    // Only oversight is told: not the investigator who merely works there.
    expect(stack.mail.find((m) => m.to.includes(others[2]!.email))).toBeUndefined();

    // A role grant is an access change too: granting custodian to a colleague.
    const before = await stack.pool.query(`SELECT 1 FROM notifications WHERE kind = 'access_changed' AND user_id = $1`, [otherAdminId]);
    const patch = await client.call('PATCH', `/api/v1/admin/staff/${bystanderId}`, { roles: ['investigator', 'custodian'] });
    expect(patch.status).toBe(200);
    const after = await stack.pool.query(`SELECT 1 FROM notifications WHERE kind = 'access_changed' AND user_id = $1`, [otherAdminId]);
    expect(after.rowCount).toBe(before.rowCount! + 1);
    // Renaming someone is not an access change.
    expect((await client.call('PATCH', `/api/v1/admin/staff/${bystanderId}`, { displayName: 'ACCESS-renamed' })).status).toBe(200);
    expect((await stack.pool.query(`SELECT 1 FROM notifications WHERE kind = 'access_changed' AND user_id = $1`, [otherAdminId])).rowCount).toBe(after.rowCount);

    const { rows: audit } = await stack.pool.query<{ action: string; details: Record<string, unknown> }>(
      `SELECT action, details FROM audit_events WHERE actor_id = $1 AND action IN ('admin.context_people_changed', 'admin.staff_updated') ORDER BY seq`, [adminId],
    );
    expect(audit[0]).toMatchObject({ action: 'admin.context_people_changed', details: { contextId: org.contextId, list: 'recipients', added: [adminId], removed: [] } });
    expect(audit[1]).toMatchObject({ action: 'admin.staff_updated', details: { userId: bystanderId, roles: ['investigator', 'custodian'], previousRoles: ['investigator'] } });
  });
});
