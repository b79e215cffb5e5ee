import { messagePageQuerySchema, reporterMessageSchema, reporterSessionSchema } from '@sauti/core';
import { lookupFromAuthKey } from '@sauti/crypto';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { orThrow } from '../http/errors';
import { reporterOf, requireReporter } from '../http/guards';
import { jsonBody } from '../http/security';
import { parseBody, parseQuery } from '../http/validate';
import { presentReporterCase, presentReporterMessagePage } from '../presenters/reporter';
import { PowService, spendProof } from '../services/pow';
import { closeReporterSession, openReporterSession, postReporterMessage, reporterCase, reporterMessages } from '../services/reporter-case';

/** The reporter's follow-up with its receipt (docs/protocol.md §5): session, case view, messages. Bearer tokens, never cookies. */
export function reporterCaseRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { config, pool } = deps;
  const json = jsonBody(64 * 1024);
  const reporter = requireReporter(deps);

  const { limits } = deps;
  // Only checks challenges (stateless, signed); POST /pow issues them with the current difficulty.
  const pow = new PowService(deps.deployment.serverSecret, () => config.POW_DIFFICULTY, config.POW_TTL_SECONDS);
  const sessions = { idleSeconds: config.REPORTER_SESSION_IDLE_SECONDS, absoluteSeconds: config.REPORTER_SESSION_ABSOLUTE_SECONDS, maxPerCase: config.REPORTER_SESSIONS_PER_CASE };
  const caps = { maxCount: config.CASE_MESSAGES_MAX_COUNT, maxBytes: config.CASE_MESSAGES_MAX_BYTES };

  // A global bucket, then one per receipt lookup (h(authKey), HMAC'd again for the key): both fail open.
  router.post('/reporter/session', limits.middleware('reporterSession'), ...json, async (req, res) => {
    const { authKey, pow: proof } = parseBody(reporterSessionSchema, req.body);
    // §5/§6: a session costs a proof of work, spent once, checked before anything else is looked up.
    orThrow(await spendProof(pool, pow, proof));
    const key = Buffer.from(authKey, 'base64url');
    await limits.consume('reporterSessionLookup', limits.keyOf('lookup', Buffer.from(lookupFromAuthKey(key))));
    const session = orThrow(await openReporterSession({ pool, sessions }, key));
    res.status(201).json(session);
  });

  router.delete('/reporter/session', reporter, async (_req, res) => {
    await closeReporterSession(pool, reporterOf(res));
    res.status(204).end();
  });

  router.get('/reporter/case', reporter, async (_req, res) => {
    const { view, identityDisclosedAt, files } = orThrow(await reporterCase(pool, reporterOf(res).caseId));
    res.json(presentReporterCase(view, identityDisclosedAt, files));
  });

  router.get('/reporter/case/messages', reporter, async (req, res) => {
    const query = parseQuery(messagePageQuerySchema, req.query, 'The page of messages asked for is not valid; see issues.');
    res.json(presentReporterMessagePage(orThrow(await reporterMessages(pool, reporterOf(res).caseId, query))));
  });

  router.post('/reporter/case/messages', reporter, ...json, async (req, res) => {
    const message = parseBody(reporterMessageSchema, req.body);
    const { caseId } = reporterOf(res);
    await limits.consume('caseMessages', caseId);
    const posted = orThrow(await postReporterMessage(pool, caseId, message, caps));
    res.status(posted.created ? 201 : 200).json(posted.message);
  });

  return router;
}
