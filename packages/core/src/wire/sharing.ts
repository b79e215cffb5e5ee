import { z } from 'zod';
import { b64Bytes, SEALED_CASE_KEY_BYTES, uuidV4, type B64 } from './common';

/** Granting a case (caseKey ‖ staffKey re-sealed in the holder's browser), revoking, recusal; the directory. */

export const grantSchema = z.strictObject({
  recipientId: uuidV4,
  sealedKey: b64Bytes({ exact: SEALED_CASE_KEY_BYTES }),
  assign: z.boolean({ error: 'must be true or false' }).optional().default(false),
});

export type GrantRequest = { recipientId: string; sealedKey: B64; assign?: boolean };

/** POST …/grants → 201. */
export type GrantAnswer = { recipientId: string; assigneeId: string | null };
/** DELETE …/grants/:userId and POST …/recusal → 200. */
export type AssigneeAnswer = { assigneeId: string | null };

/** One colleague of GET /api/v1/staff/directory: who a case can be granted to. */
export type DirectoryEntry = {
  id: string; displayName: string; unitId: string | null; unitName: string | null; roles: string[]; publicKey: B64 | null; canHandleCases: boolean;
};
export type Directory = { items: DirectoryEntry[] };
