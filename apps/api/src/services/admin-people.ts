import { fail, ok, type Result } from '@sauti/core';
import { tellOversight } from './oversight';
import {
  appendAudit,
  countActiveAdmins,
  deleteStaffSessionsOf,
  findStaffById,
  listStaff,
  setStaffStatus,
  unitExists,
  updateStaff,
  withTransaction,
  type Db,
  type Queryable,
  type StaffListing,
} from '@sauti/db';

const NO_SUCH_PERSON = 'There is no staff member with this id.';

/** Everyone with an account or an invitation. */
export async function listPeople(pool: Db): Promise<StaffListing[]> {
  return listStaff(pool);
}

/** Disabling ends every session of the person at once; the keys they hold stay wrapped. */
export async function disableStaff(pool: Db, actorId: string | null, userId: string): Promise<Result<{ endedSessions: number }>> {
  if (actorId === userId) return fail('conflict', 'You cannot disable your own account; ask another administrator.');
  return withTransaction(pool, async (tx) => {
    const person = await findStaffById(tx, userId);
    if (!person) return fail('not_found', NO_SUCH_PERSON);
    await setStaffStatus(tx, userId, 'disabled');
    await tx.query(`UPDATE staff_invites SET revoked_at = now() WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [userId]);
    const ended = await deleteStaffSessionsOf(tx, userId);
    await appendAudit(tx, { actorType: actorId ? 'staff' : 'system', actorId, action: 'admin.staff_disabled', details: { userId, endedSessions: ended } });
    return ok({ endedSessions: ended });
  });
}

export async function enableStaff(pool: Db, actorId: string, userId: string): Promise<Result<{ status: 'active' }>> {
  return withTransaction(pool, async (tx) => {
    const person = await findStaffById(tx, userId);
    if (!person) return fail('not_found', NO_SUCH_PERSON);
    if (!(await setStaffStatus(tx, userId, 'active'))) {
      return fail('conflict', 'This person never finished activation, so there is no account to enable. Send a new invitation instead.');
    }
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'admin.staff_enabled', details: { userId } });
    return ok({ status: 'active' as const });
  });
}

async function checkUnit(tx: Queryable, unitId: string | null | undefined): Promise<Result<true>> {
  if (unitId && !(await unitExists(tx, unitId))) return fail('invalid', 'That unit does not exist.', [{ field: 'unitId', message: 'is not a unit' }]);
  return ok(true);
}

export async function updateStaffMember(
  pool: Db,
  actorId: string,
  userId: string,
  change: { roles?: string[]; unitId?: string | null; displayName?: string },
): Promise<Result<{ userId: string }>> {
  return withTransaction(pool, async (tx) => {
    const person = await findStaffById(tx, userId);
    if (!person) return fail('not_found', NO_SUCH_PERSON);
    const unit = await checkUnit(tx, change.unitId);
    if (!unit.ok) return unit;
    const losesAdmin = change.roles && person.roles.includes('admin') && !change.roles.includes('admin');
    if (losesAdmin && person.status === 'active' && (await countActiveAdmins(tx)) <= 1) {
      return fail('conflict', 'This is the last active administrator; make someone else an administrator first.');
    }
    await updateStaff(tx, userId, change);
    // A change of roles takes effect on the next request: sessions read roles from the account.
    const rolesChanged = change.roles !== undefined && [...change.roles].sort().join() !== [...person.roles].sort().join();
    await appendAudit(tx, {
      actorType: 'staff', actorId, action: 'admin.staff_updated',
      details: { userId, roles: change.roles ?? null, previousRoles: rolesChanged ? person.roles : null, unitId: change.unitId ?? null },
    });
    // A role grant or removal (custodian, supervisor, admin …) is an access change: oversight hears of it.
    if (rolesChanged) await tellOversight(tx);
    return ok({ userId });
  });
}
