import { randomUUID } from 'node:crypto';
import { fail, ok, type Result } from '@sauti/core';
import { tellOversight } from './oversight';
import {
  appendAudit,
  createInvite,
  createInvitedStaff,
  enqueueOutbox,
  findStaffByEmail,
  INVITE_VALID_SECONDS,
  inviteTokenDigest,
  inviteTokenFor,
  unitExists,
  updateStaff,
  withTransaction,
  type Db,
} from '@sauti/db';

export type InviteInput = { email: string; displayName: string; roles: string[]; unitId: string | null };
export type CreatedInvite = { userId: string; inviteId: string; expiresAt: Date; token: string };

/**
 * Creates (or renews) an invitation and asks the worker, through the outbox, to e-mail the
 * one-time link. The token is returned for the operator CLI only; the HTTP API never shows it.
 */
export async function createStaffInvite(
  deps: { pool: Db; serverSecret: Buffer },
  input: InviteInput,
  invitedBy: string | null,
): Promise<Result<CreatedInvite>> {
  return withTransaction(deps.pool, async (tx) => {
    if (input.unitId && !(await unitExists(tx, input.unitId))) {
      return fail('invalid', 'That unit does not exist.', [{ field: 'unitId', message: 'is not a unit; see GET /api/v1/admin/units' }]);
    }
    const existing = await findStaffByEmail(tx, input.email);
    if (existing && existing.status !== 'invited') {
      return fail('conflict', 'This address already has an account. To let the person in again, enable the account instead.', [
        { field: 'email', message: 'already belongs to an activated account' },
      ]);
    }
    const userId = existing?.id ?? randomUUID();
    if (existing) await updateStaff(tx, userId, { roles: input.roles, unitId: input.unitId, displayName: input.displayName });
    else await createInvitedStaff(tx, { id: userId, email: input.email, displayName: input.displayName, unitId: input.unitId, roles: input.roles });
    const inviteId = randomUUID();
    const token = inviteTokenFor(deps.serverSecret, inviteId);
    const expiresAt = await createInvite(tx, { id: inviteId, userId, tokenDigest: inviteTokenDigest(token), invitedBy, validSeconds: INVITE_VALID_SECONDS });
    await enqueueOutbox(tx, { id: randomUUID(), topic: 'staff.invite', aggregateId: inviteId });
    await appendAudit(tx, {
      actorType: invitedBy ? 'staff' : 'system', actorId: invitedBy, action: 'staff.invited',
      details: { userId, inviteId, roles: input.roles, renewed: !!existing },
    });
    // An invitation grants roles (they take effect on activation): an access change like any other.
    await tellOversight(tx);
    return ok({ userId, inviteId, expiresAt, token });
  });
}
