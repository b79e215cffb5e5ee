import type { Queryable } from './pool';

export type DeadlineAlert = {
  caseId: string; kind: 'acknowledge' | 'feedback'; stage: 'reminder' | 'escalation'; dueAt: Date;
  assigneeId: string | null; unitId: string | null; excluded: string[];
};

/**
 * Claims the deadline alerts that are due now (reminders N days before, escalations once passed)
 * and were not sent for this due time yet. Claiming is an insert that conflicts on a repeat, so
 * several workers sweeping at once send each alert once; a moved deadline gets alerts anew.
 */
export async function claimDueDeadlineAlerts(tx: Queryable, limit = 200): Promise<DeadlineAlert[]> {
  const { rows } = await tx.query<{
    case_id: string; kind: 'acknowledge' | 'feedback'; stage: 'reminder' | 'escalation'; due_at: Date;
    assignee_id: string | null; unit_id: string | null; excluded_recipient_ids: string[];
  }>(
    `WITH due AS (
       SELECT c.id AS case_id, d.kind, s.stage, d.due_at, c.assignee_id, c.unit_id, c.excluded_recipient_ids
         FROM cases c
         JOIN contexts x ON x.id = c.context_id
         CROSS JOIN LATERAL (VALUES
           ('acknowledge', CASE WHEN c.status = 'received' THEN c.acknowledge_due_at END),
           ('feedback', CASE WHEN c.status IN ('acknowledged', 'in_progress') THEN c.feedback_due_at END)
         ) AS d(kind, due_at)
         CROSS JOIN LATERAL (VALUES
           ('reminder', d.due_at - make_interval(days => x.reminder_days_before)),
           ('escalation', d.due_at)
         ) AS s(stage, fire_at)
        WHERE d.due_at IS NOT NULL AND s.fire_at <= now()
          AND (s.stage = 'escalation' OR d.due_at > now())
          -- Alerts already sent are skipped before the limit, else 'limit' old ones would hide every new one.
          AND NOT EXISTS (SELECT 1 FROM deadline_alerts a
                           WHERE a.case_id = c.id AND a.kind = d.kind AND a.stage = s.stage AND a.due_at = d.due_at)
        ORDER BY s.fire_at
        LIMIT $1
     ), claimed AS (
       INSERT INTO deadline_alerts (case_id, kind, stage, due_at)
       SELECT case_id, kind, stage, due_at FROM due
       ON CONFLICT DO NOTHING
       RETURNING case_id, kind, stage, due_at
     )
     SELECT claimed.*, due.assignee_id, due.unit_id, due.excluded_recipient_ids
       FROM claimed JOIN due USING (case_id, kind, stage, due_at)`,
    [limit],
  );
  return rows.map((r) => ({
    caseId: r.case_id, kind: r.kind, stage: r.stage, dueAt: r.due_at, assigneeId: r.assignee_id, unitId: r.unit_id, excluded: r.excluded_recipient_ids,
  }));
}

/** The supervisor of the case's unit, else of the assignee's unit; never someone the reporter excluded. */
export async function findSupervisorFor(db: Queryable, alert: Pick<DeadlineAlert, 'unitId' | 'assigneeId' | 'excluded'>): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT s.id FROM units un JOIN staff_users s ON s.id = un.supervisor_id
      WHERE un.id = COALESCE($1::uuid, (SELECT unit_id FROM staff_users WHERE id = $2::uuid))
        AND s.status = 'active' AND NOT (s.id = ANY($3::uuid[]))`,
    [alert.unitId, alert.assigneeId, alert.excluded],
  );
  return rows[0]?.id ?? null;
}

/** Closed cases past their context's retention period and not on legal hold, locked for deletion. */
export async function lockCasesToPurge(tx: Queryable, limit = 100): Promise<{ id: string; contextId: string }[]> {
  const { rows } = await tx.query<{ id: string; context_id: string }>(
    `SELECT c.id, c.context_id FROM cases c JOIN contexts x ON x.id = c.context_id
      WHERE c.status = 'closed' AND NOT c.legal_hold AND c.closed_at + make_interval(days => x.retention_days) < now()
      ORDER BY c.closed_at LIMIT $1 FOR UPDATE OF c SKIP LOCKED`,
    [limit],
  );
  return rows.map((r) => ({ id: r.id, contextId: r.context_id }));
}

/** Cases received longer ago than `olderThanSeconds` and still not triaged. */
export async function listStaleUntriagedCases(db: Queryable, olderThanSeconds: number, limit = 500): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM cases WHERE triaged_at IS NULL AND received_at < now() - make_interval(secs => $1) ORDER BY received_at LIMIT $2`,
    [olderThanSeconds, limit],
  );
  return rows.map((r) => r.id);
}
