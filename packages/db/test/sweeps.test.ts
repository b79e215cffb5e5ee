import { randomUUID } from 'node:crypto';
import {
  claimDueDeadlineAlerts,
  createUnit,
  findSupervisorFor,
  listStaleUntriagedCases,
  lockCasesToPurge,
  updateStaff,
  updateUnit,
  withTransaction,
  type DeadlineAlert,
} from '@sauti/db';
import { makeCase, useDatabase } from './harness';

/** The periodic sweeps: deadline alerts, the supervisor they escalate to, retention purge and stale triage. */
describe('sweeps (real Postgres)', () => {
  const db = useDatabase();

  const claim = async (): Promise<DeadlineAlert[]> => withTransaction(db.pool, (tx) => claimDueDeadlineAlerts(tx, 10_000));
  const of = (alerts: DeadlineAlert[], caseId: string) => alerts.filter((a) => a.caseId === caseId).map((a) => `${a.kind}/${a.stage}`).sort();
  const setCase = (id: string, sql: string) => db.pool.query(`UPDATE cases SET ${sql} WHERE id = $1`, [id]);

  describe('deadline alerts', () => {
    it('when a deadline is further away than the reminder lead time, then nothing is claimed', async () => {
      const id = await makeCase(db.pool, db.org.contextId, db.alice);
      await setCase(id, "acknowledge_due_at = now() + interval '3 days'");
      expect(of(await claim(), id)).toEqual([]);
    });

    it('when an acknowledgement deadline has passed, then only the escalation is claimed, with the case\'s assignee, unit and exclusions, and only once', async () => {
      const id = await makeCase(db.pool, db.org.contextId, db.alice);
      await setCase(id, "acknowledge_due_at = now() - interval '1 hour', unit_id = (SELECT unit_id FROM staff_users WHERE id = assignee_id), excluded_recipient_ids = ARRAY[assignee_id]");
      const alerts = (await claim()).filter((a) => a.caseId === id);
      expect(alerts).toEqual([expect.objectContaining({ kind: 'acknowledge', stage: 'escalation', assigneeId: db.alice, unitId: db.org.unitId, excluded: [db.alice] })]);
      expect(alerts[0]!.dueAt).toBeInstanceOf(Date);
      expect(of(await claim(), id)).toEqual([]);
      expect((await db.pool.query('SELECT 1 FROM deadline_alerts WHERE case_id = $1', [id])).rowCount).toBe(1);
    });

    it('when a case is acknowledged, then its feedback deadline is swept and its acknowledgement deadline is not', async () => {
      const id = await makeCase(db.pool, db.org.contextId, db.alice);
      await setCase(id, "status = 'acknowledged', acknowledged_at = now(), acknowledge_due_at = now() - interval '1 day', feedback_due_at = now() + interval '1 day'");
      expect(of(await claim(), id)).toEqual(['feedback/reminder']);
      await setCase(id, "status = 'in_progress'");
      expect(of(await claim(), id)).toEqual([]);
    });

    it('when a case is closed, then no deadline of it is swept', async () => {
      const id = await makeCase(db.pool, db.org.contextId, db.alice);
      await setCase(id, "status = 'closed', closed_at = now(), outcome = 'unsubstantiated', acknowledge_due_at = now() - interval '1 day', feedback_due_at = now() - interval '1 day'");
      expect(of(await claim(), id)).toEqual([]);
    });

    it('when a deadline is moved after its reminder was sent, then the new deadline gets its alerts anew', async () => {
      const id = await makeCase(db.pool, db.org.contextId, db.alice);
      await setCase(id, "acknowledge_due_at = now() + interval '1 day'");
      expect(of(await claim(), id)).toEqual(['acknowledge/reminder']);
      await setCase(id, "acknowledge_due_at = now() + interval '36 hours'");
      expect(of(await claim(), id)).toEqual(['acknowledge/reminder']);
      await setCase(id, "acknowledge_due_at = now() - interval '1 minute'");
      expect(of(await claim(), id)).toEqual(['acknowledge/escalation']);
    });

    it('when the sweeping transaction rolls back, then the alert is claimable again', async () => {
      const id = await makeCase(db.pool, db.org.contextId, db.alice);
      await setCase(id, "acknowledge_due_at = now() - interval '1 hour'");
      await expect(withTransaction(db.pool, async (tx) => {
        expect(of(await claimDueDeadlineAlerts(tx, 10_000), id)).toEqual(['acknowledge/escalation']);
        throw new Error('abort');
      })).rejects.toThrow('abort');
      expect((await db.pool.query('SELECT 1 FROM deadline_alerts WHERE case_id = $1', [id])).rowCount).toBe(0);
      expect(of(await claim(), id)).toEqual(['acknowledge/escalation']);
    });

    it('when more alerts were sent than one sweep claims, then a new overdue case is still claimed by the next sweep', async () => {
      const old: string[] = [];
      for (let i = 0; i < 3; i++) {
        const id = await makeCase(db.pool, db.org.contextId, db.bob);
        await setCase(id, "acknowledge_due_at = now() - interval '5 days'");
        old.push(id);
      }
      await claim(); // every overdue case so far has had its alert
      const fresh = await makeCase(db.pool, db.org.contextId, db.bob);
      await setCase(fresh, "acknowledge_due_at = now() - interval '1 minute'");
      // A limit smaller than the number of alerts already sent: those must not fill it.
      const next = await withTransaction(db.pool, (tx) => claimDueDeadlineAlerts(tx, 2));
      expect(next.map((a) => `${a.caseId === fresh ? 'fresh' : 'other'}/${a.kind}/${a.stage}`)).toEqual(['fresh/acknowledge/escalation']);
    });

    it('when several sweeps run at once, then each alert is claimed by exactly one of them', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const id = await makeCase(db.pool, db.org.contextId, db.bob);
        await setCase(id, "acknowledge_due_at = now() - interval '2 hours'");
        ids.push(id);
      }
      const runs = await Promise.all([claim(), claim(), claim()]);
      const all = runs.flat().filter((a) => ids.includes(a.caseId));
      expect(all).toHaveLength(4);
      expect(new Set(all.map((a) => a.caseId)).size).toBe(4);
    });
  });

  describe('supervisor lookup', () => {
    it('when the case has a unit with an active supervisor, then that supervisor is found, unless the reporter excluded them', async () => {
      const unit = randomUUID();
      await createUnit(db.pool, { id: unit, name: `Sweep unit ${unit.slice(0, 4)}`, supervisorId: db.bob });
      expect(await findSupervisorFor(db.pool, { unitId: unit, assigneeId: db.alice, excluded: [] })).toBe(db.bob);
      expect(await findSupervisorFor(db.pool, { unitId: unit, assigneeId: db.alice, excluded: [db.bob] })).toBeNull();
      await db.pool.query("UPDATE staff_users SET status = 'disabled' WHERE id = $1", [db.bob]);
      try {
        expect(await findSupervisorFor(db.pool, { unitId: unit, assigneeId: db.alice, excluded: [] })).toBeNull();
      } finally {
        await db.pool.query("UPDATE staff_users SET status = 'active' WHERE id = $1", [db.bob]);
      }
      await updateUnit(db.pool, unit, { supervisorId: null });
      expect(await findSupervisorFor(db.pool, { unitId: unit, assigneeId: db.alice, excluded: [] })).toBeNull();
    });

    it('when the case has no unit, then the supervisor of the assignee\'s unit is found', async () => {
      const unit = randomUUID();
      await createUnit(db.pool, { id: unit, name: `Home ${unit.slice(0, 4)}`, supervisorId: db.bob });
      const person = randomUUID();
      await db.pool.query("INSERT INTO staff_users (id, email, display_name, roles, status, unit_id) VALUES ($1, $2, 'p', '{investigator}', 'active', $3)", [person, `${person}@test.sauti.invalid`, unit]);
      expect(await findSupervisorFor(db.pool, { unitId: null, assigneeId: person, excluded: [] })).toBe(db.bob);
      await updateStaff(db.pool, person, { unitId: null });
      expect(await findSupervisorFor(db.pool, { unitId: null, assigneeId: person, excluded: [] })).toBeNull();
      expect(await findSupervisorFor(db.pool, { unitId: null, assigneeId: null, excluded: [] })).toBeNull();
    });
  });

  describe('retention purge', () => {
    it('when closed cases are past retention, then only those not on legal hold are locked, and a case locked by another sweep is skipped', async () => {
      const old = await makeCase(db.pool, db.org.contextId, db.alice);
      const other = await makeCase(db.pool, db.org.contextId, db.alice);
      const recent = await makeCase(db.pool, db.org.contextId, db.alice);
      const open = await makeCase(db.pool, db.org.contextId, db.alice);
      const held = await makeCase(db.pool, db.org.contextId, db.alice);
      const closed = "status = 'closed', outcome = 'unsubstantiated', closed_at = now() - make_interval(days => (SELECT retention_days FROM contexts WHERE id = cases.context_id) + 1)";
      for (const id of [old, other, held]) await setCase(id, closed);
      await setCase(recent, "status = 'closed', outcome = 'unsubstantiated', closed_at = now() - interval '1 day'");
      await setCase(open, "received_at = now() - interval '10 years'");
      await setCase(held, 'legal_hold = true');
      const first = await withTransaction(db.pool, async (tx) => {
        const mine = (await lockCasesToPurge(tx)).map((c) => c.id);
        expect(mine).toEqual(expect.arrayContaining([old, other]));
        expect(mine).not.toContain(recent);
        expect(mine).not.toContain(open);
        expect(mine).not.toContain(held);
        const theirs = await withTransaction(db.pool, (tx2) => lockCasesToPurge(tx2));
        expect(theirs.map((c) => c.id)).not.toContain(old);
        expect(theirs.map((c) => c.id)).not.toContain(other);
        return mine;
      });
      expect((await lockCasesToPurge(db.pool)).find((c) => c.id === first[0])).toEqual({ id: first[0], contextId: db.org.contextId });
    });

    it('when a limit is given, then the longest-closed cases come first', async () => {
      const a = await makeCase(db.pool, db.org.contextId, db.alice);
      const b = await makeCase(db.pool, db.org.contextId, db.alice);
      await setCase(a, "status = 'closed', outcome = 'unsubstantiated', closed_at = now() - interval '100 years'");
      await setCase(b, "status = 'closed', outcome = 'unsubstantiated', closed_at = now() - interval '99 years'");
      expect((await lockCasesToPurge(db.pool, 2)).map((c) => c.id)).toEqual([a, b]);
      expect((await lockCasesToPurge(db.pool, 1)).map((c) => c.id)).toEqual([a]);
    });
  });

  describe('stale triage', () => {
    it('when untriaged cases are older than the threshold, then they are listed oldest first, within the limit, and triaged or young ones are not', async () => {
      const older = await makeCase(db.pool, db.org.contextId, db.alice);
      const old = await makeCase(db.pool, db.org.contextId, db.alice);
      const young = await makeCase(db.pool, db.org.contextId, db.alice);
      const triaged = await makeCase(db.pool, db.org.contextId, db.alice);
      await setCase(older, "triaged_at = NULL, received_at = now() - interval '200 years'");
      await setCase(old, "triaged_at = NULL, received_at = now() - interval '199 years'");
      await setCase(young, 'triaged_at = NULL, received_at = now()');
      await setCase(triaged, "received_at = now() - interval '201 years'");
      const stale = await listStaleUntriagedCases(db.pool, 3600);
      expect(stale.slice(0, 2)).toEqual([older, old]);
      expect(stale).not.toContain(young);
      expect(stale).not.toContain(triaged);
      expect(await listStaleUntriagedCases(db.pool, 3600, 1)).toEqual([older]);
    });
  });
});
