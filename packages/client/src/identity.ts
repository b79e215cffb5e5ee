import { encryptNote, fromB64, fromUtf8, grantIdentityKey, openIdentity, openReporterKey, openSealed, randomUuid, ready, seal, toB64, utf8 } from '@sauti/crypto';
import type { CustodianRequest, IdentityDecision, IdentityRequestCreated, IdentityRequestItem, IdentityRequestQueue, OpenedIdentity } from '@sauti/core';
import { openIdentityBody } from './payloads';
import { paths } from './paths';
import { fetchCase } from './staff-cases';
import type { StaffSession } from './staff-session';
import type { ApiAnswer } from './transport';

/** A reporter's identity: asking for it, a custodian's decision, reading it once granted (docs/staff-api.md). */

export type RequestStatus = 'pending' | 'approved' | 'denied' | 'all';

/** The reason goes under staffKey for the team, and sealed to each custodian of the identity. */
export async function requestIdentity(s: StaffSession, caseId: string, reason: string, requestId: string = randomUuid()): Promise<ApiAnswer<IdentityRequestCreated>> {
  const { staffKey } = await s.keysOf(caseId);
  const view = await fetchCase(s, caseId);
  const custodians = view.identity?.custodians ?? [];
  return s.transport.call('POST', paths.staff.caseIdentityRequests(caseId), {
    id: requestId,
    reason: toB64(encryptNote(staffKey, caseId, requestId, reason)),
    custodianReasons: custodians.map((c) => ({ recipientId: c.id, sealedReason: toB64(seal(fromB64(c.publicKey), utf8(JSON.stringify({ text: reason })))) })),
  });
}

export function listIdentityRequests(s: StaffSession, status: RequestStatus = 'pending'): Promise<ApiAnswer<IdentityRequestQueue>> {
  return s.transport.call('GET', paths.staff.identityRequests(status));
}

/** A custodian reads the reason sealed to it. */
export async function readRequestReason(s: StaffSession, item: IdentityRequestItem): Promise<string | null> {
  await ready();
  if (!item.sealedReason) return null;
  const opened = JSON.parse(fromUtf8(openSealed(s.kp(), fromB64(item.sealedReason), 'request reason'))) as { text?: unknown } | null;
  return typeof opened?.text === 'string' ? opened.text : null;
}

/** A custodian's queue with the reasons opened; a reason that cannot be opened reads as null. */
export async function custodianQueue(s: StaffSession, status: RequestStatus): Promise<CustodianRequest[]> {
  const items = s.transport.need(await listIdentityRequests(s, status), [200], 'identity requests').items;
  const out: CustodianRequest[] = [];
  for (const r of items) {
    out.push({
      id: r.id, caseId: r.caseId, caseReference: r.caseReference, requesterName: r.requesterName, status: r.status, createdAt: r.createdAt, decidedAt: r.decidedAt,
      reason: await readRequestReason(s, r).catch(() => null),
    });
  }
  return out;
}

/**
 * A custodian opens its identity wrap and re-seals identityKey to the requester, here: the server
 * cannot. The custodian's reason for approving is sealed to the requester the same way as a request
 * reason is sealed to a custodian (seal(pk, utf8(JSON({ text })))), and is required.
 */
export async function approveIdentity(s: StaffSession, item: IdentityRequestItem, reason: string): Promise<ApiAnswer<IdentityDecision>> {
  if (!reason.trim()) throw new Error('a reason for approving is required');
  await ready();
  if (!item.requesterPublicKey) throw new Error('the requester has no public key');
  const identityKey = openReporterKey(s.kp(), fromB64(item.identityWrap));
  const sealedKey = grantIdentityKey(identityKey, fromB64(item.requesterPublicKey));
  identityKey.fill(0);
  const sealedReason = seal(fromB64(item.requesterPublicKey), utf8(JSON.stringify({ text: reason.trim() })));
  return s.transport.call('POST', paths.staff.identityApprove(item.id), { sealedKey: toB64(sealedKey), sealedReason: toB64(sealedReason) });
}

/** Approves a pending request found by id; null when it is not (or no longer) pending for this custodian. */
export async function approveIdentityById(s: StaffSession, requestId: string, reason: string): Promise<ApiAnswer<IdentityDecision> | null> {
  const items = s.transport.need(await listIdentityRequests(s, 'pending'), [200], 'identity requests').items;
  const item = items.find((r) => r.id === requestId);
  return item?.requesterPublicKey ? approveIdentity(s, item, reason) : null;
}

export function denyIdentity(s: StaffSession, requestId: string): Promise<ApiAnswer<IdentityDecision>> {
  return s.transport.call('POST', paths.staff.identityDeny(requestId));
}

/** Reads the reporter's identity once a custodian granted it to the caller, checked against §9; null if not granted. */
export async function readIdentity(s: StaffSession, caseId: string): Promise<OpenedIdentity | null> {
  await ready();
  const view = await fetchCase(s, caseId);
  if (!view.identity?.sealedKey) return null;
  const identityKey = openReporterKey(s.kp(), fromB64(view.identity.sealedKey));
  try {
    return openIdentityBody(identityKey, caseId, fromB64(view.identity.ciphertext));
  } finally {
    identityKey.fill(0);
  }
}


/** The identity payload exactly as sealed (tests and tools that sealed their own); throws when not granted. */
export async function readIdentityAsSealed<T = unknown>(s: StaffSession, caseId: string): Promise<T> {
  await ready();
  const view = await fetchCase(s, caseId);
  if (!view.identity?.sealedKey) throw new Error('no identity has been granted to you for this case');
  const identityKey = openReporterKey(s.kp(), fromB64(view.identity.sealedKey));
  try {
    return openIdentity<T>(identityKey, caseId, fromB64(view.identity.ciphertext));
  } finally {
    identityKey.fill(0);
  }
}
