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
} from '@sauti/db';
import { makeCase, useDatabase } from './harness';

/** Identity disclosure: requests sealed to the custodians, their decision, and the identity wrap an approval writes. */
describe('staff identity (real Postgres)', () => {
  const db = useDatabase();
  let dave: string;
  beforeAll(async () => {
    dave = randomUUID();
    await db.pool.query(
      "INSERT INTO staff_users (id, email, display_name, roles, status, public_key) VALUES ($1, $2, 'custodian 1', '{custodian}', 'active', $3)",
      [dave, `${dave}@test.sauti.invalid`, randomBytes(32)],
    );
  });

  /** A case whose identity key is wrapped for both custodians, as intake does. */
  const caseWithCustodians = async () => {
    const caseId = await makeCase(db.pool, db.org.contextId, db.alice);
    for (const c of [db.carol, dave]) {
      await db.pool.query('INSERT INTO identity_wraps (case_id, recipient_id, sealed_key) VALUES ($1, $2, $3)', [caseId, c, randomBytes(80)]);
    }
    return caseId;
  };
  const request = (caseId: string, requesterId = db.alice) => ({
    id: randomUUID(), caseId, requesterId, reason: randomBytes(60),
    custodianReasons: [{ custodianId: db.carol, sealedReason: randomBytes(90) }, { custodianId: dave, sealedReason: randomBytes(90) }],
  });

  it('when the custodians of a case are listed, then only active custodians with a key and an identity wrap appear', async () => {
    const caseId = await caseWithCustodians();
    await db.pool.query('INSERT INTO identity_wraps (case_id, recipient_id, sealed_key) VALUES ($1, $2, $3)', [caseId, db.bob, randomBytes(80)]);
    expect((await listCaseCustodians(db.pool, caseId)).map((c) => c.id)).toEqual([db.carol, dave].sort());
    const c = (await listCaseCustodians(db.pool, caseId)).find((x) => x.id === db.carol)!;
    expect(c.publicKey.equals(db.org.custodians[0]!.keyPair.publicKey)).toBe(true);
    await db.pool.query("UPDATE staff_users SET status = 'disabled' WHERE id = $1", [dave]);
    try {
      expect((await listCaseCustodians(db.pool, caseId)).map((x) => x.id)).toEqual([db.carol]);
    } finally {
      await db.pool.query("UPDATE staff_users SET status = 'active' WHERE id = $1", [dave]);
    }
    expect(await listCaseCustodians(db.pool, await makeCase(db.pool, db.org.contextId, db.alice))).toEqual([]);
  });

  it('when a request is inserted, then it is pending with one sealed reason per custodian, and each custodian sees its own', async () => {
    const caseId = await caseWithCustodians();
    const r = request(caseId);
    expect(await withTransaction(db.pool, (tx) => insertIdentityRequest(tx, r))).toBe(true);
    const found = await findIdentityRequest(db.pool, r.id);
    expect(found).toEqual(expect.objectContaining({ id: r.id, caseId, requesterId: db.alice, requesterName: 'investigator 0', status: 'pending', decidedBy: null, decidedAt: null }));
    expect(found!.reason.equals(r.reason)).toBe(true);
    expect((await listCaseIdentityRequests(db.pool, caseId)).map((x) => x.id)).toEqual([r.id]);
    for (const [i, custodian] of [db.carol, dave].entries()) {
      const queue = (await listRequestsForCustodian(db.pool, custodian, 'pending')).filter((q) => q.caseId === caseId);
      expect(queue).toHaveLength(1);
      expect(queue[0]!.sealedReason!.equals(r.custodianReasons[i]!.sealedReason)).toBe(true);
      expect(queue[0]!.requesterPublicKey!.equals(db.org.investigators[0]!.keyPair.publicKey)).toBe(true);
      expect(queue[0]!.caseReference).toMatch(/^SA-FILL-/);
      expect(await findIdentityWrap(db.pool, caseId, custodian)).toEqual(queue[0]!.identityWrap);
    }
    expect((await listRequestsForCustodian(db.pool, db.bob, null)).filter((q) => q.caseId === caseId)).toEqual([]);
  });

  it('when the same person asks again while a request is pending, then the second is refused and nothing is written for it', async () => {
    const caseId = await caseWithCustodians();
    const first = request(caseId);
    const second = request(caseId);
    expect(await withTransaction(db.pool, (tx) => insertIdentityRequest(tx, first))).toBe(true);
    expect(await withTransaction(db.pool, (tx) => insertIdentityRequest(tx, second))).toBe(false);
    expect(await findIdentityRequest(db.pool, second.id)).toBeNull();
    expect((await db.pool.query('SELECT 1 FROM identity_request_reasons WHERE request_id = $1', [second.id])).rowCount).toBe(0);
    expect(await withTransaction(db.pool, (tx) => insertIdentityRequest(tx, request(caseId, db.bob)))).toBe(true);
  });

  it('when a request is inserted in a transaction that throws, then neither the request nor its reasons exist', async () => {
    const caseId = await caseWithCustodians();
    const r = request(caseId);
    await expect(withTransaction(db.pool, async (tx) => {
      await insertIdentityRequest(tx, r);
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(await findIdentityRequest(db.pool, r.id)).toBeNull();
    expect((await db.pool.query('SELECT 1 FROM identity_request_reasons WHERE request_id = $1', [r.id])).rowCount).toBe(0);
  });

  it('when a request is approved, then the decision is recorded, the requester gets the identity wrap, and the disclosure time is set once', async () => {
    const caseId = await caseWithCustodians();
    const r = request(caseId);
    await withTransaction(db.pool, (tx) => insertIdentityRequest(tx, r));
    expect(await getIdentityDisclosedAt(db.pool, caseId)).toBeNull();
    const sealed = randomBytes(80);
    const at = await withTransaction(db.pool, async (tx) => {
      expect((await findIdentityRequest(tx, r.id, true))!.status).toBe('pending');
      await decideIdentityRequest(tx, { requestId: r.id, decidedBy: db.carol, status: 'approved' });
      return insertIdentityGrant(tx, { caseId, recipientId: db.alice, sealedKey: sealed, grantedBy: db.carol });
    });
    expect(await findIdentityRequest(db.pool, r.id)).toEqual(expect.objectContaining({ status: 'approved', decidedBy: db.carol }));
    expect((await findIdentityRequest(db.pool, r.id))!.decidedAt).toBeInstanceOf(Date);
    expect((await findIdentityWrap(db.pool, caseId, db.alice))!.equals(sealed)).toBe(true);
    expect((await getIdentityDisclosedAt(db.pool, caseId))!.getTime()).toBe(at.getTime());
    expect((await listRequestsForCustodian(db.pool, db.carol, 'pending')).map((q) => q.id)).not.toContain(r.id);
    expect((await listRequestsForCustodian(db.pool, db.carol, 'approved')).map((q) => q.id)).toContain(r.id);

    const resealed = randomBytes(80);
    const again = await withTransaction(db.pool, (tx) => insertIdentityGrant(tx, { caseId, recipientId: db.alice, sealedKey: resealed, grantedBy: dave }));
    expect(again.getTime()).toBe(at.getTime());
    expect((await findIdentityWrap(db.pool, caseId, db.alice))!.equals(resealed)).toBe(true);
    expect((await db.pool.query<{ granted_by: string }>('SELECT granted_by FROM identity_wraps WHERE case_id = $1 AND recipient_id = $2', [caseId, db.alice])).rows[0]!.granted_by).toBe(dave);
  });

  it('when an approval rolls back, then the request is still pending, no wrap exists and nothing was disclosed', async () => {
    const caseId = await caseWithCustodians();
    const r = request(caseId);
    await withTransaction(db.pool, (tx) => insertIdentityRequest(tx, r));
    await expect(withTransaction(db.pool, async (tx) => {
      await decideIdentityRequest(tx, { requestId: r.id, decidedBy: db.carol, status: 'approved' });
      await insertIdentityGrant(tx, { caseId, recipientId: db.alice, sealedKey: randomBytes(80), grantedBy: db.carol });
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect((await findIdentityRequest(db.pool, r.id))!.status).toBe('pending');
    expect(await findIdentityWrap(db.pool, caseId, db.alice)).toBeNull();
    expect(await getIdentityDisclosedAt(db.pool, caseId)).toBeNull();
  });

  it('when a request is denied, then a new request by the same person may follow and both are listed in order', async () => {
    const caseId = await caseWithCustodians();
    const r = request(caseId);
    await withTransaction(db.pool, (tx) => insertIdentityRequest(tx, r));
    await withTransaction(db.pool, (tx) => decideIdentityRequest(tx, { requestId: r.id, decidedBy: dave, status: 'denied' }));
    expect(await findIdentityWrap(db.pool, caseId, db.alice)).toBeNull();
    expect(await getIdentityDisclosedAt(db.pool, caseId)).toBeNull();
    const next = request(caseId);
    expect(await withTransaction(db.pool, (tx) => insertIdentityRequest(tx, next))).toBe(true);
    expect((await listCaseIdentityRequests(db.pool, caseId)).map((x) => [x.id, x.status])).toEqual([[r.id, 'denied'], [next.id, 'pending']]);
    expect(await findIdentityRequest(db.pool, randomUUID())).toBeNull();
  });
});
