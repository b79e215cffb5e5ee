import { fail, ok, type Result } from '@sauti/core';
import { appendAudit, setLegalHold, withTransaction, type Db } from '@sauti/db';

/** A case under legal hold is kept past its retention period until the hold is lifted. */
export async function changeLegalHold(pool: Db, actorId: string, caseId: string, hold: boolean): Promise<Result<{ caseId: string; legalHold: boolean }>> {
  return withTransaction(pool, async (tx) => {
    if (!(await setLegalHold(tx, caseId, hold))) return fail('not_found', 'There is no case with this id.');
    await appendAudit(tx, { actorType: 'staff', actorId, action: hold ? 'case.legal_hold_placed' : 'case.legal_hold_lifted', caseId });
    return ok({ caseId, legalHold: hold });
  });
}
