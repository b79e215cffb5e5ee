import {
  createCodesSchema,
  createSurveySchema,
  emptySchema,
  openIterationSchema,
  redeemCodeSchema,
  sendInvitationsSchema,
  surveySubmissionSchema,
  updateSurveySchema,
} from '@sauti/core';
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { AppError, orThrow } from '../http/errors';
import { requireRole, staffOf } from '../http/guards';
import { uuidParam } from '../http/params';
import { jsonBody, requireJson } from '../http/security';
import { parseBody } from '../http/validate';
import { PowService } from '../services/pow';
import {
  auditRawExport,
  closeSurveyIteration,
  createSurvey,
  createSurveyCodes,
  iterationDetail,
  openIteration,
  publicIteration,
  redeemSurveyCode,
  sendSurveyInvitations,
  submitSurveyResponse,
  surveyDetail,
  surveyList,
  surveyResponsesPage,
  updateSurvey,
} from '../services/surveys';

type WithRaw = Request & { rawBody?: Buffer };
const NO_SURVEY = 'There is no such survey.';
const NO_ITERATION = 'There is no such survey iteration.';
const pageQuery = z.strictObject({
  after: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
const rawExportSchema = z.strictObject({
  reason: z.string({ error: 'must be a string' }).trim().min(10, { error: 'say why, in at least 10 characters' }).max(500),
});

/** /api/v1/surveys: what a respondent's browser calls (docs/protocol.md §10). No cookies, no session. */
export function surveyPublicRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool, config } = deps;
  const pow = new PowService(deps.deployment.serverSecret, () => config.POW_DIFFICULTY, config.POW_TTL_SECONDS);
  const schema = surveySubmissionSchema({ maxResponseBytes: config.SURVEY_RESPONSE_MAX_BYTES });
  const limit = Math.ceil((config.SURVEY_RESPONSE_MAX_BYTES * 4) / 3) + 64 * 1024;
  const rawJson = express.json({ limit, strict: true, verify: (req, _res, buf) => ((req as WithRaw).rawBody = buf) });
  const iterationId = (req: Request) => uuidParam(req, 'iterationId', 'There is no such survey. Check the link you were given.');

  router.get('/surveys/iterations/:iterationId', async (req, res) => {
    res.json(orThrow(await publicIteration(pool, iterationId(req))));
  });

  router.post('/surveys/iterations/:iterationId/redeem', ...jsonBody(4 * 1024), async (req, res) => {
    const id = iterationId(req);
    const body = parseBody(redeemCodeSchema, req.body);
    res.status(201).json(orThrow(await redeemSurveyCode(pool, id, body.code, Buffer.from(body.blindedMessage, 'base64url'))));
  });

  router.post('/surveys/iterations/:iterationId/responses', requireJson, rawJson, async (req: WithRaw, res) => {
    const id = iterationId(req);
    const body = parseBody(schema, req.body);
    const { created, answer } = orThrow(await submitSurveyResponse({ pool, pow }, id, body, req.rawBody ?? Buffer.alloc(0)));
    res.status(created ? 201 : 200).json(answer);
  });
  return router;
}

/** /api/v1/staff/surveys, behind the staff guard: analysts and admins manage surveys. */
export function surveyStaffRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool } = deps;
  const json = jsonBody(512 * 1024);
  const managers = requireRole('analyst', 'admin');
  const surveyId = (req: Request) => uuidParam(req, 'surveyId', NO_SURVEY);
  const iterationId = (req: Request) => uuidParam(req, 'iterationId', NO_ITERATION);

  router.get('/surveys', managers, async (_req, res) => {
    res.json({ surveys: await surveyList(pool) });
  });
  router.post('/surveys', managers, ...json, async (req, res) => {
    const body = parseBody(createSurveySchema, req.body);
    res.status(201).json(orThrow(await createSurvey(pool, body.definition, staffOf(res).userId)));
  });
  router.get('/surveys/:surveyId', managers, async (req, res) => {
    res.json(orThrow(await surveyDetail(pool, surveyId(req))));
  });
  router.put('/surveys/:surveyId', managers, ...json, async (req, res) => {
    const id = surveyId(req);
    const body = parseBody(updateSurveySchema, req.body);
    res.json(orThrow(await updateSurvey(pool, id, body.definition, staffOf(res).userId)));
  });
  router.post('/surveys/:surveyId/iterations', managers, ...jsonBody(1024), async (req, res) => {
    const id = surveyId(req);
    const body = parseBody(openIterationSchema, req.body);
    res.status(201).json(orThrow(await openIteration(pool, id, body.openLink, staffOf(res).userId)));
  });
  router.get('/survey-iterations/:iterationId', managers, async (req, res) => {
    res.json(orThrow(await iterationDetail(pool, iterationId(req))));
  });
  router.post('/survey-iterations/:iterationId/close', managers, ...jsonBody(1024), async (req, res) => {
    const id = iterationId(req);
    parseBody(emptySchema, req.body);
    res.json(orThrow(await closeSurveyIteration(pool, id, staffOf(res).userId)));
  });
  router.post('/survey-iterations/:iterationId/codes', managers, ...jsonBody(1024), async (req, res) => {
    const id = iterationId(req);
    const body = parseBody(createCodesSchema, req.body);
    res.status(201).json(orThrow(await createSurveyCodes(pool, id, body.count, body.uses ?? 1, staffOf(res).userId)));
  });
  // 1000 addresses of up to 254 characters, with JSON quoting.
  router.post('/survey-iterations/:iterationId/invitations', managers, ...jsonBody(300 * 1024), async (req, res) => {
    const id = iterationId(req);
    const body = parseBody(sendInvitationsSchema, req.body);
    res.status(202).json(orThrow(await sendSurveyInvitations(pool, id, body.emails, staffOf(res).userId)));
  });
  router.get('/survey-iterations/:iterationId/responses', managers, async (req, res) => {
    const id = iterationId(req);
    const q = pageQuery.safeParse(req.query);
    if (!q.success) throw new AppError(400, 'after must be a response id and limit a number from 1 to 1000.');
    const after = q.data.after ?? null;
    if (after !== null && !/^[0-9a-f-]{36}$/.test(after)) throw new AppError(400, 'after must be a response id.');
    res.json(orThrow(await surveyResponsesPage(pool, id, staffOf(res).userId, after, q.data.limit ?? 500)));
  });
  router.post('/survey-iterations/:iterationId/raw-export', managers, ...jsonBody(4 * 1024), async (req, res) => {
    const id = iterationId(req);
    const body = parseBody(rawExportSchema, req.body);
    res.status(201).json(orThrow(await auditRawExport(pool, id, staffOf(res).userId, body.reason)));
  });
  return router;
}
