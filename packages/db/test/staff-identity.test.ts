import { randomBytes, randomUUID } from 'node:crypto';
import {
  decideIdentityRequest,
  findIdentityRequest,
  findIdentityWrap,
  getIdentityDisclosedAt,
  insertIdentityGrant,
  insertIdentityRequest,
  listCaseCustodians,
  listCaseIdentityRequests,
  listRequestsForCustodian,
  withTransaction,
  type Db,
} from '@sauti/db';
import { makeCase, openDatabase } from './harness';

/** Identity disclosure: requests sealed to the custodians, their decision, and the identity wrap an approval writes. */
describe('staff identity (real Postgres)', () => {
  let db: Awaited<ReturnType<typeof openDatabase>>;
  let pool: Db;
  let alice: string;
  let bob: string;
  let carol: string;
  let dave: string;
  beforeAll(async () => {
    db = await openDatabase();
    pool = db.pool;
    [alice, bob] = db.org.investigators.map((p) => p.id) as [string, string];
    carol = db.org.custodians[0]!.id;
    dave = randomUUID();
    await pool.query(
      "INSERT INTO staff_users (id, email, display_name, roles, status, public_key) VALUES ($1, $2, 'custodian 1', '{custodian}', 'active', $3)",
      [dave, `${dave}@test.sauti.invalid`, randomBytes(32)],
    );
  });
  afterAll(() => db.close());

  /** A case whose identity key is wrapped for both custodians, as intake does. */
  const caseWithCustodians = async () => {
    const caseId = await makeCase(pool, db.org.contextId, alice);
    for (const c of [carol, dave]) {
      await pool.query('INSERT INTO identity_wraps (case_id, recipient_id, sealed_key) VALUES ($1, $2, $3)', [caseId, c, randomBytes(80)]);
    }
    return caseId;
  };
  const request = (caseId: string, requesterId = alice) => ({
    id: randomUUID(), caseId, requesterId, reason: randomBytes(60),
    custodianReasons: [{ custodianId: carol, sealedReason: randomBytes(90) }, { custodianId: dave, sealedReason: randomBytes(90) }],
  });

  it('when the custodians of a case are listed, then only active custodians with a key and an identity wrap appear', async () => {
    const caseId = await caseWithCustodians();
    await pool.query('INSERT INTO identity_wraps (case_id, recipient_id, sealed_key) VALUES ($1, $2, $3)', [caseId, bob, randomBytes(80)]);
    expect((await listCaseCustodians(pool, caseId)).map((c) => c.id)).toEqual([carol, dave].sort());
    const c = (await listCaseCustodians(pool, caseId)).find((x) => x.id === carol)!;
    expect(c.publicKey.equals(db.org.custodians[0]!.keyPair.publicKey)).toBe(true);
    await pool.query("UPDATE staff_users SET status = 'disabled' WHERE id = $1", [dave]);
    try {
      expect((await listCaseCustodians(pool, caseId)).map((x) => x.id)).toEqual([carol]);
    } finally {
      await pool.query("UPDATE staff_users SET status = 'active' WHERE id = $1", [dave]);
    }
    expect(await listCaseCustodians(pool, await makeCase(pool, db.org.contextId, alice))).toEqual([]);
  });

  it('when a request is inserted, then it is pending with one sealed reason per custodian, and each custodian sees its own', async () => {
    const caseId = await caseWithCustodians();
    const r = request(caseId);
    expect(await withTransaction(pool, (tx) => insertIdentityRequest(tx, r))).toBe(true);
    const found = await findIdentityRequest(pool, r.id);
    expect(found).toEqual(expect.objectContaining({ id: r.id, caseId, requesterId: alice, requesterName: 'investigator 0', status: 'pending', decidedBy: null, decidedAt: null }));
    expect(found!.reason.equals(r.reason)).toBe(true);
    expect((await listCaseIdentityRequests(pool, caseId)).map((x) => x.id)).toEqual([r.id]);
    for (const [i, custodian] of [carol, dave].entries()) {
      const queue = (await listRequestsForCustodian(pool, custodian, 'pending')).filter((q) => q.caseId === caseId);
      expect(queue).toHaveLength(1);
      expect(queue[0]!.sealedReason!.equals(r.custodianReasons[i]!.sealedReason)).toBe(true);
      expect(queue[0]!.requesterPublicKey!.equals(db.org.investigators[0]!.keyPair.publicKey)).toBe(true);
      expect(queue[0]!.caseReference).toMatch(/^SA-FILL-/);
      expect(await findIdentityWrap(pool, caseId, custodian)).toEqual(queue[0]!.identityWrap);
    }
    expect((await listRequestsForCustodian(pool, bob, null)).filter((q) => q.caseId === caseId)).toEqual([]);
  });

  it('when the same person asks again while a request is pending, then the second is refused and nothing is written for it', async () => {
    const caseId = await caseWithCustodians();
    const first = request(caseId);
    const second = request(caseId);
    expect(await withTransaction(pool, (tx) => insertIdentityRequest(tx, first))).toBe(true);
    expect(await withTransaction(pool, (tx) => insertIdentityRequest(tx, second))).toBe(false);
    expect(await findIdentityRequest(pool, second.id)).toBeNull();
    expect((await pool.query('SELECT 1 FROM identity_request_reasons WHERE request_id = $1', [second.id])).rowCount).toBe(0);
    expect(await withTransaction(pool, (tx) => insertIdentityRequest(tx, request(caseId, bob)))).toBe(true);
  });

  it('when a request is inserted in a transaction that throws, then neither the request nor its reasons exist', async () => {
    const caseId = await caseWithCustodians();
    const r = request(caseId);
    await expect(withTransaction(pool, async (tx) => {
      await insertIdentityRequest(tx, r);
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(await findIdentityRequest(pool, r.id)).toBeNull();
    expect((await pool.query('SELECT 1 FROM identity_request_reasons WHERE request_id = $1', [r.id])).rowCount).toBe(0);
  });

  it('when a request is approved, then the decision is recorded, the requester gets the identity wrap, and the disclosure time is set once', async () => {
    const caseId = await caseWithCustodians();
    const r = request(caseId);
    await withTransaction(pool, (tx) => insertIdentityRequest(tx, r));
    expect(await getIdentityDisclosedAt(pool, caseId)).toBeNull();
    const sealed = randomBytes(80);
    const at = await withTransaction(pool, async (tx) => {
      expect((await findIdentityRequest(tx, r.id, true))!.status).toBe('pending');
      await decideIdentityRequest(tx, { requestId: r.id, decidedBy: carol, status: 'approved' });
      return insertIdentityGrant(tx, { caseId, recipientId: alice, sealedKey: sealed, grantedBy: carol });
    });
    expect(await findIdentityRequest(pool, r.id)).toEqual(expect.objectContaining({ status: 'approved', decidedBy: carol }));
    expect((await findIdentityRequest(pool, r.id))!.decidedAt).toBeInstanceOf(Date);
    expect((await findIdentityWrap(pool, caseId, alice))!.equals(sealed)).toBe(true);
    expect((await getIdentityDisclosedAt(pool, caseId))!.getTime()).toBe(at.getTime());
    expect((await listRequestsForCustodian(pool, carol, 'pending')).map((q) => q.id)).not.toContain(r.id);
    expect((await listRequestsForCustodian(pool, carol, 'approved')).map((q) => q.id)).toContain(r.id);

    const resealed = randomBytes(80);
    const again = await withTransaction(pool, (tx) => insertIdentityGrant(tx, { caseId, recipientId: alice, sealedKey: resealed, grantedBy: dave }));
    expect(again.getTime()).toBe(at.getTime());
    expect((await findIdentityWrap(pool, caseId, alice))!.equals(resealed)).toBe(true);
    expect((await pool.query<{ granted_by: string }>('SELECT granted_by FROM identity_wraps WHERE case_id = $1 AND recipient_id = $2', [caseId, alice])).rows[0]!.granted_by).toBe(dave);
  });

  it('when an approval rolls back, then the request is still pending, no wrap exists and nothing was disclosed', async () => {
    const caseId = await caseWithCustodians();
    const r = request(caseId);
    await withTransaction(pool, (tx) => insertIdentityRequest(tx, r));
    await expect(withTransaction(pool, async (tx) => {
      await decideIdentityRequest(tx, { requestId: r.id, decidedBy: carol, status: 'approved' });
      await insertIdentityGrant(tx, { caseId, recipientId: alice, sealedKey: randomBytes(80), grantedBy: carol });
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect((await findIdentityRequest(pool, r.id))!.status).toBe('pending');
    expect(await findIdentityWrap(pool, caseId, alice)).toBeNull();
    expect(await getIdentityDisclosedAt(pool, caseId)).toBeNull();
  });

  it('when a request is denied, then a new request by the same person may follow and both are listed in order', async () => {
    const caseId = await caseWithCustodians();
    const r = request(caseId);
    await withTransaction(pool, (tx) => insertIdentityRequest(tx, r));
    await withTransaction(pool, (tx) => decideIdentityRequest(tx, { requestId: r.id, decidedBy: dave, status: 'denied' }));
    expect(await findIdentityWrap(pool, caseId, alice)).toBeNull();
    expect(await getIdentityDisclosedAt(pool, caseId)).toBeNull();
    const next = request(caseId);
    expect(await withTransaction(pool, (tx) => insertIdentityRequest(tx, next))).toBe(true);
    expect((await listCaseIdentityRequests(pool, caseId)).map((x) => [x.id, x.status])).toEqual([[r.id, 'denied'], [next.id, 'pending']]);
    expect(await findIdentityRequest(pool, randomUUID())).toBeNull();
  });
});
