import { chooseAssignee, fail, may, ok, type AssigneeAnswer, type GrantAnswer, type Result } from '@sauti/core';
import {
  appendAudit,
  deleteCaseGrant,
  findGrant,
  findStaffById,
  insertCaseGrant,
  listCaseHolders,
  listHolderCandidates,
  listStaff,
  lockCaseState,
  setCaseAssignee,
  staffHoldsCase,
  withTransaction,
  type Db,
  type Queryable,
  type StaffListing,
} from '@sauti/db';
import type { StaffPrincipal } from '../auth';
import { CASE_NOT_FOUND, checkHandler } from './staff-cases';

const b = (v: string) => Buffer.from(v, 'base64url');

/** Colleagues a case can be granted to: active, with keys. */
export async function directory(pool: Db): Promise<StaffListing[]> {
  return listStaff(pool, { activeWithKeysOnly: true });
}

/**
 * After someone loses access, the case goes to the least-loaded remaining holder (the same rule
 * as triage, core/assignment.ts); if nobody eligible holds it, it is left unassigned.
 */
async function reassign(tx: Queryable, actorId: string, caseId: string, excluded: string[]): Promise<string | null> {
  const decision = chooseAssignee(await listHolderCandidates(tx, caseId, excluded));
  const assigneeId = decision.kind === 'assigned' ? decision.userId : null;
  await setCaseAssignee(tx, caseId, assigneeId);
  await appendAudit(tx, { actorType: 'staff', actorId, action: 'case.reassigned', caseId, details: { assigneeId, reason: decision.reason } });
  return assigneeId;
}

/** A holder's browser re-sealed caseKey‖staffKey to a colleague; the server records who gave what to whom. */
export async function grantCase(
  pool: Db,
  who: StaffPrincipal,
  caseId: string,
  input: { recipientId: string; sealedKey: string; assign: boolean },
): Promise<Result<GrantAnswer>> {
  return withTransaction(pool, async (tx) => {
    const allowed = await checkHandler(tx, who, caseId);
    if (!allowed.ok) return allowed;
    const recipient = await findStaffById(tx, input.recipientId);
    if (!recipient || recipient.status !== 'active' || !recipient.publicKey) {
      return fail('invalid', 'A case can be granted only to an active staff member.', [{ field: 'recipientId', message: 'is not an active staff member' }]);
    }
    if (!may(recipient.roles, 'handleCases')) {
      return fail('invalid', 'A case can be granted only to an investigator or a supervisor.', [{ field: 'recipientId', message: 'is neither an investigator nor a supervisor' }]);
    }
    const state = await lockCaseState(tx, caseId);
    if (!state) return fail('not_found', CASE_NOT_FOUND);
    // The reporter's exclusions hold for grants too: nobody may hand the case to someone it names.
    if (state.excluded.includes(input.recipientId)) {
      return fail('forbidden', 'The reporter asked that this person must not receive the case.', [
        { field: 'recipientId', message: 'was excluded by the reporter' },
      ]);
    }
    if (!(await insertCaseGrant(tx, { caseId, recipientId: input.recipientId, sealedKey: b(input.sealedKey), grantedBy: who.userId }))) {
      return fail('conflict', 'This person already holds the case.', [{ field: 'recipientId', message: 'already holds a key wrap for this case' }]);
    }
    await appendAudit(tx, { actorType: 'staff', actorId: who.userId, action: 'case.granted', caseId, details: { recipientId: input.recipientId, assign: input.assign } });
    let assigneeId = state.assigneeId;
    if (input.assign) {
      await setCaseAssignee(tx, caseId, input.recipientId);
      assigneeId = input.recipientId;
      await appendAudit(tx, { actorType: 'staff', actorId: who.userId, action: 'case.reassigned', caseId, details: { assigneeId, reason: 'granted with assignment' } });
    }
    return ok({ recipientId: input.recipientId, assigneeId });
  });
}

/** Removes another person's wrap: a supervisor holding the case, or whoever granted that wrap. */
export async function revokeGrant(pool: Db, who: StaffPrincipal, caseId: string, recipientId: string): Promise<Result<AssigneeAnswer>> {
  return withTransaction(pool, async (tx) => {
    if (!(await staffHoldsCase(tx, who.userId, caseId))) return fail('not_found', CASE_NOT_FOUND);
    if (recipientId === who.userId) return fail('invalid', 'To give up your own access, recuse yourself (POST …/recusal).');
    const grant = await findGrant(tx, caseId, recipientId);
    if (!grant) return fail('not_found', 'This person does not hold the case.');
    if (!may(who.roles, 'revokeGrants') && grant.grantedBy !== who.userId) {
      return fail('forbidden', 'Only a supervisor, or the person who granted this access, may revoke it.');
    }
    const state = await lockCaseState(tx, caseId);
    if (!state) return fail('not_found', CASE_NOT_FOUND);
    await deleteCaseGrant(tx, caseId, recipientId);
    await appendAudit(tx, { actorType: 'staff', actorId: who.userId, action: 'case.revoked', caseId, details: { recipientId } });
    const assigneeId = state.assigneeId === recipientId ? await reassign(tx, who.userId, caseId, state.excluded) : state.assigneeId;
    return ok({ assigneeId });
  });
}

/** Conflict of interest: the caller gives up its own access and the case is reassigned if it was theirs. */
export async function recuse(pool: Db, who: StaffPrincipal, caseId: string): Promise<Result<AssigneeAnswer>> {
  return withTransaction(pool, async (tx) => {
    if (!(await staffHoldsCase(tx, who.userId, caseId))) return fail('not_found', CASE_NOT_FOUND);
    const state = await lockCaseState(tx, caseId);
    if (!state) return fail('not_found', CASE_NOT_FOUND);
    const others = (await listCaseHolders(tx, caseId)).filter((h) => h.userId !== who.userId && h.status === 'active');
    if (others.length === 0) {
      return fail('conflict', 'You are the only active person who can read this case. Grant it to a colleague or your supervisor first, then recuse yourself.');
    }
    await deleteCaseGrant(tx, caseId, who.userId);
    await appendAudit(tx, { actorType: 'staff', actorId: who.userId, action: 'case.recused', caseId });
    const assigneeId = state.assigneeId === who.userId || state.assigneeId === null ? await reassign(tx, who.userId, caseId, state.excluded) : state.assigneeId;
    return ok({ assigneeId });
  });
}
