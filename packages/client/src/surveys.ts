import {
  blindSurveyToken,
  finalizeSurveyToken,
  fromB64,
  openSurveyResponse,
  randomUuid,
  ready,
  sealSurveyResponse,
  toB64,
} from '@sauti/crypto';
import {
  aggregateSurvey,
  checkSurveyResponse,
  compareIterations,
  surveyResultsCsv,
  type CodesCreated,
  type IterationReport,
  type InvitationsQueued,
  type IterationSummary,
  type PublicIteration,
  type RedeemAnswer,
  type SurveyDefinition,
  type SurveyDetail,
  type SurveyIterationSummary,
  type SurveyList,
  type SurveyResponseBody,
  type SurveyResponsesPage,
  type SurveySubmission,
  type SurveySubmitAnswer,
} from '@sauti/core';
import { proofOfWork } from './intake';
import { paths } from './paths';
import type { StaffSession } from './staff-session';
import type { ApiAnswer, Transport } from './transport';

/** Surveys (docs/protocol.md §10): the respondent's steps and the analyst's. */

/** A token the browser holds between redeeming a code and submitting; never sent before. */
export type SurveyToken = { iterationId: string; message: string; signature: string };

export class SurveyAnswerError extends Error {
  constructor(readonly issues: { field: string; message: string }[]) {
    super(`the response does not fit the questionnaire: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`);
    this.name = 'SurveyAnswerError';
  }
}

export function fetchIteration(t: Transport, iterationId: string): Promise<PublicIteration> {
  return t.send<PublicIteration>('GET', paths.surveys.iteration(iterationId), undefined, [200], 'survey');
}

export function redeemCall(t: Transport, iterationId: string, code: string, blindedMessage: string): Promise<ApiAnswer<RedeemAnswer>> {
  return t.call<RedeemAnswer>('POST', paths.surveys.redeem(iterationId), { code, blindedMessage });
}

/** §10.2: blind a fresh token, have the code's use signed, unblind. The server never sees the token. */
export async function redeemCode(t: Transport, iteration: PublicIteration, code: string): Promise<SurveyToken> {
  await ready();
  const pk = fromB64(iteration.publicKey);
  const blinded = await blindSurveyToken(pk, iteration.id);
  const answer = t.need(await redeemCall(t, iteration.id, code, toB64(blinded.blindedMessage)), [201], 'redeem');
  const signature = await finalizeSurveyToken(pk, blinded.token, fromB64(answer.blindSignature), blinded.inv);
  blinded.inv.fill(0);
  return { iterationId: iteration.id, message: toB64(blinded.token), signature: toB64(signature) };
}

/**
 * §10.4: checks the answers against the questionnaire (the server cannot), then seals them to the
 * iteration's analysts. Throws SurveyAnswerError naming each problem.
 */
export function sealResponse(iteration: PublicIteration, body: SurveyResponseBody, via: { token: SurveyToken } | { pow: { challenge: string; nonce: string } }, responseId = randomUuid()): SurveySubmission {
  const issues = checkSurveyResponse(iteration.definition, body);
  if (issues.length > 0) throw new SurveyAnswerError(issues);
  const sealed = sealSurveyResponse({
    iterationId: iteration.id,
    responseId,
    body,
    analysts: iteration.analysts.map((a) => ({ id: a.id, publicKey: fromB64(a.publicKey) })),
  });
  return {
    id: responseId,
    token: 'token' in via ? { message: via.token.message, signature: via.token.signature } : null,
    pow: 'pow' in via ? via.pow : null,
    ciphertext: toB64(sealed.ciphertext),
    keyWraps: sealed.keyWraps.map((w) => ({ analystId: w.analystId, sealedKey: toB64(w.sealedKey) })),
  };
}

export function submitCall(t: Transport, iterationId: string, submission: SurveySubmission): Promise<ApiAnswer<SurveySubmitAnswer>> {
  return t.call<SurveySubmitAnswer>('POST', paths.surveys.responses(iterationId), submission);
}

/**
 * Seals and submits, after a random delay in [0, maxDelayMs] so that redemption and response are
 * not adjacent in time (§10.3). A retry of the same submission is answered 200.
 */
export async function answerSurvey(
  t: Transport,
  iteration: PublicIteration,
  body: SurveyResponseBody,
  via: { token: SurveyToken } | 'open-link',
  options: { maxDelayMs?: number; random?: () => number } = {},
): Promise<SurveySubmitAnswer> {
  await ready();
  const route = via === 'open-link' ? { pow: await proofOfWork(t) } : via;
  const submission = sealResponse(iteration, body, route);
  const delay = Math.floor((options.random ?? Math.random)() * (options.maxDelayMs ?? 0));
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  return t.need(await submitCall(t, iteration.id, submission), [200, 201], 'survey response');
}

// --- staff ---------------------------------------------------------------------------------------

export const listSurveys = (s: StaffSession): Promise<SurveyList> => s.transport.send<SurveyList>('GET', paths.surveys.staff, undefined, [200], 'surveys');
export const getSurvey = (s: StaffSession, id: string): Promise<SurveyDetail> => s.transport.send<SurveyDetail>('GET', paths.surveys.staffSurvey(id), undefined, [200], 'survey');
export const createSurvey = (s: StaffSession, definition: SurveyDefinition): Promise<SurveyDetail> =>
  s.transport.send<SurveyDetail>('POST', paths.surveys.staff, { definition }, [201], 'create survey');
export const updateSurvey = (s: StaffSession, id: string, definition: SurveyDefinition): Promise<SurveyDetail> =>
  s.transport.send<SurveyDetail>('PUT', paths.surveys.staffSurvey(id), { definition }, [200], 'update survey');
export const openIteration = (s: StaffSession, surveyId: string, openLink: boolean): Promise<IterationSummary> =>
  s.transport.send<IterationSummary>('POST', paths.surveys.staffIterations(surveyId), { openLink }, [201], 'open iteration');
export const closeIteration = (s: StaffSession, iterationId: string): Promise<IterationSummary> =>
  s.transport.send<IterationSummary>('POST', paths.surveys.close(iterationId), {}, [200], 'close iteration');
export const getIteration = (s: StaffSession, iterationId: string): Promise<SurveyIterationSummary> =>
  s.transport.send<SurveyIterationSummary>('GET', paths.surveys.staffIteration(iterationId), undefined, [200], 'iteration');
export const createCodes = (s: StaffSession, iterationId: string, count: number, uses = 1): Promise<CodesCreated> =>
  s.transport.send<CodesCreated>('POST', paths.surveys.codes(iterationId), { count, uses }, [201], 'invitation codes');
/** Personal codes e-mailed by the worker; the answer holds the count only, never the codes. */
export const sendInvitations = (s: StaffSession, iterationId: string, emails: string[]): Promise<InvitationsQueued> =>
  s.transport.send<InvitationsQueued>('POST', paths.surveys.invitations(iterationId), { emails }, [202], 'survey invitations');
export const recordRawExport = (s: StaffSession, iterationId: string, reason: string): Promise<{ recorded: true }> =>
  s.transport.send<{ recorded: true }>('POST', paths.surveys.rawExport(iterationId), { reason }, [201], 'raw export');

/** The largest page the api serves (docs/staff-api.md); fewer round trips for a large iteration. */
const RESPONSES_PAGE = 1000;
/** Progress is reported after this many responses, so a page of 1,000 still moves the count. */
const PROGRESS_EVERY = 250;

/**
 * Every response of an iteration, decrypted with the caller's own wrap; a damaged one reads as null.
 * The next page is requested before this one is decrypted, so the api's work and the transfer
 * overlap the decryption (one request ahead at most). `signal` stops it between responses.
 */
export async function openResponses(
  s: StaffSession,
  iterationId: string,
  onProgress?: (n: number) => void,
  signal?: AbortSignal,
): Promise<(unknown | null)[]> {
  await ready();
  const kp = s.kp();
  const fetchPage = (after: string | null): Promise<SurveyResponsesPage> =>
    s.transport.send<SurveyResponsesPage>('GET', paths.surveys.staffResponses(iterationId, after, RESPONSES_PAGE), undefined, [200], 'survey responses');
  const out: (unknown | null)[] = [];
  let pending: Promise<SurveyResponsesPage> | null = fetchPage(null);
  while (pending) {
    const page: SurveyResponsesPage = await pending;
    signal?.throwIfAborted();
    pending = page.next ? fetchPage(page.next) : null;
    // A request left in flight when this stops must not surface as an unhandled rejection.
    pending?.catch(() => undefined);
    for (const r of page.responses) {
      signal?.throwIfAborted();
      try {
        out.push(openSurveyResponse(kp, { iterationId, responseId: r.id, ciphertext: fromB64(r.ciphertext), sealedKey: fromB64(r.sealedKey) }));
      } catch {
        out.push(null);
      }
      if (out.length % PROGRESS_EVERY === 0) onProgress?.(out.length);
    }
    if (out.length % PROGRESS_EVERY !== 0) onProgress?.(out.length);
  }
  return out;
}

export type { IterationReport };

/**
 * Decrypts an iteration (and the one before it) and aggregates both, in the caller's process.
 * Progress counts the responses of both against their total, so that the count keeps moving while
 * the previous iteration is decrypted for the comparison.
 */
export async function iterationReport(
  s: StaffSession,
  iterationId: string,
  options: { threshold?: number; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<IterationReport> {
  const iteration = await getIteration(s, iterationId);
  const prev = iteration.previousIterationId ? await getIteration(s, iteration.previousIterationId) : null;
  // The counts are the iterations' when they were read; an open iteration may take more meanwhile.
  const total = iteration.responses + (prev?.responses ?? 0);
  const progress = (offset: number) => options.onProgress && ((n: number) => options.onProgress!(offset + n, Math.max(total, offset + n)));
  const bodies = await openResponses(s, iterationId, progress(0), options.signal);
  const results = aggregateSurvey(iteration.definition, bodies.filter((b) => b !== null), options.threshold);
  let previous: IterationReport['previous'] = null;
  if (prev) {
    const prevBodies = await openResponses(s, prev.id, progress(bodies.length), options.signal).catch((e: unknown) => {
      if (options.signal?.aborted) throw e;
      return null;
    });
    if (prevBodies) previous = { iteration: prev, results: aggregateSurvey(prev.definition, prevBodies.filter((b) => b !== null), options.threshold) };
  }
  return { iteration, results, previous, changes: previous ? compareIterations(previous.results, results) : [], undecryptable: bodies.filter((b) => b === null).length };
}

/** CSV of the aggregates (never a response), with the change from the previous iteration. */
export function iterationCsv(report: IterationReport, lang = 'en'): string {
  return surveyResultsCsv(report.results, lang, report.changes);
}
