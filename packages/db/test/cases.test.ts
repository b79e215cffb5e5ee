import {
  applyCaseStatus,
  assignCase,
  claimDueDeadlineAlerts,
  deleteCase,
  extendFeedbackDeadline,
  getIdentityDisclosedAt,
  insertIdentityGrant,
  listAssignmentCandidates,
  listStaleUntriagedCases,
  lockCaseForTriage,
  lockCasesToPurge,
  lockCaseState,
  lockFeedbackDeadline,
  setCaseAssignee,
  setLegalHold,
  withTransaction,
} from '@sauti/db';
import { makeCase, openDatabase, useDatabase } from './harness';

/** The cases module: the one place that writes `cases` after intake, and the locks the workflows compose with it. */
describe('cases (real Postgres)', () => {
  const db = useDatabase();

  const row = async (id: string) =>
    (await db.pool.query<{ assignee_id: string | null; status: string; triaged_at: Date | null; priority: string; legal_hold: boolean; closed_at: Date | null }>(
      'SELECT assignee_id, status, triaged_at, priority, legal_hold, closed_at FROM cases WHERE id = $1', [id],
    )).rows[0];

  it('when an untriaged case is locked for triage and assigned in one transaction, then it is triaged once and the assignee is noted', async () => {
    const id = await makeCase(db.pool, db.org.contextId, db.alice);
    await db.pool.query('UPDATE cases SET triaged_at = NULL, assignee_id = NULL, received_at = now() - interval \'1 hour\' WHERE id = $1', [id]);
    expect(await listStaleUntriagedCases(db.pool, 60)).toContain(id);
    await withTransaction(db.pool, async (tx) => {
      const c = await lockCaseForTriage(tx, id);
      expect(c).toEqual(expect.objectContaining({ id, triaged: false, assigneeId: null }));
      const candidates = await listAssignmentCandidates(tx, c!);
      expect(candidates.map((x) => x.userId).sort()).toEqual([db.alice, db.bob].sort());
      await assignCase(tx, { caseId: id, userId: db.bob, acknowledgeDueAt: new Date(Date.now() + 86_400_000), unitId: db.org.unitId, priority: 'high', ruleId: null, feedbackDays: null });
    });
    expect(await row(id)).toEqual(expect.objectContaining({ assignee_id: db.bob, priority: 'high' }));
    expect((await row(id))!.triaged_at).not.toBeNull();
    expect(await listStaleUntriagedCases(db.pool, 60)).not.toContain(id);
    const { rows } = await db.pool.query<{ last_assigned_at: Date | null }>('SELECT last_assigned_at FROM staff_users WHERE id = $1', [db.bob]);
    expect(rows[0]!.last_assigned_at).not.toBeNull();
    await withTransaction(db.pool, async (tx) => expect((await lockCaseForTriage(tx, id))!.triaged).toBe(true));
  });

  it('when the assignment rolls back, then the case is unchanged', async () => {
    const id = await makeCase(db.pool, db.org.contextId, db.alice);
    await expect(withTransaction(db.pool, async (tx) => {
      await setCaseAssignee(tx, id, db.bob);
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect((await row(id))!.assignee_id).toBe(db.alice);
    await withTransaction(db.pool, (tx) => setCaseAssignee(tx, id, db.bob));
    expect((await row(id))!.assignee_id).toBe(db.bob);
  });

  it('when a status change is applied under the case lock, then the row and the reporter-visible history move together', async () => {
    const id = await makeCase(db.pool, db.org.contextId, db.alice);
    const at = await withTransaction(db.pool, async (tx) => {
      const locked = await lockCaseState(tx, id);
      expect(locked).toEqual(expect.objectContaining({ id, status: 'received', assigneeId: db.alice }));
      return applyCaseStatus(tx, {
        caseId: id, status: 'closed', acknowledgedAt: new Date(), feedbackDueAt: null, closedAt: new Date(), outcome: 'unsubstantiated',
        actorId: db.alice, reasonId: null, reason: null,
      });
    });
    expect(at).toBeInstanceOf(Date);
    expect(await row(id)).toEqual(expect.objectContaining({ status: 'closed' }));
    const { rows } = await db.pool.query<{ status: string; actor_id: string | null }>('SELECT status, actor_id FROM case_status_history WHERE case_id = $1 ORDER BY id', [id]);
    expect(rows.at(-1)).toEqual({ status: 'closed', actor_id: db.alice });
  });

  it('when identity is granted twice, then the first disclosure time is kept', async () => {
    const id = await makeCase(db.pool, db.org.contextId, db.alice);
    expect(await getIdentityDisclosedAt(db.pool, id)).toBeNull();
    const first = await withTransaction(db.pool, (tx) => insertIdentityGrant(tx, { caseId: id, recipientId: db.alice, sealedKey: Buffer.alloc(80, 1), grantedBy: db.bob }));
    const second = await withTransaction(db.pool, (tx) => insertIdentityGrant(tx, { caseId: id, recipientId: db.bob, sealedKey: Buffer.alloc(80, 2), grantedBy: db.alice }));
    expect(second.getTime()).toBe(first.getTime());
    expect((await getIdentityDisclosedAt(db.pool, id))!.getTime()).toBe(first.getTime());
  });

  it('when a closed case is past retention, then it is locked for purge unless on legal hold, and deleting it removes the row', async () => {
    const held = await makeCase(db.pool, db.org.contextId, db.alice);
    const gone = await makeCase(db.pool, db.org.contextId, db.alice);
    await db.pool.query(`UPDATE cases SET status = 'closed', closed_at = now() - interval '10 years' WHERE id = ANY($1)`, [[held, gone]]);
    expect(await setLegalHold(db.pool, held, true)).toBe(true);
    expect(await setLegalHold(db.pool, '00000000-0000-4000-8000-000000000000', true)).toBe(false);
    await withTransaction(db.pool, async (tx) => {
      const due = (await lockCasesToPurge(tx)).map((c) => c.id);
      expect(due).toContain(gone);
      expect(due).not.toContain(held);
      await deleteCase(tx, gone);
    });
    expect(await row(gone)).toBeUndefined();
    expect((await row(held))!.legal_hold).toBe(true);
  });

  it('when a deadline reminder is due, then it is claimed once however often the sweep runs', async () => {
    const id = await makeCase(db.pool, db.org.contextId, db.alice);
    await db.pool.query(`UPDATE cases SET acknowledge_due_at = now() + interval '1 day' WHERE id = $1`, [id]);
    const first = await withTransaction(db.pool, (tx) => claimDueDeadlineAlerts(tx));
    expect(first.filter((a) => a.caseId === id)).toEqual([expect.objectContaining({ kind: 'acknowledge', stage: 'reminder', assigneeId: db.alice })]);
    const second = await withTransaction(db.pool, (tx) => claimDueDeadlineAlerts(tx));
    expect(second.filter((a) => a.caseId === id)).toEqual([]);
  });
  it('when cases are assigned, handed on, closed, reopened and deleted, then each person\'s open-case count (kept by a trigger) equals a fresh count', async () => {
    const counted = async () =>
      (await db.pool.query<{ id: string; kept: number; counted: number }>(
        `SELECT u.id, u.open_cases AS kept, (SELECT count(*)::int FROM cases c WHERE c.assignee_id = u.id AND c.status <> 'closed') AS counted
           FROM staff_users u WHERE u.id = ANY($1) ORDER BY u.id`, [[db.alice, db.bob]])).rows;
    const expectKept = async () => {
      for (const r of await counted()) expect({ id: r.id, kept: r.kept }).toEqual({ id: r.id, kept: r.counted });
    };
    const before = Object.fromEntries((await counted()).map((r) => [r.id, r.kept]));
    const one = await makeCase(db.pool, db.org.contextId, db.alice);
    const two = await makeCase(db.pool, db.org.contextId, db.alice);
    await expectKept();
    const kept = async (id: string) => (await counted()).find((r) => r.id === id)!.kept;
    expect(await kept(db.alice)).toBe(before[db.alice]! + 2);
    await withTransaction(db.pool, (tx) => setCaseAssignee(tx, one, db.bob));
    await expectKept();
    expect(await kept(db.bob)).toBe(before[db.bob]! + 1);
    const close = (id: string, status: 'closed' | 'in_progress') => withTransaction(db.pool, (tx) => applyCaseStatus(tx, {
      caseId: id, status, acknowledgedAt: new Date(), feedbackDueAt: null, closedAt: status === 'closed' ? new Date() : null, outcome: status === 'closed' ? 'unsubstantiated' : null,
      actorId: db.alice, reasonId: null, reason: null,
    }));
    await close(two, 'closed');
    await expectKept();
    expect(await kept(db.alice)).toBe(before[db.alice]!);
    await close(two, 'in_progress'); // reopened
    await expectKept();
    await withTransaction(db.pool, (tx) => setCaseAssignee(tx, two, null));
    await expectKept();
    await withTransaction(db.pool, (tx) => deleteCase(tx, one));
    await expectKept();
    expect(await kept(db.bob)).toBe(before[db.bob]!);
    expect(await kept(db.alice)).toBe(before[db.alice]!);
  });

});

describe('feedback deadline extension (real Postgres)', () => {
  it('when an open case is locked and its deadline extended, then the row carries the new deadline, days and sealed reason', async () => {
    const db = await openDatabase();
    try {
      const id = await makeCase(db.pool, db.org.contextId, db.org.investigators[0]!.id);
      await db.pool.query(`UPDATE cases SET status = 'acknowledged', acknowledged_at = now(), feedback_due_at = now() + interval '90 days' WHERE id = $1`, [id]);
      const dueAt = new Date(Date.now() + 120 * 86_400_000);
      await withTransaction(db.pool, async (tx) => {
        expect(await lockFeedbackDeadline(tx, id)).toEqual(expect.objectContaining({ status: 'acknowledged' }));
        await extendFeedbackDeadline(tx, { caseId: id, dueAt, days: 120, reason: Buffer.from('sealed') });
      });
      const { rows } = await db.pool.query<{ feedback_due_at: Date; feedback_days: number; feedback_extended_reason: Buffer }>(
        'SELECT feedback_due_at, feedback_days, feedback_extended_reason FROM cases WHERE id = $1', [id]);
      expect(rows[0]).toEqual({ feedback_due_at: dueAt, feedback_days: 120, feedback_extended_reason: Buffer.from('sealed') });
      expect(await withTransaction(db.pool, (tx) => lockFeedbackDeadline(tx, '00000000-0000-4000-8000-000000000000'))).toBeNull();
    } finally {
      await db.close();
    }
  });

});
