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
  appendAudit,
  findCaseDigest,
  insertCase,
  isUniqueViolation,
  listIntakeContexts,
  spendPowChallenge,
  withTransaction,
  type Db,
  type IntakeContextCache,
} from '@sauti/db';
import { POW_ALREADY_USED, type PowService, type ScopedDifficulty } from './pow';

export type SubmitOutcome = { created: boolean; answer: SubmitAnswer };

class Conflict extends Error {}

/**
 * docs/protocol.md §4. Checks everything before writing; then one transaction writes the case, its
 * wraps, the spent challenge, an outbox event and an audit entry — all or nothing.
 */
export async function submitReport(
  deps: { pool: Db; pow: PowService; intake?: IntakeContextCache; difficulty?: ScopedDifficulty },
  submission: ReportSubmission,
  rawBody: Buffer,
): Promise<Result<SubmitOutcome>> {
  const digest = createHash('sha256').update(rawBody).digest();
  const replay = await checkReplay(deps.pool, submission.id, digest);
  if (replay) return replay;
  // §6: a challenge bound to another context is refused; an unbound one must ask for at least the
  // work this context needs now (else a flood could dodge its count with unbound challenges).
  const { contextId } = submission;
  const pow = deps.pow.check(submission.pow.challenge, submission.pow.nonce, { contextId, minDifficulty: deps.difficulty?.current(contextId) });
  if (!pow.ok) return pow;
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
  const replay = await checkReplay(deps.pool, submission.id, digest);
  if (replay) return replay;
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
  if (issues.length > 0) return fail('invalid', 'The report does not fit the chosen channel; see issues.', issues);

  for (let attempt = 0; ; attempt++) {
    try {
      const accepted = await withTransaction(deps.pool, async (tx) => {
        if (gate.kind === 'reporter' && !(await spendPowChallenge(tx, gate.pow.digest, gate.pow.expiresAt))) throw new Conflict('pow');
        const created = await insertCase(tx, {
          submission,
          reference: makeCaseReference((n) => randomInt(n)),
          requestDigest: digest,
          channel: context.channel,
          outboxEventId: randomUUID(),
          intakeChannel: gate.kind === 'on_behalf' ? gate.intakeChannel : 'web',
        });
        if (gate.kind === 'reporter') {
          await appendAudit(tx, { actorType: 'reporter', action: 'case.received', caseId: created.id, details: { contextId: context.id } });
        } else {
          await appendAudit(tx, {
            actorType: 'staff', actorId: gate.officerId, action: 'case.recorded_on_behalf', caseId: created.id,
            details: { contextId: context.id, intakeChannel: gate.intakeChannel },
          });
        }
        return created;
      });
      return ok({ created: true, answer: toAnswer(accepted) });
    } catch (error) {
      // A concurrent identical retry may have won the race: answer as a retry would.
      const raced = await checkReplay(deps.pool, submission.id, digest);
      if (raced) return raced;
      if (error instanceof Conflict) return fail('invalid', POW_ALREADY_USED.message, [POW_ALREADY_USED.issue]);
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
