import type { CaseStatus } from './case-status';
import { may } from './roles';
import { fail, ok, type Result } from './result';
import { feedbackDueAt } from './sla';

/**
 * How a closed case ended: a fixed, documented list (docs/staff-api.md). Unlike the reason, which
 * is ciphertext, the outcome is stored in clear because integrity monitoring counts it
 * (docs/threat-model.md). 'unsubstantiated' reads "not substantiated", 'referred' "referred to
 * another authority" and 'not_actionable' "no action possible" (their wire names predate the list).
 */
export const OUTCOMES = [
  'substantiated',
  'partly_substantiated',
  'unsubstantiated',
  'referred_prosecution',
  'referred',
  'not_actionable',
  'withdrawn',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type CaseLifecycleState = {
  status: CaseStatus;
  acknowledgedAt: Date | null;
  feedbackDueAt: Date | null;
  closedAt: Date | null;
  outcome: Outcome | null;
};

export type TransitionRequest = { to: CaseStatus; outcome?: Outcome | null; hasReason: boolean };
export type TransitionContext = { now: Date; feedbackDays: number; actorRoles: readonly string[] };
export type TransitionKind = 'acknowledge' | 'start' | 'close' | 'reopen';

/** Allowed moves; anything else is a conflict with the case's current state. */
const MOVES: Record<CaseStatus, Partial<Record<CaseStatus, TransitionKind>>> = {
  received: { acknowledged: 'acknowledge' },
  acknowledged: { in_progress: 'start', closed: 'close' },
  in_progress: { closed: 'close' },
  closed: { in_progress: 'reopen' },
};

/**
 * The case lifecycle: received → acknowledged → in_progress → closed (with an outcome); a closed
 * case may be reopened, with a reason, by a supervisor. Acknowledging starts the feedback clock
 * (EU Directive 2019/1937: feedback within three months, configurable per context).
 */
export function transition(
  state: CaseLifecycleState,
  request: TransitionRequest,
  ctx: TransitionContext,
): Result<{ kind: TransitionKind; next: CaseLifecycleState }> {
  const kind = MOVES[state.status][request.to];
  if (!kind) {
    const allowed = Object.keys(MOVES[state.status]);
    return fail('conflict', `A case that is ${state.status} cannot become ${request.to}; it can become: ${allowed.join(', ') || 'nothing'}.`, [
      { field: 'to', message: `must be one of: ${allowed.join(', ')}` },
    ]);
  }
  if (!may(ctx.actorRoles, kind === 'reopen' ? 'reopenCases' : 'handleCases')) {
    return fail('forbidden', kind === 'reopen' ? 'Only a supervisor may reopen a closed case.' : 'Only investigators and supervisors change the status of a case.');
  }
  if (kind === 'close' && !request.outcome) {
    return fail('invalid', 'Closing a case needs an outcome.', [{ field: 'outcome', message: `is required when closing: ${OUTCOMES.join(', ')}` }]);
  }
  if (kind !== 'close' && request.outcome) {
    return fail('invalid', 'An outcome is given only when closing a case.', [{ field: 'outcome', message: 'must be left out unless to is "closed"' }]);
  }
  if (kind === 'reopen' && !request.hasReason) {
    return fail('invalid', 'Reopening a case needs a reason.', [{ field: 'reason', message: 'is required when reopening' }]);
  }
  switch (kind) {
    case 'acknowledge':
      return ok({ kind, next: { ...state, status: 'acknowledged', acknowledgedAt: ctx.now, feedbackDueAt: feedbackDueAt(ctx.now, { acknowledgeDays: 7, feedbackDays: ctx.feedbackDays }) } });
    case 'start':
      return ok({ kind, next: { ...state, status: 'in_progress' } });
    case 'close':
      return ok({ kind, next: { ...state, status: 'closed', closedAt: ctx.now, outcome: request.outcome ?? null } });
    case 'reopen':
      return ok({ kind, next: { ...state, status: 'in_progress', closedAt: null, outcome: null } });
  }
}
