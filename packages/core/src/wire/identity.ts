import { z } from 'zod';
import { b64Bytes, REASON_MAX_BYTES, SEAL_OVERHEAD, SEALED_KEY_BYTES, uuidV4, type B64, type IsoDate } from './common';
import { encryptedReason } from './staff-cases';

/** Asking for, granting and reading a reporter's identity (docs/staff-api.md). */

export const identityRequestSchema = z.strictObject({
  id: uuidV4,
  reason: encryptedReason,
  custodianReasons: z
    .array(z.strictObject({ recipientId: uuidV4, sealedReason: b64Bytes({ max: REASON_MAX_BYTES + SEAL_OVERHEAD, min: SEAL_OVERHEAD + 1 }) }))
    .min(1, { error: "must seal the reason to each of the case's identity custodians" })
    .max(100),
});
export const identityApprovalSchema = z.strictObject({
  sealedKey: b64Bytes({ exact: SEALED_KEY_BYTES }),
  /** Why the custodian approves: required, sealed to the requester in the custodian's browser (the server cannot read it). */
  sealedReason: b64Bytes({ max: REASON_MAX_BYTES + SEAL_OVERHEAD, min: SEAL_OVERHEAD + 1 }),
});
export const identityRequestStatusQuerySchema = z.strictObject({
  status: z.enum(['pending', 'approved', 'denied', 'all'], { error: 'must be pending, approved, denied or all' }).default('pending'),
});

export type IdentityRequestBody = { id: string; reason: B64; custodianReasons: { recipientId: string; sealedReason: B64 }[] };
export type IdentityApprovalRequest = { sealedKey: B64; sealedReason: B64 };

/** POST …/identity-requests → 201. */
export type IdentityRequestCreated = { id: string; status: 'pending' };
/** POST /api/v1/staff/identity-requests/:id/approve|deny → 200. */
export type IdentityDecision = { id: string; status: 'approved' | 'denied'; disclosedAt: IsoDate | null };

/** One item of a custodian's queue (GET /api/v1/staff/identity-requests). */
export type IdentityRequestItem = {
  id: string; caseId: string; caseReference: string; requesterId: string; requesterName: string; requesterPublicKey: B64 | null;
  sealedReason: B64 | null; identityWrap: B64; status: string; createdAt: IsoDate; decidedAt: IsoDate | null;
};
export type IdentityRequestQueue = { items: IdentityRequestItem[] };
