import type { ReportSubmission } from './wire/reports';
import type { FieldIssue } from './result';

export type SubmissionContext = {
  id: string;
  categoryIds: readonly string[];
  regionIds: readonly string[];
  recipientIds: readonly string[];
  custodianIds: readonly string[];
  maxExclusions: number;
};

/** The checks of docs/protocol.md §4 that need the context; each problem is named by its field. */
export function checkSubmissionAgainstContext(submission: Omit<ReportSubmission, 'pow'>, context: SubmissionContext): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const recipients = new Set(context.recipientIds);

  if (!context.categoryIds.includes(submission.routing.category)) {
    issues.push({ field: 'routing.category', message: `is not a category of this context (one of: ${context.categoryIds.join(', ')})` });
  }
  const region = submission.routing.region;
  if (region !== null && !context.regionIds.includes(region)) {
    issues.push({ field: 'routing.region', message: `is not a region of this context (one of: ${context.regionIds.join(', ') || 'none'})` });
  }

  const excluded = new Set<string>();
  submission.excludedRecipientIds.forEach((id, index) => {
    if (!recipients.has(id)) issues.push({ field: `excludedRecipientIds.${index}`, message: 'is not a recipient of this context' });
    else if (excluded.has(id)) issues.push({ field: `excludedRecipientIds.${index}`, message: 'is listed twice' });
    excluded.add(id);
  });
  if (excluded.size > context.maxExclusions) {
    issues.push({ field: 'excludedRecipientIds', message: `excludes ${excluded.size} recipients; this context allows at most ${context.maxExclusions}` });
  }

  const expected = context.recipientIds.filter((id) => !excluded.has(id));
  if (expected.length === 0) issues.push({ field: 'excludedRecipientIds', message: 'excludes every recipient; at least one must remain' });
  issues.push(...checkWrapsCoverExactly('keyWraps', submission.keyWraps, expected, 'recipient'));

  if (submission.identity) {
    issues.push(...checkWrapsCoverExactly('identity.keyWraps', submission.identity.keyWraps, context.custodianIds, 'custodian'));
    if (context.custodianIds.length === 0) {
      issues.push({ field: 'identity', message: 'this context has no identity custodian, so a confidential identity cannot be accepted' });
    }
  }
  return issues;
}

function checkWrapsCoverExactly(
  field: string,
  wraps: readonly { recipientId: string }[],
  expectedIds: readonly string[],
  noun: string,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const expected = new Set(expectedIds);
  const seen = new Set<string>();
  wraps.forEach((wrap, index) => {
    if (seen.has(wrap.recipientId)) issues.push({ field: `${field}.${index}.recipientId`, message: `names the same ${noun} twice` });
    else if (!expected.has(wrap.recipientId)) {
      issues.push({ field: `${field}.${index}.recipientId`, message: `is not a ${noun} of this context, or was excluded` });
    }
    seen.add(wrap.recipientId);
  });
  const missing = expectedIds.filter((id) => !seen.has(id));
  if (missing.length > 0) issues.push({ field, message: `is missing a key wrap for ${noun}(s): ${missing.join(', ')}` });
  return issues;
}
