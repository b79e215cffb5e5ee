import { surveys, Transport } from '@sauti/client';
import { checkSurveyDefinition, SURVEY_TEMPLATE, type PublicIteration } from '@sauti/core';
import type { SurveyStationStatus } from '../crypto/protocol';
import { OpError, type Handler } from './op-error';
import { staffSession as s } from './staff-ops';
import { stationStore } from './station-store';

/**
 * Surveys (docs/protocol.md §10). A respondent's token lives only in this worker's memory between
 * redeeming and submitting; a station's tokens and its sealed responses live in IndexedDB (the
 * responses only as ciphertext), so that a tablet can go on offline.
 */
const transport = () => new Transport(self.location.origin);
const iterations = new Map<string, PublicIteration>();
const tokens = new Map<string, surveys.SurveyToken>();

async function iteration(iterationId: string): Promise<PublicIteration> {
  const known = iterations.get(iterationId);
  if (known) return known;
  const it = await surveys.fetchIteration(transport(), iterationId);
  iterations.set(iterationId, it);
  return it;
}

function answerProblem(e: unknown): never {
  if (e instanceof surveys.SurveyAnswerError) throw new OpError('rejected', e.message);
  throw e;
}

const surveyLoad: Handler<'surveyLoad'> = async ({ iterationId }) => {
  iterations.delete(iterationId);
  return iteration(iterationId);
};

const surveyRedeem: Handler<'surveyRedeem'> = async ({ iterationId, code }) => {
  tokens.set(iterationId, await surveys.redeemCode(transport(), await iteration(iterationId), code));
  return null;
};

const surveySubmit: Handler<'surveySubmit'> = async ({ iterationId, body, maxDelayMs }, { progress }) => {
  const it = await iteration(iterationId);
  const token = tokens.get(iterationId);
  if (!token && !it.openLink) throw new OpError('rejected', 'redeem your invitation code first');
  progress({ stage: token ? 'send' : 'pow' });
  const answer = await surveys.answerSurvey(transport(), it, body, token ? { token } : 'open-link', { maxDelayMs }).catch(answerProblem);
  tokens.delete(iterationId);
  return answer;
};

// --- station (offline collection) ------------------------------------------------------------------

async function status(iterationId: string): Promise<SurveyStationStatus> {
  const store = await stationStore();
  return { tokens: await store.count('tokens', iterationId), queued: await store.count('queue', iterationId), iteration: await store.iteration(iterationId) };
}

const stationPrepare: Handler<'stationPrepare'> = async ({ iterationId, code, count }, { progress, signal }) => {
  const it = await surveys.fetchIteration(transport(), iterationId);
  const store = await stationStore();
  await store.putIteration(it);
  for (let i = 0; i < count; i++) {
    if (signal.aborted) break;
    progress({ stage: 'send', done: i, total: count });
    const token = await surveys.redeemCode(transport(), it, code).catch((e: unknown) => {
      // A station code with fewer uses left than asked for: keep what was redeemed.
      if (i > 0 && (e as { status?: number }).status === 409) return null;
      throw e;
    });
    if (!token) break;
    await store.add('tokens', iterationId, token);
  }
  return status(iterationId);
};

const stationSeal: Handler<'stationSeal'> = async ({ iterationId, body }) => {
  const store = await stationStore();
  const it = await store.iteration(iterationId);
  if (!it) throw new OpError('not_found', 'prepare the station first');
  const taken = await store.take('tokens', iterationId);
  if (!taken) throw new OpError('rejected', 'no tokens left on this station');
  let submission;
  try {
    submission = surveys.sealResponse(it, body, { token: taken as surveys.SurveyToken });
  } catch (e) {
    await store.add('tokens', iterationId, taken);
    answerProblem(e);
  }
  await store.add('queue', iterationId, submission);
  return status(iterationId);
};

const stationFlush: Handler<'stationFlush'> = async ({ iterationId }) => {
  const store = await stationStore();
  // In random order, so the server's arrival order says nothing of who answered first.
  const queued = (await store.all('queue', iterationId)).sort(() => Math.random() - 0.5);
  let sent = 0;
  for (const { key, value } of queued) {
    const answer = await surveys.submitCall(transport(), iterationId, value as Parameters<typeof surveys.submitCall>[2]);
    if (answer.status === 201 || answer.status === 200) {
      await store.remove('queue', key);
      sent++;
    } else if (answer.status >= 500) {
      break;
    } else {
      // A refused submission will not succeed later either (closed, spent): drop it, say so.
      await store.remove('queue', key);
    }
  }
  return { ...(await status(iterationId)), sent };
};

// --- analysts ---------------------------------------------------------------------------------------

export const surveyOps = {
  surveyLoad,
  surveyRedeem,
  surveySubmit,
  stationPrepare,
  stationStatus: (async ({ iterationId }) => status(iterationId)) as Handler<'stationStatus'>,
  stationList: (async () => (await (await stationStore()).iterations()).map((it) => ({ id: it.id, title: it.definition.title }))) as Handler<'stationList'>,
  stationSeal,
  stationFlush,
  // The survey editor (staff/survey-editor.tsx).
  surveyGet: (async ({ surveyId }) => surveys.getSurvey(s.current(), surveyId)) as Handler<'surveyGet'>,
  surveyCheckDefinition: (async ({ definition }) => checkSurveyDefinition(definition)) as Handler<'surveyCheckDefinition'>,
  surveyCreate: (async ({ definition }) => surveys.createSurvey(s.current(), definition)) as Handler<'surveyCreate'>,
  surveyUpdate: (async ({ surveyId, definition }) => surveys.updateSurvey(s.current(), surveyId, definition)) as Handler<'surveyUpdate'>,
  surveysList: (async () => (await surveys.listSurveys(s.current())).surveys) as Handler<'surveysList'>,
  surveyCreateFromTemplate: (async () => surveys.createSurvey(s.current(), SURVEY_TEMPLATE)) as Handler<'surveyCreateFromTemplate'>,
  surveyOpenIteration: (async ({ surveyId, openLink }) => surveys.openIteration(s.current(), surveyId, openLink)) as Handler<'surveyOpenIteration'>,
  surveyCloseIteration: (async ({ iterationId }) => surveys.closeIteration(s.current(), iterationId)) as Handler<'surveyCloseIteration'>,
  surveyCodes: (async ({ iterationId, count, uses }) => surveys.createCodes(s.current(), iterationId, count, uses)) as Handler<'surveyCodes'>,
  surveyInvitations: (async ({ iterationId, emails }) => surveys.sendInvitations(s.current(), iterationId, emails)) as Handler<'surveyInvitations'>,
  surveyResults: (async ({ iterationId }, { progress, signal }) => {
    const report = await surveys.iterationReport(s.current(), iterationId, { onProgress: (done, total) => progress({ stage: 'decrypt', done, total }), signal });
    return { report, csv: surveys.iterationCsv(report) };
  }) as Handler<'surveyResults'>,
  surveyRawExport: (async ({ iterationId, reason }) => {
    await surveys.recordRawExport(s.current(), iterationId, reason);
    const bodies = await surveys.openResponses(s.current(), iterationId);
    return { name: `survey-${iterationId}-responses.json`, blob: new Blob([JSON.stringify(bodies, null, 1)], { type: 'application/json' }) };
  }) as Handler<'surveyRawExport'>,
};
