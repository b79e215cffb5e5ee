import type { AssignmentCandidate } from '@sauti/core';
import type { Queryable } from './pool';

export type CaseHolderRecord = { userId: string; displayName: string; unitId: string | null; status: string; grantedBy: string | null; grantedAt: Date };

export async function listCaseHolders(db: Queryable, caseId: string): Promise<CaseHolderRecord[]> {
  const { rows } = await db.query<{ recipient_id: string; display_name: string; unit_id: string | null; status: string; granted_by: string | null; created_at: Date }>(
    `SELECT w.recipient_id, u.display_name, u.unit_id, u.status, w.granted_by, w.created_at
       FROM case_key_wraps w JOIN staff_users u ON u.id = w.recipient_id WHERE w.case_id = $1 ORDER BY w.created_at, u.display_name`,
    [caseId],
  );
  return rows.map((r) => ({ userId: r.recipient_id, displayName: r.display_name, unitId: r.unit_id, status: r.status, grantedBy: r.granted_by, grantedAt: r.created_at }));
}

/** Returns false when the recipient already holds a wrap for the case. */
export async function insertCaseGrant(db: Queryable, g: { caseId: string; recipientId: string; sealedKey: Buffer; grantedBy: string }): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO case_key_wraps (case_id, recipient_id, sealed_key, granted_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [g.caseId, g.recipientId, g.sealedKey, g.grantedBy],
  );
  return rowCount === 1;
}

/**
 * Removes a person's access: the case key wrap, any identity wrap for the case, and their unread
 * marker. It cannot remove what they already decrypted (docs/revocation.md).
 */
export async function deleteCaseGrant(db: Queryable, caseId: string, recipientId: string): Promise<{ grantedBy: string | null } | null> {
  const { rows } = await db.query<{ granted_by: string | null }>(
    'DELETE FROM case_key_wraps WHERE case_id = $1 AND recipient_id = $2 RETURNING granted_by', [caseId, recipientId]);
  if (!rows[0]) return null;
  await db.query('DELETE FROM identity_wraps WHERE case_id = $1 AND recipient_id = $2', [caseId, recipientId]);
  await db.query('DELETE FROM case_reads WHERE case_id = $1 AND user_id = $2', [caseId, recipientId]);
  return { grantedBy: rows[0].granted_by };
}

export async function findGrant(db: Queryable, caseId: string, recipientId: string): Promise<{ grantedBy: string | null } | null> {
  const { rows } = await db.query<{ granted_by: string | null }>(
    'SELECT granted_by FROM case_key_wraps WHERE case_id = $1 AND recipient_id = $2', [caseId, recipientId]);
  return rows[0] ? { grantedBy: rows[0].granted_by } : null;
}

/**
 * Reassignment candidates: the remaining holders of the case. Only active investigators and
 * supervisors count as active here, because only they may handle a case.
 */
export async function listHolderCandidates(tx: Queryable, caseId: string, excluded: string[]): Promise<AssignmentCandidate[]> {
  const { rows } = await tx.query<{ id: string; eligible: boolean; open_cases: string; last_assigned_at: Date | null }>(
    `SELECT u.id, (u.status = 'active' AND u.roles && ARRAY['investigator', 'supervisor']) AS eligible, u.last_assigned_at,
            (SELECT count(*) FROM cases o WHERE o.assignee_id = u.id AND o.status <> 'closed') AS open_cases
       FROM case_key_wraps w JOIN staff_users u ON u.id = w.recipient_id
      WHERE w.case_id = $1 ORDER BY u.id FOR NO KEY UPDATE OF u`,
    [caseId],
  );
  return rows.map((r) => ({
    userId: r.id, active: r.eligible, holdsKeyWrap: true, excludedByReporter: excluded.includes(r.id), openCases: Number(r.open_cases), lastAssignedAt: r.last_assigned_at,
  }));
}

