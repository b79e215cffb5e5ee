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
  type Db,
} from '@sauti/db';
import { makeCase, openDatabase } from './harness';

/** Case key grants: who holds a wrap of a case key, and what revoking one removes. */
describe('staff grants (real Postgres)', () => {
  let db: Awaited<ReturnType<typeof openDatabase>>;
  let pool: Db;
  let alice: string;
  let bob: string;
  let carol: string;
  beforeAll(async () => {
    db = await openDatabase();
    pool = db.pool;
    [alice, bob] = db.org.investigators.map((p) => p.id) as [string, string];
    carol = db.org.custodians[0]!.id;
  });
  afterAll(() => db.close());

  const wrap = () => randomBytes(112);
  const count = async (table: 'case_key_wraps' | 'identity_wraps', caseId: string, who: string) =>
    Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE case_id = $1 AND recipient_id = $2`, [caseId, who])).rows[0]!.n);
  const readMarkers = async (caseId: string, who: string) =>
    (await pool.query('SELECT 1 FROM case_reads WHERE case_id = $1 AND user_id = $2', [caseId, who])).rowCount;

  it('when a grant is inserted, then the holder is listed with who granted it, and a second grant for the same person is refused', async () => {
    const caseId = await makeCase(pool, db.org.contextId, alice);
    const key = wrap();
    expect(await insertCaseGrant(pool, { caseId, recipientId: bob, sealedKey: key, grantedBy: alice })).toBe(true);
    expect(await insertCaseGrant(pool, { caseId, recipientId: bob, sealedKey: wrap(), grantedBy: carol })).toBe(false);
    const stored = (await pool.query<{ sealed_key: Buffer; granted_by: string }>('SELECT sealed_key, granted_by FROM case_key_wraps WHERE case_id = $1 AND recipient_id = $2', [caseId, bob])).rows;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.sealed_key.equals(key)).toBe(true);
    expect(stored[0]!.granted_by).toBe(alice);
    expect(await findGrant(pool, caseId, bob)).toEqual({ grantedBy: alice });
    expect(await findGrant(pool, caseId, carol)).toBeNull();
    const holders = await listCaseHolders(pool, caseId);
    expect(holders).toEqual([expect.objectContaining({ userId: bob, displayName: 'investigator 1', unitId: db.org.unitId, status: 'active', grantedBy: alice })]);
  });

  it('when a grant is revoked, then the case key wrap, the identity wrap and the read marker of that person go, and nobody else\'s', async () => {
    const caseId = await makeCase(pool, db.org.contextId, alice);
    await insertCaseGrant(pool, { caseId, recipientId: alice, sealedKey: wrap(), grantedBy: carol });
    await insertCaseGrant(pool, { caseId, recipientId: bob, sealedKey: wrap(), grantedBy: alice });
    await withTransaction(pool, async (tx) => {
      await insertIdentityGrant(tx, { caseId, recipientId: bob, sealedKey: randomBytes(80), grantedBy: carol });
      await insertIdentityGrant(tx, { caseId, recipientId: alice, sealedKey: randomBytes(80), grantedBy: carol });
    });
    await pool.query('INSERT INTO case_reads (case_id, user_id, last_read_at) VALUES ($1, $2, now()), ($1, $3, now())', [caseId, alice, bob]);
    expect(await deleteCaseGrant(pool, caseId, bob)).toEqual({ grantedBy: alice });
    expect(await count('case_key_wraps', caseId, bob)).toBe(0);
    expect(await count('identity_wraps', caseId, bob)).toBe(0);
    expect(await readMarkers(caseId, bob)).toBe(0);
    expect(await count('case_key_wraps', caseId, alice)).toBe(1);
    expect(await count('identity_wraps', caseId, alice)).toBe(1);
    expect(await readMarkers(caseId, alice)).toBe(1);
    expect(await findGrant(pool, caseId, bob)).toBeNull();
    expect((await listCaseHolders(pool, caseId)).map((h) => h.userId)).toEqual([alice]);
    expect(await deleteCaseGrant(pool, caseId, bob)).toBeNull();
  });

  it('when revoking has no case key wrap to remove, then an identity wrap of that person is left alone', async () => {
    const caseId = await makeCase(pool, db.org.contextId, alice);
    await withTransaction(pool, (tx) => insertIdentityGrant(tx, { caseId, recipientId: carol, sealedKey: randomBytes(80), grantedBy: carol }));
    expect(await deleteCaseGrant(pool, caseId, carol)).toBeNull();
    expect(await count('identity_wraps', caseId, carol)).toBe(1);
  });

  it('when a revocation rolls back with its transaction, then every wrap and marker is still there', async () => {
    const caseId = await makeCase(pool, db.org.contextId, alice);
    await insertCaseGrant(pool, { caseId, recipientId: bob, sealedKey: wrap(), grantedBy: alice });
    await withTransaction(pool, (tx) => insertIdentityGrant(tx, { caseId, recipientId: bob, sealedKey: randomBytes(80), grantedBy: carol }));
    await pool.query('INSERT INTO case_reads (case_id, user_id, last_read_at) VALUES ($1, $2, now())', [caseId, bob]);
    await expect(withTransaction(pool, async (tx) => {
      expect(await deleteCaseGrant(tx, caseId, bob)).toEqual({ grantedBy: alice });
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(await count('case_key_wraps', caseId, bob)).toBe(1);
    expect(await count('identity_wraps', caseId, bob)).toBe(1);
    expect(await readMarkers(caseId, bob)).toBe(1);
  });

  it('when holders are candidates for reassignment, then only active investigators and supervisors are eligible, with their workload and exclusions', async () => {
    const caseId = await makeCase(pool, db.org.contextId, alice);
    for (const who of [alice, bob, carol]) await insertCaseGrant(pool, { caseId, recipientId: who, sealedKey: wrap(), grantedBy: alice });
    const before = await withTransaction(pool, (tx) => listHolderCandidates(tx, caseId, [bob]));
    const byId = new Map(before.map((c) => [c.userId, c]));
    expect(before).toHaveLength(3);
    expect(byId.get(alice)).toEqual(expect.objectContaining({ active: true, holdsKeyWrap: true, excludedByReporter: false }));
    expect(byId.get(bob)).toEqual(expect.objectContaining({ active: true, excludedByReporter: true }));
    expect(byId.get(carol)).toEqual(expect.objectContaining({ active: false, excludedByReporter: false, openCases: 0 }));
    const aliceOpen = Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM cases WHERE assignee_id = $1 AND status <> 'closed'", [alice])).rows[0]!.n);
    expect(byId.get(alice)!.openCases).toBe(aliceOpen);
    expect(aliceOpen).toBeGreaterThanOrEqual(1);

    await pool.query("UPDATE staff_users SET login_key_hash = coalesce(login_key_hash, 'h') WHERE id = $1", [bob]);
    expect(await setStaffStatus(pool, bob, 'disabled')).toBe(true);
    expect(await updateStaff(pool, carol, { roles: ['custodian', 'supervisor'] })).toBe(true);
    try {
      const after = new Map((await withTransaction(pool, (tx) => listHolderCandidates(tx, caseId, []))).map((c) => [c.userId, c]));
      expect(after.get(bob)!.active).toBe(false);
      expect(after.get(carol)!.active).toBe(true);
    } finally {
      await setStaffStatus(pool, bob, 'active');
      await updateStaff(pool, carol, { roles: ['custodian'] });
    }
  });
});
