import { createHash, randomInt, randomUUID } from 'node:crypto';
import {
  checkSubmissionAgainstContext,
  fail,
  makeCaseReference,
  ok,
  type OnBehalfSubmission,
  type ReportSubmission,
  type Result,
  type SubmitAnswer,
} from '@sauti/core';
import {
  acceptCase,
  findCaseDigest,
  isUniqueViolation,
  listIntakeContexts,
  type Db,
  type IntakeContextCache,
} from '@sauti/db';
import { POW_ALREADY_USED, type PowService, type ScopedDifficulty } from './pow';

export type SubmitOutcome = { created: boolean; answer: SubmitAnswer };

/**
 * docs/protocol.md §4. Checks everything before writing; then one statement (acceptCase) writes the
 * case, its wraps, the spent challenge, an outbox event and an audit entry — all or nothing.
 */
export async function submitReport(
  deps: { pool: Db; pow: PowService; intake?: IntakeContextCache; difficulty?: ScopedDifficulty },
  submission: ReportSubmission,
  rawBody: Buffer,
): Promise<Result<SubmitOutcome>> {
  const digest = createHash('sha256').update(rawBody).digest();
  // A retry of an accepted report is answered as the first time, even once its challenge expired;
  // the lookup runs only when it can change the answer (the accepting statement tells the rest).
  // §6: a challenge bound to another context is refused; an unbound one must ask for at least the
  // work this context needs now (else a flood could dodge its count with unbound challenges).
  const { contextId } = submission;
  const pow = deps.pow.check(submission.pow.challenge, submission.pow.nonce, { contextId, minDifficulty: deps.difficulty?.current(contextId) });
  if (!pow.ok) return (await checkReplay(deps.pool, submission.id, digest)) ?? pow;
  const outcome = await acceptReport(deps, submission, digest, { kind: 'reporter', pow: pow.value });
  if (outcome.ok && outcome.value.created && pow.value.scope.kind === 'none') deps.difficulty?.countReport(contextId);
  return outcome;
}

/**
 * On-behalf intake (issue 13): an intake officer sealed, in their own browser, what a caller, a
 * visitor or a letter said. No proof of work (the officer is signed in); the case records how it was
 * received, and the audit log who recorded it. The officer gets no key wrap unless the context
 * already seals to them.
 */
export async function submitOnBehalf(
  deps: { pool: Db; intake?: IntakeContextCache },
  officerId: string,
  submission: OnBehalfSubmission,
  rawBody: Buffer,
): Promise<Result<SubmitOutcome>> {
  const digest = createHash('sha256').update(rawBody).digest();
  return acceptReport(deps, submission, digest, { kind: 'on_behalf', officerId, intakeChannel: submission.intakeChannel });
}

type Gate =
  | { kind: 'reporter'; pow: { digest: Buffer; expiresAt: Date } }
  | { kind: 'on_behalf'; officerId: string; intakeChannel: string };

async function acceptReport(
  deps: { pool: Db; intake?: IntakeContextCache },
  submission: Omit<ReportSubmission, 'pow'>,
  digest: Buffer,
  gate: Gate,
): Promise<Result<SubmitOutcome>> {
  const [context] = deps.intake ? await deps.intake.get(submission.contextId) : await listIntakeContexts(deps.pool, submission.contextId);
  if (!context) {
    const replay = await checkReplay(deps.pool, submission.id, digest); // accepted before the channel closed
    if (replay) return replay;
    return fail('invalid', 'The chosen reporting channel does not exist or is closed.', [
      { field: 'contextId', message: 'is not an open context; see GET /api/v1/intake' },
    ]);
  }
  const issues = checkSubmissionAgainstContext(submission, {
    id: context.id,
    categoryIds: context.categories.map((c) => c.id),
    regionIds: context.regions.map((r) => r.id),
    recipientIds: context.recipients.map((r) => r.id),
    custodianIds: context.custodians.map((c) => c.id),
    maxExclusions: context.maxExclusions,
  });
  if (issues.length > 0) return (await checkReplay(deps.pool, submission.id, digest)) ?? fail('invalid', 'The report does not fit the chosen channel; see issues.', issues);

  for (let attempt = 0; ; attempt++) {
    try {
      const accepted = await acceptCase(deps.pool, {
        submission,
        reference: makeCaseReference((n) => randomInt(n)),
        requestDigest: digest,
        channel: context.channel,
        outboxEventId: randomUUID(),
        intakeChannel: gate.kind === 'on_behalf' ? gate.intakeChannel : 'web',
        gate: gate.kind === 'reporter'
          ? { kind: 'pow', challengeDigest: gate.pow.digest, expiresAt: gate.pow.expiresAt }
          : { kind: 'officer', officerId: gate.officerId },
      });
      if (accepted) return ok({ created: true, answer: toAnswer(accepted) });
      // Nothing written: a case with this id exists (a retry, or a conflict), or the challenge was spent.
      const raced = await checkReplay(deps.pool, submission.id, digest);
      if (raced) return raced;
      return fail('invalid', POW_ALREADY_USED.message, [POW_ALREADY_USED.issue]);
    } catch (error) {
      // A concurrent identical retry may have won the race: answer as a retry would.
      const raced = await checkReplay(deps.pool, submission.id, digest);
      if (raced) return raced;
      if (isUniqueViolation(error, 'cases_reporter_lookup_key')) {
        return fail('conflict', 'This receipt is already used by another report; create a new receipt and submit again.', [
          { field: 'reporter.lookup', message: 'is already in use' },
        ]);
      }
      if (isUniqueViolation(error, 'cases_reference_key') && attempt < 3) continue;
      throw error;
    }
  }
}

async function checkReplay(pool: Db, id: string, digest: Buffer): Promise<Result<SubmitOutcome> | null> {
  const existing = await findCaseDigest(pool, id);
  if (!existing) return null;
  if (existing.requestDigest.equals(digest)) return ok({ created: false, answer: toAnswer(existing) });
  return fail('conflict', 'A different report was already submitted with this id. Generate a new id to submit another report.', [
    { field: 'id', message: 'is already used by a different report' },
  ]);
}

function toAnswer(c: { id: string; reference: string; receivedAt: Date }): SubmitAnswer {
  return { id: c.id, reference: c.reference, status: 'received', receivedAt: c.receivedAt.toISOString() };
}
