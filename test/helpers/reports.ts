import { generateKeyPair, hash, randomBytes } from '../../packages/crypto/src';
import { prepareReport, type Intake, type IntakeContext, type ReportRequest, type ReporterClient } from '../../packages/client/src';

/**
 * A sealed report whose receipt keys are random instead of Argon2id-derived: the server cannot
 * tell the difference, and tests that only need many valid reports save half a second each.
 */
export function cheapReport(intake: Intake, context: IntakeContext, overrides: Partial<Parameters<typeof prepareReport>[1]> = {}) {
  const authKey = randomBytes(32);
  return prepareReport(intake, {
    context, body: { text: 'test report' }, category: context.categories[0]!.id,
    reporterKeys: { authKey, lookup: hash(authKey), keyPair: generateKeyPair() }, ...overrides,
  });
}

/** A complete request (with a solved proof of work) ready to POST. */
export async function readyRequest(client: ReporterClient, intake: Intake, context: IntakeContext): Promise<ReportRequest> {
  // Bound to the context, as the web app asks (§6): a burst of unbound ones would be refused once the context is busy.
  return { ...cheapReport(intake, context).request, pow: await client.proofOfWork(undefined, { contextId: context.id }) };
}
