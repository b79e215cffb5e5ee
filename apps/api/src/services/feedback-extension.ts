import { fail, MAX_FEEDBACK_DAYS, ok, type Result } from '@sauti/core';
import { appendAudit, staffHoldsCase, withTransaction, type Db } from '@sauti/db';

const DAY_MS = 86_400_000;

/**
 * EU Directive 2019/1937 art. 9(1)(f): feedback within 3 months of acknowledgement, 6 in duly
 * justified cases. A holder of the case extends the deadline to `days` after acknowledgement
 * (at most 183), later than it is now, with a reason encrypted under staffKey.
 */
export async function extendFeedbackDeadline(
  pool: Db,
  actorId: string,
  caseId: string,
  input: { days: number; reason: Buffer },
): Promise<Result<{ feedbackDueAt: string }>> {
  if (!(await staffHoldsCase(pool, actorId, caseId))) return fail('not_found', 'There is no case with this id that you can see.');
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ status: string; acknowledged_at: Date | null; feedback_due_at: Date | null }>(
      'SELECT status, acknowledged_at, feedback_due_at FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
    const c = rows[0];
    if (!c || !c.acknowledged_at || !c.feedback_due_at || !['acknowledged', 'in_progress'].includes(c.status)) {
      return fail('conflict', 'Only an acknowledged, open case has a feedback deadline to extend.');
    }
    const dueAt = new Date(c.acknowledged_at.getTime() + input.days * DAY_MS);
    if (dueAt.getTime() <= c.feedback_due_at.getTime()) {
      return fail('invalid', `The new deadline must be later than the current one (${c.feedback_due_at.toISOString()}).`, [
        { field: 'days', message: `must give a deadline after the current one, at most ${MAX_FEEDBACK_DAYS} days after acknowledgement` },
      ]);
    }
    await tx.query('UPDATE cases SET feedback_due_at = $2, feedback_days = $3, feedback_extended_reason = $4 WHERE id = $1', [caseId, dueAt, input.days, input.reason]);
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'case.feedback_extended', caseId, details: { days: input.days } });
    return ok({ feedbackDueAt: dueAt.toISOString() });
  });
}
