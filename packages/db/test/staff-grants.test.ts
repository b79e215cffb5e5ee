import { randomBytes } from 'node:crypto';
import {
  deleteCaseGrant,
  findGrant,
  insertCaseGrant,
  insertIdentityGrant,
  listCaseHolders,
  listHolderCandidates,
  setStaffStatus,
  updateStaff,
  withTransaction,
} from '@sauti/db';
import { makeCase, useDatabase } from './harness';

/** Case key grants: who holds a wrap of a case key, and what revoking one removes. */
describe('staff grants (real Postgres)', () => {
  const db = useDatabase();

  const wrap = () => randomBytes(112);
  const count = async (table: 'case_key_wraps' | 'identity_wraps', caseId: string, who: string) =>
    Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE case_id = $1 AND recipient_id = $2`, [caseId, who])).rows[0]!.n);
  const readMarkers = async (caseId: string, who: string) =>
    (await db.pool.query('SELECT 1 FROM case_reads WHERE case_id = $1 AND user_id = $2', [caseId, who])).rowCount;

  it('when a grant is inserted, then the holder is listed with who granted it, and a second grant for the same person is refused', async () => {
    const caseId = await makeCase(db.pool, db.org.contextId, db.alice);
    const key = wrap();
    expect(await insertCaseGrant(db.pool, { caseId, recipientId: db.bob, sealedKey: key, grantedBy: db.alice })).toBe(true);
    expect(await insertCaseGrant(db.pool, { caseId, recipientId: db.bob, sealedKey: wrap(), grantedBy: db.carol })).toBe(false);
    const stored = (await db.pool.query<{ sealed_key: Buffer; granted_by: string }>('SELECT sealed_key, granted_by FROM case_key_wraps WHERE case_id = $1 AND recipient_id = $2', [caseId, db.bob])).rows;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.sealed_key.equals(key)).toBe(true);
    expect(stored[0]!.granted_by).toBe(db.alice);
    expect(await findGrant(db.pool, caseId, db.bob)).toEqual({ grantedBy: db.alice });
    expect(await findGrant(db.pool, caseId, db.carol)).toBeNull();
    const holders = await listCaseHolders(db.pool, caseId);
    expect(holders).toEqual([expect.objectContaining({ userId: db.bob, displayName: 'investigator 1', unitId: db.org.unitId, status: 'active', grantedBy: db.alice })]);
  });

  it('when a grant is revoked, then the case key wrap, the identity wrap and the read marker of that person go, and nobody else\'s', async () => {
    const caseId = await makeCase(db.pool, db.org.contextId, db.alice);
    await insertCaseGrant(db.pool, { caseId, recipientId: db.alice, sealedKey: wrap(), grantedBy: db.carol });
    await insertCaseGrant(db.pool, { caseId, recipientId: db.bob, sealedKey: wrap(), grantedBy: db.alice });
    await withTransaction(db.pool, async (tx) => {
      await insertIdentityGrant(tx, { caseId, recipientId: db.bob, sealedKey: randomBytes(80), grantedBy: db.carol });
      await insertIdentityGrant(tx, { caseId, recipientId: db.alice, sealedKey: randomBytes(80), grantedBy: db.carol });
    });
    await db.pool.query('INSERT INTO case_reads (case_id, user_id, last_read_at) VALUES ($1, $2, now()), ($1, $3, now())', [caseId, db.alice, db.bob]);
    expect(await deleteCaseGrant(db.pool, caseId, db.bob)).toEqual({ grantedBy: db.alice });
    expect(await count('case_key_wraps', caseId, db.bob)).toBe(0);
    expect(await count('identity_wraps', caseId, db.bob)).toBe(0);
    expect(await readMarkers(caseId, db.bob)).toBe(0);
    expect(await count('case_key_wraps', caseId, db.alice)).toBe(1);
    expect(await count('identity_wraps', caseId, db.alice)).toBe(1);
    expect(await readMarkers(caseId, db.alice)).toBe(1);
    expect(await findGrant(db.pool, caseId, db.bob)).toBeNull();
    expect((await listCaseHolders(db.pool, caseId)).map((h) => h.userId)).toEqual([db.alice]);
    expect(await deleteCaseGrant(db.pool, caseId, db.bob)).toBeNull();
  });

  it('when revoking has no case key wrap to remove, then an identity wrap of that person is left alone', async () => {
    const caseId = await makeCase(db.pool, db.org.contextId, db.alice);
    await withTransaction(db.pool, (tx) => insertIdentityGrant(tx, { caseId, recipientId: db.carol, sealedKey: randomBytes(80), grantedBy: db.carol }));
    expect(await deleteCaseGrant(db.pool, caseId, db.carol)).toBeNull();
    expect(await count('identity_wraps', caseId, db.carol)).toBe(1);
  });

  it('when a revocation rolls back with its transaction, then every wrap and marker is still there', async () => {
    const caseId = await makeCase(db.pool, db.org.contextId, db.alice);
    await insertCaseGrant(db.pool, { caseId, recipientId: db.bob, sealedKey: wrap(), grantedBy: db.alice });
    await withTransaction(db.pool, (tx) => insertIdentityGrant(tx, { caseId, recipientId: db.bob, sealedKey: randomBytes(80), grantedBy: db.carol }));
    await db.pool.query('INSERT INTO case_reads (case_id, user_id, last_read_at) VALUES ($1, $2, now())', [caseId, db.bob]);
    await expect(withTransaction(db.pool, async (tx) => {
      expect(await deleteCaseGrant(tx, caseId, db.bob)).toEqual({ grantedBy: db.alice });
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(await count('case_key_wraps', caseId, db.bob)).toBe(1);
    expect(await count('identity_wraps', caseId, db.bob)).toBe(1);
    expect(await readMarkers(caseId, db.bob)).toBe(1);
  });

  it('when holders are candidates for reassignment, then only active investigators and supervisors are eligible, with their workload and exclusions', async () => {
    const caseId = await makeCase(db.pool, db.org.contextId, db.alice);
    for (const who of [db.alice, db.bob, db.carol]) await insertCaseGrant(db.pool, { caseId, recipientId: who, sealedKey: wrap(), grantedBy: db.alice });
    const before = await withTransaction(db.pool, (tx) => listHolderCandidates(tx, caseId, [db.bob]));
    const byId = new Map(before.map((c) => [c.userId, c]));
    expect(before).toHaveLength(3);
    expect(byId.get(db.alice)).toEqual(expect.objectContaining({ active: true, holdsKeyWrap: true, excludedByReporter: false }));
    expect(byId.get(db.bob)).toEqual(expect.objectContaining({ active: true, excludedByReporter: true }));
    expect(byId.get(db.carol)).toEqual(expect.objectContaining({ active: false, excludedByReporter: false, openCases: 0 }));
    const aliceOpen = Number((await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM cases WHERE assignee_id = $1 AND status <> 'closed'", [db.alice])).rows[0]!.n);
    expect(byId.get(db.alice)!.openCases).toBe(aliceOpen);
    expect(aliceOpen).toBeGreaterThanOrEqual(1);

    await db.pool.query("UPDATE staff_users SET login_key_hash = coalesce(login_key_hash, 'h') WHERE id = $1", [db.bob]);
    expect(await setStaffStatus(db.pool, db.bob, 'disabled')).toBe(true);
    expect(await updateStaff(db.pool, db.carol, { roles: ['custodian', 'supervisor'] })).toBe(true);
    try {
      const after = new Map((await withTransaction(db.pool, (tx) => listHolderCandidates(tx, caseId, []))).map((c) => [c.userId, c]));
      expect(after.get(db.bob)!.active).toBe(false);
      expect(after.get(db.carol)!.active).toBe(true);
    } finally {
      await setStaffStatus(db.pool, db.bob, 'active');
      await updateStaff(db.pool, db.carol, { roles: ['custodian'] });
    }
  });
});
