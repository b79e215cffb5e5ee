import type { Queryable } from './pool';

/** "May see the case" means exactly: holds a key wrap for it (and so can decrypt it). */
export async function staffHoldsCase(db: Queryable, userId: string, caseId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM case_key_wraps WHERE case_id = $1 AND recipient_id = $2', [caseId, userId]);
  return (rowCount ?? 0) > 0;
}
