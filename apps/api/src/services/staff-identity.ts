import { randomUUID } from 'node:crypto';
import { fail, ok, type IdentityDecision, type IdentityRequestBody, type IdentityRequestCreated, type Result } from '@sauti/core';
import {
  appendAudit,
  createNotification,
  enqueueOutbox,
  decideIdentityRequest,
  findIdentityRequest,
  findIdentityWrap,
  getHeldCase,
  insertIdentityGrant,
  insertIdentityRequest,
  listCaseIdentityRequests,
  isUniqueViolation,
  listCaseCustodians,
  listRequestsForCustodian,
  staffHoldsCase,
  withTransaction,
  type CustodianQueueItem,
  type Db,
} from '@sauti/db';
import type { StaffPrincipal } from '../auth';
import { CASE_NOT_FOUND, checkHandler } from './staff-cases';

const b = (v: string) => Buffer.from(v, 'base64url');
const REQUEST_NOT_FOUND = 'There is no identity request with this id that you may decide.';

/**
 * A handler asks to see the reporter's identity. The reason is stored twice, both encrypted in the
 * handler's browser: under staffKey for the team, and sealed to each custodian so they can judge it.
 */
export async function requestIdentity(pool: Db, who: StaffPrincipal, caseId: string, input: IdentityRequestBody): Promise<Result<IdentityRequestCreated>> {
  const allowed = await checkHandler(pool, who, caseId);
  if (!allowed.ok) return allowed;
  const c = await getHeldCase(pool, who.userId, caseId);
  if (!c) return fail('not_found', CASE_NOT_FOUND);
  if (!c.identityCiphertext) return fail('conflict', 'The reporter of this case stayed anonymous: there is no identity to ask for.');
  if (await findIdentityWrap(pool, caseId, who.userId)) return fail('conflict', 'You can already read the identity of this reporter.');
  const custodians = (await listCaseCustodians(pool, caseId)).map((p) => p.id);
  if (custodians.length === 0) return fail('conflict', 'No active identity custodian holds this identity, so nobody could approve a request. Ask an administrator.');
  const named = input.custodianReasons.map((r) => r.recipientId);
  const missing = custodians.filter((id) => !named.includes(id));
  const extra = named.filter((id, i) => !custodians.includes(id) || named.indexOf(id) !== i);
  if (missing.length > 0 || extra.length > 0) {
    return fail('invalid', "The reason must be sealed to each of the case's identity custodians, once.", [
      ...(missing.length ? [{ field: 'custodianReasons', message: `is missing custodian(s): ${missing.join(', ')}` }] : []),
      ...(extra.length ? [{ field: 'custodianReasons', message: `names someone who is not a custodian of this identity, or twice: ${extra.join(', ')}` }] : []),
    ]);
  }
  const pending = (await listCaseIdentityRequests(pool, caseId)).some((r) => r.requesterId === who.userId && r.status === 'pending');
  if (pending) return fail('conflict', 'You already have a request for this identity waiting for a custodian.');
  try {
    const created = await withTransaction(pool, async (tx) => {
      const inserted = await insertIdentityRequest(tx, {
        id: input.id, caseId, requesterId: who.userId, reason: b(input.reason),
        custodianReasons: input.custodianReasons.map((r) => ({ custodianId: r.recipientId, sealedReason: b(r.sealedReason) })),
      });
      if (inserted) {
        await appendAudit(tx, { actorType: 'staff', actorId: who.userId, action: 'identity.requested', caseId, details: { requestId: input.id } });
        // Each custodian is told, content-free, through the pipeline's digested notifications.
        for (const custodianId of custodians) {
          const notificationId = randomUUID();
          await createNotification(tx, { id: notificationId, userId: custodianId, kind: 'identity_request' });
          await enqueueOutbox(tx, { id: randomUUID(), topic: 'notification.requested', aggregateId: notificationId, payload: { userId: custodianId } });
        }
      }
      return inserted;
    });
    if (!created) return fail('conflict', 'This request id is already used. Generate a new id.', [{ field: 'id', message: 'is already used' }]);
  } catch (error) {
    if (isUniqueViolation(error, 'identity_requests_one_pending')) return fail('conflict', 'You already have a request for this identity waiting for a custodian.');
    throw error;
  }
  return ok({ id: input.id, status: 'pending' as const });
}

/** A custodian's queue: requests on identities it holds, with its own sealed reason and identity wrap. */
export async function custodianQueue(pool: Db, who: StaffPrincipal, status: 'pending' | 'approved' | 'denied' | null): Promise<CustodianQueueItem[]> {
  return listRequestsForCustodian(pool, who.userId, status);
}

/** Approve (with identityKey re-sealed to the requester in the custodian's browser) or deny. */
export async function decideIdentity(
  pool: Db,
  who: StaffPrincipal,
  requestId: string,
  decision: { approve: true; sealedKey: string; sealedReason: string } | { approve: false },
): Promise<Result<IdentityDecision>> {
  return withTransaction(pool, async (tx) => {
    const request = await findIdentityRequest(tx, requestId, true);
    if (!request || !(await findIdentityWrap(tx, request.caseId, who.userId))) return fail('not_found', REQUEST_NOT_FOUND);
    if (request.status !== 'pending') return fail('conflict', `This request was already ${request.status}.`);
    if (decision.approve && !(await staffHoldsCase(tx, request.requesterId, request.caseId))) {
      return fail('conflict', 'The requester no longer holds this case, so the identity cannot be given to them. Deny the request instead.');
    }
    const status = decision.approve ? 'approved' : 'denied';
    await decideIdentityRequest(tx, { requestId, decidedBy: who.userId, status, sealedReason: decision.approve ? b(decision.sealedReason) : null });
    let disclosedAt: Date | null = null;
    if (decision.approve) {
      disclosedAt = await insertIdentityGrant(tx, { caseId: request.caseId, recipientId: request.requesterId, sealedKey: b(decision.sealedKey), grantedBy: who.userId });
    }
    await appendAudit(tx, {
      actorType: 'staff', actorId: who.userId, action: decision.approve ? 'identity.approved' : 'identity.denied', caseId: request.caseId,
      // Content-free: that a reason was recorded (sealed to the requester), never the reason.
      details: { requestId, requesterId: request.requesterId, ...(decision.approve ? { reasonSealed: true } : {}) },
    });
    return ok({ id: requestId, status, disclosedAt: disclosedAt ? disclosedAt.toISOString() : null });
  });
}
