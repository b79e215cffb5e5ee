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
 * Picks the eligible candidate with the fewest open cases; ties go to whoever has waited longest
 * for a case (never assigned counts as longest), then to the smallest id so the choice is stable.
 */
export function chooseAssignee(candidates: readonly AssignmentCandidate[]): AssignmentDecision {
  const eligible = candidates.filter((c) => c.active && c.holdsKeyWrap && !c.excludedByReporter);
  if (eligible.length === 0) {
    return { kind: 'nobody_eligible', reason: `none of ${candidates.length} recipient(s) is active, holds a key wrap and is not excluded` };
  }
  const idleSince = (c: AssignmentCandidate) => c.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const [best] = [...eligible].sort(
    (a, b) => a.openCases - b.openCases || idleSince(a) - idleSince(b) || a.userId.localeCompare(b.userId),
  );
  if (!best) throw new Error('unreachable: eligible is not empty');
  return { kind: 'assigned', userId: best.userId, reason: `fewest open cases (${best.openCases}) among ${eligible.length} eligible` };
}
