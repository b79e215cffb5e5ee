import { randomUUID } from 'node:crypto';
import { generateKeyPair, ready } from '../packages/crypto/src';
import { ReporterClient, type StaffClient } from '../packages/client/src';
import { insertStaffUser, insertUnit } from '../packages/db/src';
import { createProducerConnection, createQueue } from '../packages/jobs/src';
import { runSweep } from '../apps/worker/src/sweep';
import { seedOrganisation } from './helpers/fixtures';
import { expectEachNotificationSentOnce } from './helpers/notifications';
import { cheapReport } from './helpers/reports';
import { startStack, type TestStack } from './helpers/stack';
import { signedInStaff } from './helpers/staff';
import { waitFor, waitForCount } from './helpers/wait';

beforeAll(ready);

async function submit(stack: TestStack, contextId: string, options: { category: string; exclude?: string[] }) {
  const client = new ReporterClient(stack.api.url);
  const intake = await client.intake();
  const context = intake.contexts.find((c) => c.id === contextId)!;
  const prepared = cheapReport(intake, context, { category: options.category, exclude: options.exclude });
  const answer = await client.submit({ ...prepared.request, pow: await client.proofOfWork() });
  if (answer.status !== 201) throw new Error(`submit answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return prepared.request.id;
}

const triaged = (stack: TestStack, caseId: string) =>
  waitFor(`triage of ${caseId}`, async () => {
    const { rows } = await stack.pool.query<{ assignee_id: string | null; triaged_at: Date | null; received_at: Date; acknowledge_due_at: Date; priority: string; unit_id: string | null }>(
      'SELECT assignee_id, triaged_at, received_at, acknowledge_due_at, priority, unit_id FROM cases WHERE id = $1', [caseId]);
    return rows[0]?.triaged_at ? rows[0] : null;
  });

async function auditOf(stack: TestStack, caseId: string) {
  const { rows } = await stack.pool.query<{ action: string; details: Record<string, unknown> }>('SELECT action, details FROM audit_events WHERE case_id = $1 ORDER BY seq', [caseId]);
  return rows;
}

describe('routing, assignment and escalation', () => {
  let stack: TestStack;
  let org: Awaited<ReturnType<typeof seedOrganisation>>;
  let admin: StaffClient;
  const unitB = randomUUID();
  const b1 = { id: randomUUID(), email: `b1.${randomUUID().slice(0, 6)}@test.sauti.invalid`, keyPair: null as unknown as ReturnType<typeof generateKeyPair> };
  const supervisorB = { id: randomUUID(), email: `sup.${randomUUID().slice(0, 6)}@test.sauti.invalid`, keyPair: null as unknown as ReturnType<typeof generateKeyPair> };
  const adminPerson = { id: randomUUID(), email: `admin.${randomUUID().slice(0, 6)}@test.sauti.invalid` };
  const ruleId = randomUUID();

  beforeAll(async () => {
    await ready();
    b1.keyPair = generateKeyPair();
    supervisorB.keyPair = generateKeyPair();
    stack = await startStack({ env: { SWEEP_INTERVAL_MS: '3600000' } });
    org = await seedOrganisation(stack.pool, { investigators: 2, maxExclusions: 2 });
    await insertUnit(stack.pool, { id: unitB, name: `Unit B ${unitB.slice(0, 6)}` });
    await insertStaffUser(stack.pool, { id: b1.id, email: b1.email, displayName: 'B one', unitId: unitB, roles: ['investigator'], status: 'active', publicKey: b1.keyPair.publicKey });
    // The supervisor of unit B is a member of unit A and a recipient, so a reporter can exclude them.
    await insertStaffUser(stack.pool, { id: supervisorB.id, email: supervisorB.email, displayName: 'Supervisor B', unitId: org.unitId, roles: ['supervisor', 'investigator'], status: 'active', publicKey: supervisorB.keyPair.publicKey });
    await insertStaffUser(stack.pool, { id: adminPerson.id, email: adminPerson.email, displayName: 'Admin', unitId: null, roles: ['admin'], status: 'active' });
    await stack.pool.query('UPDATE units SET supervisor_id = $1 WHERE id = $2', [supervisorB.id, unitB]);
    await stack.pool.query('INSERT INTO context_recipients (context_id, user_id) VALUES ($1, $2), ($1, $3)', [org.contextId, b1.id, supervisorB.id]);
    // Workload, so that the default rule's least-loaded choice is not the supervisor or b1.
    await stack.pool.query(`UPDATE staff_users SET last_assigned_at = now() WHERE id = ANY($1)`, [[b1.id, supervisorB.id]]);
    admin = await signedInStaff(stack, adminPerson);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('when an admin saves an inconsistent rule set, then it is refused with 400 naming each problem, and nothing changes', async () => {
    const answer = await admin.call('PUT', '/api/v1/admin/routing-rules', {
      rules: [
        { id: randomUUID(), name: 'default first', isDefault: true },
        { id: randomUUID(), name: 'unknown unit', categoryId: 'other', targetUnitId: randomUUID() },
      ],
    });
    expect(answer.status).toBe(400);
    expect((answer.body as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual(['rules.0.isDefault', 'rules.1.targetUnitId']);
    expect((await admin.call<{ rules: unknown[] }>('GET', '/api/v1/admin/routing-rules')).body.rules).toEqual([]);
  });

  it('when a rule sends a category to unit B, then the dry run says so and why', async () => {
    const saved = await admin.call('PUT', '/api/v1/admin/routing-rules', {
      rules: [
        { id: ruleId, name: 'Other → unit B', categoryId: 'other', targetUnitId: unitB, priority: 'high', acknowledgeDays: 3, feedbackDays: 60 },
        { id: randomUUID(), name: 'Everything else', isDefault: true },
      ],
    });
    expect(saved.status).toBe(200);
    const dry = await admin.call<{ rule: { name: string }; unit: { id: string }; priority: string; acknowledgeDays: number; eligibleRecipientIds: string[]; explanation: string[] }>(
      'POST', '/api/v1/admin/routing-rules/dry-run', { contextId: org.contextId, categoryId: 'other' });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ rule: { name: 'Other → unit B' }, unit: { id: unitB }, priority: 'high', acknowledgeDays: 3, eligibleRecipientIds: [b1.id] });
    expect(dry.body.explanation[0]).toBe('"Other → unit B" matches: first match wins');
    const fallback = await admin.call<{ rule: { name: string }; explanation: string[] }>('POST', '/api/v1/admin/routing-rules/dry-run', { contextId: org.contextId, categoryId: 'bribery-extortion' });
    expect(fallback.body.rule.name).toBe('Everything else');
    expect(fallback.body.explanation[0]).toMatch(/does not match: categoryId is "bribery-extortion"/);
    expect((await admin.call('POST', '/api/v1/admin/routing-rules/dry-run', { contextId: org.contextId })).status).toBe(400);
  });

  it('when a case matches the rule, then it goes to unit B with the rule\'s priority and deadline', async () => {
    const caseId = await submit(stack, org.contextId, { category: 'other' });
    const c = await triaged(stack, caseId);
    expect(c).toMatchObject({ assignee_id: b1.id, priority: 'high', unit_id: unitB });
    expect(c.acknowledge_due_at.getTime() - c.received_at.getTime()).toBe(3 * 86_400_000);
    expect((await auditOf(stack, caseId)).map((a) => a.action)).toEqual(['case.received', 'case.assigned']);
  });

  it('when nobody in the unit is eligible, then the case escalates to the unit supervisor, and the audit says why', async () => {
    const caseId = await submit(stack, org.contextId, { category: 'other', exclude: [b1.id] });
    expect((await triaged(stack, caseId)).assignee_id).toBe(supervisorB.id);
    const audit = await auditOf(stack, caseId);
    expect(audit[1]).toMatchObject({ action: 'case.escalated', details: { to: 'supervisor', assigneeId: supervisorB.id, reason: expect.stringMatching(/none of 1 recipient/) } });

    // The supervisor holds the case, but may not hand it to the person the reporter excluded.
    const supervisor = await signedInStaff(stack, supervisorB);
    const refused = await supervisor.grant(caseId, { id: b1.id, publicKey: b1.keyPair.publicKey });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'The reporter asked that this person must not receive the case.' });
    expect((await stack.pool.query('SELECT 1 FROM case_key_wraps WHERE case_id = $1 AND recipient_id = $2', [caseId, b1.id])).rowCount).toBe(0);
  });

  it('when the reporter also excluded the supervisor, then escalation skips them and goes to an admin', async () => {
    const caseId = await submit(stack, org.contextId, { category: 'other', exclude: [b1.id, supervisorB.id] });
    expect((await triaged(stack, caseId)).assignee_id).toBe(adminPerson.id);
    expect((await auditOf(stack, caseId))[1]).toMatchObject({ action: 'case.escalated', details: { to: 'admin' } });
  });

  it('when no rule targets a unit, then the least-loaded recipient of the context gets it', async () => {
    const caseId = await submit(stack, org.contextId, { category: 'bribery-extortion' });
    expect(org.investigators.map((i) => i.id)).toContain((await triaged(stack, caseId)).assignee_id);
  });

  it('when deadlines approach and pass, then the assignee is reminded once and the supervisor is alerted once', async () => {
    const caseId = await submit(stack, org.contextId, { category: 'other' });
    await triaged(stack, caseId);
    const kinds = async () => (await stack.pool.query<{ user_id: string; kind: string }>(
      `SELECT user_id, kind FROM notifications WHERE kind LIKE 'deadline%' ORDER BY created_at, kind, user_id`)).rows;

    await stack.pool.query(`UPDATE cases SET acknowledge_due_at = now() + interval '1 day' WHERE id = $1`, [caseId]);
    expect(await runSweep(stack.pool, { staleDigestSeconds: 900 })).toMatchObject({ reminders: 1, escalations: 0 });
    expect(await runSweep(stack.pool, { staleDigestSeconds: 900 })).toMatchObject({ reminders: 0, escalations: 0 });
    expect(await kinds()).toEqual([{ user_id: b1.id, kind: 'deadline_reminder' }]);

    await stack.pool.query(`UPDATE cases SET acknowledge_due_at = now() - interval '1 minute' WHERE id = $1`, [caseId]);
    expect(await runSweep(stack.pool, { staleDigestSeconds: 900 })).toMatchObject({ reminders: 0, escalations: 1 });
    expect(await runSweep(stack.pool, { staleDigestSeconds: 900 })).toMatchObject({ escalations: 0 });
    const after = await kinds();
    expect(after.slice(1)).toEqual(expect.arrayContaining([{ user_id: supervisorB.id, kind: 'deadline_passed' }, { user_id: b1.id, kind: 'deadline_passed' }]));
    expect((await auditOf(stack, caseId)).map((a) => a.action)).toEqual(['case.received', 'case.assigned', 'case.deadline_reminder', 'case.deadline_passed']);

    // Acknowledged: the acknowledgement deadline no longer alerts; the feedback one does.
    await stack.pool.query(`UPDATE cases SET status = 'acknowledged', acknowledged_at = now(), feedback_due_at = now() - interval '1 minute' WHERE id = $1`, [caseId]);
    expect(await runSweep(stack.pool, { staleDigestSeconds: 900 })).toMatchObject({ reminders: 0, escalations: 1 });
    await expectEachNotificationSentOnce(stack);
  });

  it('when the rule shortens feedback and a holder extends it with a reason, then the deadline moves within the legal limit', async () => {
    const caseId = await submit(stack, org.contextId, { category: 'other' });
    expect((await triaged(stack, caseId)).assignee_id).toBe(b1.id);
    const handler = await signedInStaff(stack, b1);
    expect((await handler.changeStatus(caseId, 'acknowledged')).status).toBe(200);
    const dates = async () => (await stack.pool.query<{ acknowledged_at: Date; feedback_due_at: Date }>('SELECT acknowledged_at, feedback_due_at FROM cases WHERE id = $1', [caseId])).rows[0]!;
    const before = await dates();
    expect(before.feedback_due_at.getTime() - before.acknowledged_at.getTime()).toBe(60 * 86_400_000);

    const reason = Buffer.alloc(64, 9).toString('base64url'); // opaque to the server: aead(staffKey, …) in a real client
    const path = `/api/v1/staff/cases/${caseId}/feedback-extension`;
    const extended = await handler.call<{ feedbackDueAt: string }>('POST', path, { days: 150, reason });
    expect(extended.status).toBe(200);
    expect(new Date(extended.body.feedbackDueAt).getTime() - before.acknowledged_at.getTime()).toBe(150 * 86_400_000);
    expect((await handler.call('POST', path, { days: 100, reason })).status).toBe(400);
    expect((await handler.call('POST', path, { days: 200, reason })).status).toBe(400);
    expect((await handler.call('POST', path, { days: 170 })).status).toBe(400);
    expect((await admin.call('POST', path, { days: 170, reason })).status).toBe(404);
    expect((await auditOf(stack, caseId)).map((a) => a.action)).toContain('case.feedback_extended');
  });

  it('when the worker runs, then the sweep is registered as a BullMQ job scheduler in Redis', async () => {
    const connection = createProducerConnection(stack.config.REDIS_URL);
    const queue = createQueue('maintenance', connection, stack.config.QUEUE_PREFIX);
    try {
      await waitFor('the sweep scheduler', async () => (await queue.getJobSchedulers()).some((s) => s.key === 'sweep'));
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it('when a closed case is past retention, then it is purged and audited without content — unless on legal hold', async () => {
    const purged = await submit(stack, org.contextId, { category: 'bribery-extortion' });
    const held = await submit(stack, org.contextId, { category: 'bribery-extortion' });
    await Promise.all([triaged(stack, purged), triaged(stack, held)]);
    await stack.pool.query(`UPDATE cases SET status = 'closed', closed_at = now() - interval '400 days' WHERE id = ANY($1)`, [[purged, held]]);
    expect((await admin.call('PUT', `/api/v1/admin/cases/${held}/legal-hold`, { hold: true })).status).toBe(200);
    expect((await admin.call('PUT', `/api/v1/admin/cases/${randomUUID()}/legal-hold`, { hold: true })).status).toBe(404);
    expect((await admin.call('PUT', `/api/v1/admin/cases/${held}/legal-hold`, { hold: 'yes' })).status).toBe(400);

    expect((await runSweep(stack.pool, { staleDigestSeconds: 900 })).purged).toBe(1);
    const remaining = await stack.pool.query<{ id: string }>('SELECT id FROM cases WHERE id = ANY($1)', [[purged, held]]);
    expect(remaining.rows.map((r) => r.id)).toEqual([held]);
    for (const table of ['case_key_wraps', 'messages', 'case_status_history']) {
      expect((await stack.pool.query(`SELECT 1 FROM ${table} WHERE case_id = $1`, [purged])).rowCount).toBe(0);
    }
    const audit = await auditOf(stack, purged);
    expect(audit.at(-1)).toEqual({ action: 'case.purged', details: { contextId: org.contextId, reason: 'retention period over' } });
    expect((await auditOf(stack, held)).map((a) => a.action)).toContain('case.legal_hold_placed');
  });

  it('when metrics are scraped, then they carry counts by route pattern and never an id', async () => {
    const response = await fetch(new URL('/metrics', stack.api.url));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/sauti_http_requests_total\{method="POST",route="\/api\/v1\/reports",status="201"\} \d+/);
    expect(text).toMatch(/sauti_queue_jobs\{queue="triage",state="waiting"\} \d+/);
    expect(text).toMatch(/sauti_cases\{status="received"\} \d+/);
    // Issue 17: requests the sweep had to recover show up, so operators see if the first line fails.
    await stack.pool.query("UPDATE operational_counters SET value = value + 2 WHERE name = 'sweep_recovered_notifications'");
    const after = await (await fetch(new URL('/metrics', stack.api.url))).text();
    const recovered = (t: string) => Number(/sauti_sweep_recovered_notifications_total (\d+)/.exec(t)?.[1]);
    expect(recovered(after)).toBe(recovered(text) + 2);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
    expect(text).not.toContain('@test.sauti.invalid');
  });

  it('when an admin looks at queue health, then depths are shown; a non-admin is refused', async () => {
    const queues = await admin.call<{ items: { name: string; counts: Record<string, number> }[] }>('GET', '/api/v1/admin/queues');
    expect(queues.status).toBe(200);
    expect(queues.body.items.map((q) => q.name)).toEqual(expect.arrayContaining(['triage', 'notify', 'maintenance']));
    expect((await admin.call('GET', '/api/v1/admin/queues/nope/failed')).status).toBe(404);
    const investigator = await signedInStaff(stack, org.investigators[0]!);
    expect((await investigator.call('GET', '/api/v1/admin/queues')).status).toBe(403);
  });
});

describe('notification digests and failures', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ env: { NOTIFY_DELAY_MAX_MS: '3000', NOTIFY_ATTEMPTS: '2', SWEEP_INTERVAL_MS: '3600000' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('when several notifications for one person come within the delay, then one content-free e-mail carries them', async () => {
    const org = await seedOrganisation(stack.pool, { investigators: 1 });
    await Promise.all([submit(stack, org.contextId, { category: 'other' }), submit(stack, org.contextId, { category: 'other' })]);
    await waitForCount('notifications requested', async () => (await stack.pool.query('SELECT 1 FROM notifications')).rowCount ?? 0, 2);
    const delivered = await expectEachNotificationSentOnce(stack);
    expect(delivered).toEqual({ notifications: 2, emails: 1 });
    expect(stack.mail[0]!.raw).toMatch(/A new case awaits you/);
  });

  it('when SMTP keeps refusing, then after the last attempt the notification is visible to admins as failed; a retry sends it', async () => {
    const org = await seedOrganisation(stack.pool, { investigators: 1 });
    const adminPerson = { id: randomUUID(), email: `adm.${randomUUID().slice(0, 6)}@test.sauti.invalid` };
    await insertStaffUser(stack.pool, { id: adminPerson.id, email: adminPerson.email, displayName: 'Admin', unitId: null, roles: ['admin'], status: 'active' });
    const admin = await signedInStaff(stack, adminPerson);
    stack.setSmtpRejecting(true);
    const before = stack.mail.length;
    await submit(stack, org.contextId, { category: 'other' });
    const failed = await waitFor('the notification to fail for good', async () => {
      const answer = await admin.call<{ items: { email: string; kind: string; attempts: number; lastError: string }[] }>('GET', '/api/v1/admin/notifications/failed');
      return answer.body.items.length > 0 ? answer.body.items : null;
    }, 30_000);
    expect(failed).toEqual([expect.objectContaining({ email: org.investigators[0]!.email, kind: 'new_case', attempts: 2 })]);
    expect(stack.mail.length).toBe(before);

    stack.setSmtpRejecting(false);
    expect((await admin.call('POST', '/api/v1/admin/notifications/retry')).body).toEqual({ people: 1 });
    await waitForCount('e-mails received (the retried one included)', async () => stack.mail.length, before + 1);
    expect((await admin.call<{ items: unknown[] }>('GET', '/api/v1/admin/notifications/failed')).body.items).toEqual([]);
  });
});
