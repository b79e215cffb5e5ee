import { randomUUID } from 'node:crypto';
import { fail, ok, type Result } from '@sauti/core';
import { tellOversight } from './oversight';
import { appendAudit, createUnit, findStaffById, isUniqueViolation, listUnits, updateUnit, withTransaction, type Db, type Queryable, type UnitRecord } from '@sauti/db';

export async function listAllUnits(pool: Db): Promise<UnitRecord[]> {
  return listUnits(pool);
}

async function checkSupervisor(tx: Queryable, supervisorId: string | null | undefined): Promise<Result<true>> {
  if (!supervisorId) return ok(true);
  const person = await findStaffById(tx, supervisorId);
  if (!person?.roles.includes('supervisor')) {
    return fail('invalid', 'A unit supervisor must be a staff member with the supervisor role.', [{ field: 'supervisorId', message: 'is not a supervisor' }]);
  }
  return ok(true);
}

export async function createStaffUnit(pool: Db, actorId: string, input: { name: string; supervisorId: string | null }): Promise<Result<{ id: string }>> {
  return withTransaction(pool, async (tx) => {
    const sup = await checkSupervisor(tx, input.supervisorId);
    if (!sup.ok) return sup;
    const id = randomUUID();
    try {
      await tx.query('SAVEPOINT unit');
      await createUnit(tx, { id, name: input.name, supervisorId: input.supervisorId });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT unit');
      return fail('conflict', 'A unit with this name exists already.', [{ field: 'name', message: 'is already used' }]);
    }
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'admin.unit_created', details: { unitId: id, supervisorId: input.supervisorId } });
    if (input.supervisorId) await tellOversight(tx);
    return ok({ id });
  });
}

export async function updateStaffUnit(pool: Db, actorId: string, unitId: string, change: { name?: string; supervisorId?: string | null }): Promise<Result<{ id: string }>> {
  return withTransaction(pool, async (tx) => {
    const sup = await checkSupervisor(tx, change.supervisorId);
    if (!sup.ok) return sup;
    try {
      await tx.query('SAVEPOINT unit');
      if (!(await updateUnit(tx, unitId, change))) return fail('not_found', 'There is no unit with this id.');
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT unit');
      return fail('conflict', 'A unit with this name exists already.', [{ field: 'name', message: 'is already used' }]);
    }
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'admin.unit_updated', details: { unitId, supervisorId: change.supervisorId ?? null } });
    // A unit's supervisor receives its escalations: changing who that is, is an access change.
    if (change.supervisorId !== undefined) await tellOversight(tx);
    return ok({ id: unitId });
  });
}
