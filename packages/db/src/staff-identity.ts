import { markIdentityDisclosed } from './cases';
import type { Queryable } from './pool';

/** Active custodians holding an identity wrap for the case: whom a request's reason is sealed to. */
export async function listCaseCustodians(db: Queryable, caseId: string): Promise<{ id: string; displayName: string; publicKey: Buffer }[]> {
  const { rows } = await db.query<{ id: string; display_name: string; public_key: Buffer }>(
    `SELECT u.id, u.display_name, u.public_key FROM identity_wraps w JOIN staff_users u ON u.id = w.recipient_id
      WHERE w.case_id = $1 AND u.status = 'active' AND 'custodian' = ANY(u.roles) AND u.public_key IS NOT NULL ORDER BY u.id`,
    [caseId],
  );
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, publicKey: r.public_key }));
}

export async function findIdentityWrap(db: Queryable, caseId: string, userId: string): Promise<Buffer | null> {
  const { rows } = await db.query<{ sealed_key: Buffer }>('SELECT sealed_key FROM identity_wraps WHERE case_id = $1 AND recipient_id = $2', [caseId, userId]);
  return rows[0]?.sealed_key ?? null;
}

export async function insertIdentityRequest(
  tx: Queryable,
  r: { id: string; caseId: string; requesterId: string; reason: Buffer; custodianReasons: { custodianId: string; sealedReason: Buffer }[] },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO identity_requests (id, case_id, requester_id, reason) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [r.id, r.caseId, r.requesterId, r.reason],
  );
  if (rowCount !== 1) return false;
  await tx.query(
    `INSERT INTO identity_request_reasons (request_id, custodian_id, sealed_reason) SELECT $1, * FROM unnest($2::uuid[], $3::bytea[])`,
    [r.id, r.custodianReasons.map((c) => c.custodianId), r.custodianReasons.map((c) => c.sealedReason)],
  );
  return true;
}

export type IdentityRequestRow = {
  id: string; caseId: string; requesterId: string; requesterName: string; reason: Buffer; status: 'pending' | 'approved' | 'denied';
  decidedBy: string | null; decidedAt: Date | null; createdAt: Date;
};

type RequestDbRow = {
  id: string; case_id: string; requester_id: string; display_name: string; reason: Buffer; status: IdentityRequestRow['status'];
  decided_by: string | null; decided_at: Date | null; created_at: Date;
};
const request = (r: RequestDbRow): IdentityRequestRow => ({
  id: r.id, caseId: r.case_id, requesterId: r.requester_id, requesterName: r.display_name, reason: r.reason, status: r.status,
  decidedBy: r.decided_by, decidedAt: r.decided_at, createdAt: r.created_at,
});
const REQUEST_SQL = `SELECT r.id, r.case_id, r.requester_id, u.display_name, r.reason, r.status, r.decided_by, r.decided_at, r.created_at
  FROM identity_requests r JOIN staff_users u ON u.id = r.requester_id`;

export async function listCaseIdentityRequests(db: Queryable, caseId: string): Promise<IdentityRequestRow[]> {
  const { rows } = await db.query<RequestDbRow>(`${REQUEST_SQL} WHERE r.case_id = $1 ORDER BY r.created_at, r.id`, [caseId]);
  return rows.map(request);
}

export async function findIdentityRequest(db: Queryable, id: string, forUpdate = false): Promise<IdentityRequestRow | null> {
  const { rows } = await db.query<RequestDbRow>(`${REQUEST_SQL} WHERE r.id = $1${forUpdate ? ' FOR UPDATE OF r' : ''}`, [id]);
  return rows[0] ? request(rows[0]) : null;
}

export type CustodianQueueItem = IdentityRequestRow & {
  caseReference: string; requesterPublicKey: Buffer | null; sealedReason: Buffer | null; identityWrap: Buffer;
};

/** Requests on cases where this custodian holds an identity wrap, with what it needs to decide. */
export async function listRequestsForCustodian(db: Queryable, custodianId: string, status: string | null): Promise<CustodianQueueItem[]> {
  const { rows } = await db.query<RequestDbRow & { reference: string; public_key: Buffer | null; sealed_reason: Buffer | null; sealed_key: Buffer }>(
    `SELECT r.id, r.case_id, r.requester_id, u.display_name, r.reason, r.status, r.decided_by, r.decided_at, r.created_at,
            c.reference, u.public_key, rr.sealed_reason, w.sealed_key
       FROM identity_requests r
       JOIN staff_users u ON u.id = r.requester_id
       JOIN cases c ON c.id = r.case_id
       JOIN identity_wraps w ON w.case_id = r.case_id AND w.recipient_id = $1
       LEFT JOIN identity_request_reasons rr ON rr.request_id = r.id AND rr.custodian_id = $1
      WHERE $2::text IS NULL OR r.status = $2
      ORDER BY r.created_at, r.id`,
    [custodianId, status],
  );
  return rows.map((r) => ({ ...request(r), caseReference: r.reference, requesterPublicKey: r.public_key, sealedReason: r.sealed_reason, identityWrap: r.sealed_key }));
}

export async function decideIdentityRequest(
  tx: Queryable,
  d: { requestId: string; decidedBy: string; status: 'approved' | 'denied'; sealedReason?: Buffer | null },
): Promise<void> {
  await tx.query('UPDATE identity_requests SET status = $2, decided_by = $3, decided_at = now(), decision_reason = $4 WHERE id = $1', [
    d.requestId, d.status, d.decidedBy, d.sealedReason ?? null,
  ]);
}

/** Approval: the custodian's re-sealed identityKey for the requester; the reporter learns the time. */
export async function insertIdentityGrant(tx: Queryable, g: { caseId: string; recipientId: string; sealedKey: Buffer; grantedBy: string }): Promise<Date> {
  await tx.query(
    `INSERT INTO identity_wraps (case_id, recipient_id, sealed_key, granted_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (case_id, recipient_id) DO UPDATE SET sealed_key = EXCLUDED.sealed_key, granted_by = EXCLUDED.granted_by, created_at = now()`,
    [g.caseId, g.recipientId, g.sealedKey, g.grantedBy],
  );
  return markIdentityDisclosed(tx, g.caseId);
}

export async function getIdentityDisclosedAt(db: Queryable, caseId: string): Promise<Date | null> {
  const { rows } = await db.query<{ identity_disclosed_at: Date | null }>('SELECT identity_disclosed_at FROM cases WHERE id = $1', [caseId]);
  return rows[0]?.identity_disclosed_at ?? null;
}
