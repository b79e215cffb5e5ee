import {
  encryptNote,
  fromB64,
  fromUtf8,
  grantCaseKeys,
  grantIdentityKey,
  openIdentity,
  openReporterKey,
  openSealed,
  randomUuid,
  seal,
  toB64,
  utf8,
} from '@sauti/crypto';
import type { IdentityRequestItem, StaffCaseView } from '@sauti/client';
import { OpError } from './op-error';
import type { CustodianRequest, IdentityBody, Ops } from './protocol';
import type { OpContext } from './reporter-ops';
import { staffSession } from './staff-ops';

type Handler<K extends keyof Ops> = (args: Ops[K]['args'], ctx: OpContext) => Promise<Ops[K]['result']>;
type DirectoryItem = { id: string; displayName: string; unitName: string | null; publicKey: string | null; canHandleCases: boolean };

const s = staffSession;

async function directory(): Promise<DirectoryItem[]> {
  return s.expect(await s.client().call<{ items: DirectoryItem[] }>('GET', '/api/v1/staff/directory'), [200]).items;
}

async function caseView(caseId: string): Promise<StaffCaseView> {
  return s.expect(await s.client().getCase(caseId), [200]);
}

/** A holder re-seals caseKey‖staffKey to the colleague's public key, here (§5 "Granting"). */
const staffGrant: Handler<'staffGrant'> = async ({ caseId, recipientId, assign }) => {
  const keys = await s.keysOf(caseId);
  const person = (await directory()).find((p) => p.id === recipientId);
  if (!person?.publicKey) throw new OpError('not_found');
  const sealedKey = grantCaseKeys(keys, fromB64(person.publicKey));
  s.expect(await s.client().call('POST', `/api/v1/staff/cases/${caseId}/grants`, { recipientId, sealedKey: toB64(sealedKey), assign }), [201]);
  return s.detail(caseId);
};

const staffRevoke: Handler<'staffRevoke'> = async ({ caseId, userId }) => {
  s.expect(await s.client().call('DELETE', `/api/v1/staff/cases/${caseId}/grants/${userId}`), [200]);
  return s.detail(caseId);
};

/** The reason is encrypted twice here: under staffKey for the team, and sealed to each custodian of the identity. */
const staffRequestIdentity: Handler<'staffRequestIdentity'> = async ({ caseId, reason }) => {
  const keys = await s.keysOf(caseId);
  const view = await caseView(caseId);
  const custodians = view.identity?.custodians ?? [];
  const id = randomUuid();
  s.expect(await s.client().call('POST', `/api/v1/staff/cases/${caseId}/identity-requests`, {
    id,
    reason: toB64(encryptNote(keys.staffKey, caseId, id, reason)),
    custodianReasons: custodians.map((c) => ({ recipientId: c.id, sealedReason: toB64(seal(fromB64(c.publicKey), utf8(JSON.stringify({ text: reason })))) })),
  }), [201]);
  return s.detail(caseId);
};

const staffReadIdentity: Handler<'staffReadIdentity'> = async ({ caseId }) => {
  const view = await caseView(caseId);
  if (!view.identity?.sealedKey) throw new OpError('not_found');
  const identityKey = openReporterKey(s.keyPair(), fromB64(view.identity.sealedKey));
  try {
    return openIdentity<IdentityBody>(identityKey, caseId, fromB64(view.identity.ciphertext));
  } finally {
    identityKey.fill(0);
  }
};

function reasonOf(item: IdentityRequestItem): string | null {
  if (!item.sealedReason) return null;
  try {
    return (JSON.parse(fromUtf8(openSealed(s.keyPair(), fromB64(item.sealedReason), 'request reason'))) as { text: string }).text;
  } catch {
    return null; // shown as "could not be decrypted"
  }
}

async function queue(status: 'pending' | 'all'): Promise<IdentityRequestItem[]> {
  return s.expect(await s.client().call<{ items: IdentityRequestItem[] }>('GET', `/api/v1/staff/identity-requests?status=${status}`), [200]).items;
}

const staffIdentityQueue: Handler<'staffIdentityQueue'> = async ({ status }) =>
  (await queue(status)).map((r): CustodianRequest => ({
    id: r.id, caseId: r.caseId, caseReference: r.caseReference, requesterName: r.requesterName, reason: reasonOf(r), status: r.status, createdAt: r.createdAt, decidedAt: r.decidedAt,
  }));

/** Approval opens this custodian's identity wrap and re-seals identityKey to the requester: the server cannot. */
const staffDecideIdentity: Handler<'staffDecideIdentity'> = async ({ requestId, approve }) => {
  if (!approve) {
    s.expect(await s.client().call('POST', `/api/v1/staff/identity-requests/${requestId}/deny`), [200]);
    return null;
  }
  const item = (await queue('pending')).find((r) => r.id === requestId);
  if (!item?.requesterPublicKey) throw new OpError('not_found');
  const identityKey = openReporterKey(s.keyPair(), fromB64(item.identityWrap));
  const sealedKey = grantIdentityKey(identityKey, fromB64(item.requesterPublicKey));
  identityKey.fill(0);
  s.expect(await s.client().call('POST', `/api/v1/staff/identity-requests/${requestId}/approve`, { sealedKey: toB64(sealedKey) }), [200]);
  return null;
};

export const staffSharingOps = {
  staffDirectory: (async () =>
    (await directory()).map((p) => ({ id: p.id, displayName: p.displayName, unitName: p.unitName, canHandleCases: p.canHandleCases }))) as Handler<'staffDirectory'>,
  staffGrant,
  staffRevoke,
  staffRequestIdentity,
  staffReadIdentity,
  staffIdentityQueue,
  staffDecideIdentity,
};
