/// <reference lib="webworker" />
// The crypto worker: the only place in the browser where libsodium runs and keys live. Every
// protocol step is @sauti/client's; the ops here only hold state per tab and report progress.
import { ready, runSurveyVectors, runVectors } from '@sauti/crypto';
import type { OpName, Ops, WorkerRequest, WorkerResponse } from '../crypto/protocol';
import { adminOps } from './admin-ops';
import { OpError, toWorkerError, type OpContext } from './op-error';
import { checkReceipt, reporterOps } from './reporter-ops';
import { staffAccountOps } from './staff-account-ops';
import { staffOps } from './staff-ops';
import { staffSharingOps } from './staff-sharing-ops';
import { statisticsOps } from './statistics-ops';
import { surveyOps } from './survey-ops';

declare const self: DedicatedWorkerGlobalScope;

type AnyHandler = (args: never, ctx: OpContext) => Promise<unknown>;

const handlers: { [K in OpName]: (args: Ops[K]['args'], ctx: OpContext) => Promise<Ops[K]['result']> } = {
  ready: async () => ({ protocol: 'SIP/1' }),
  selfTest: async () => {
    // The vectors are loaded only when someone asks for the check.
    const vectors = await import('../../../../packages/crypto/test-vectors.json');
    const survey = await import('../../../../packages/crypto/survey-vectors.json');
    const [a, b] = [await runVectors(vectors.default), await runSurveyVectors(survey.default)];
    return { passed: a.passed + b.passed, failed: [...a.failed, ...b.failed] };
  },
  checkReceipt: async ({ input }) => checkReceipt(input),
  ...reporterOps,
  ...staffOps,
  ...staffAccountOps,
  ...staffSharingOps,
  ...adminOps,
  ...statisticsOps,
  ...surveyOps,
};

const running = new Map<number, AbortController>();
const post = (m: WorkerResponse): void => self.postMessage(m);

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  if (msg.kind === 'cancel') {
    running.get(msg.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(msg.id, controller);
  try {
    await ready();
    const handler = handlers[msg.op] as AnyHandler | undefined;
    if (!handler) throw new OpError('internal', `unknown operation ${String(msg.op)}`);
    const ctx: OpContext = { signal: controller.signal, progress: (progress) => post({ kind: 'progress', id: msg.id, progress }) };
    const result = await handler(msg.args as never, ctx);
    post({ kind: 'result', id: msg.id, result });
  } catch (e) {
    post({ kind: 'error', id: msg.id, error: toWorkerError(e) });
  } finally {
    running.delete(msg.id);
  }
};
