export type AssignmentCandidate = {
  userId: string;
  active: boolean;
  holdsKeyWrap: boolean;
  excludedByReporter: boolean;
  openCases: number;
  /** When this person was last given a case; null if never. */
  lastAssignedAt: Date | null;
};

export type AssignmentDecision =
  | { kind: 'assigned'; userId: string; reason: string }
  | { kind: 'nobody_eligible'; reason: string };

/**
 * The eligible candidates (active, holding a key wrap, not excluded) in the order assignment prefers
 * them: fewest open cases; ties go to whoever has waited longest for a case (never assigned counts
 * as longest), then to the smallest id so the order is stable.
 */
export function rankAssignees<C extends AssignmentCandidate>(candidates: readonly C[]): C[] {
  const idleSince = (c: AssignmentCandidate) => c.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  return candidates
    .filter((c) => c.active && c.holdsKeyWrap && !c.excludedByReporter)
    .sort((a, b) => a.openCases - b.openCases || idleSince(a) - idleSince(b) || a.userId.localeCompare(b.userId));
}

/** Picks the first of rankAssignees: the eligible candidate with the fewest open cases, ties as ranked there. */
export function chooseAssignee(candidates: readonly AssignmentCandidate[]): AssignmentDecision {
  const eligible = rankAssignees(candidates);
  if (eligible.length === 0) {
    return { kind: 'nobody_eligible', reason: `none of ${candidates.length} recipient(s) is active, holds a key wrap and is not excluded` };
  }
  const best = eligible[0]!;
  return { kind: 'assigned', userId: best.userId, reason: `fewest open cases (${best.openCases}) among ${eligible.length} eligible` };
}
