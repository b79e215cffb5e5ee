import { reporterMessageSchema, reporterSessionSchema } from '@sauti/core';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { orThrow } from '../http/errors';
import { reporterOf, requireReporter } from '../http/guards';
import { jsonBody } from '../http/security';
import { parseBody } from '../http/validate';
import { presentReporterCase } from '../presenters/reporter';
import { closeReporterSession, openReporterSession, postReporterMessage, reporterCase } from '../services/reporter-case';

/** The reporter's follow-up with its receipt (docs/protocol.md §5): session, case view, messages. Bearer tokens, never cookies. */
export function reporterCaseRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { config, pool } = deps;
  const json = jsonBody(64 * 1024);
  const reporter = requireReporter(deps);

  router.post('/reporter/session', ...json, async (req, res) => {
    const { authKey } = parseBody(reporterSessionSchema, req.body);
    const session = orThrow(await openReporterSession({ pool, idleSeconds: config.REPORTER_SESSION_IDLE_SECONDS }, Buffer.from(authKey, 'base64url')));
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

  router.post('/reporter/case/messages', reporter, ...json, async (req, res) => {
    const message = parseBody(reporterMessageSchema, req.body);
    const posted = orThrow(await postReporterMessage(pool, reporterOf(res).caseId, message));
    res.status(posted.created ? 201 : 200).json(posted.message);
  });

  return router;
}
