import { may, type DirectoryEntry, type IdentityRequestItem, type StaffMe } from '@sauti/core';
import type { CustodianQueueItem, StaffAccount, StaffListing } from '@sauti/db';
import { b64, b64OrNull, iso, isoOrNull } from './encoding';

export const presentMe = (me: StaffAccount): StaffMe => ({
  id: me.id, email: me.email, displayName: me.displayName, roles: me.roles, unitId: me.unitId, publicKey: b64OrNull(me.publicKey),
  encryptedPrivateKey: b64OrNull(me.encryptedPrivateKey), recoveryEncryptedPrivateKey: b64OrNull(me.recoveryEncryptedPrivateKey),
});

export const presentDirectoryEntry = (p: StaffListing): DirectoryEntry => ({
  id: p.id, displayName: p.displayName, unitId: p.unitId, unitName: p.unitName, roles: p.roles, publicKey: b64OrNull(p.publicKey),
  canHandleCases: may(p.roles, 'handleCases'),
});

export const presentIdentityRequest = (r: CustodianQueueItem): IdentityRequestItem => ({
  id: r.id, caseId: r.caseId, caseReference: r.caseReference, requesterId: r.requesterId, requesterName: r.requesterName,
  requesterPublicKey: b64OrNull(r.requesterPublicKey), sealedReason: b64OrNull(r.sealedReason),
  identityWrap: b64(r.identityWrap), status: r.status, createdAt: iso(r.createdAt), decidedAt: isoOrNull(r.decidedAt),
});
