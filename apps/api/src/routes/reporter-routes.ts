import { randomUUID } from 'node:crypto';
import { reportSubmissionSchema, reporterMessageSchema, reporterSessionSchema } from '@sauti/core';
import { deleteReporterSession, listIntakeContexts } from '@sauti/db';
import express, { Router, type Request } from 'express';
import type { ApiDeps } from '../deps';
import { AppError, fromDomainError } from '../http/errors';
import { reporterCaseId, reporterTokenDigest, requireReporter } from '../http/reporter-auth';
import { requireJson } from '../http/security';
import { parseBody } from '../http/validate';
import { PowService } from '../services/pow';
import { openReporterSession, postReporterMessage, REPORTER_AUTH_FAILED, reporterCaseJson } from '../services/reporter';
import { submitReport } from '../services/submit-report';

type WithRaw = Request & { rawBody?: Buffer };

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** SIP/1 reporter API (PROTOCOL.md §4–§6). Reporters get bearer tokens, never cookies. */
export function reporterRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { config, pool } = deps;
  const pow = new PowService(deps.deployment.serverSecret, () => config.POW_DIFFICULTY, config.POW_TTL_SECONDS);
  const submissionSchema = reportSubmissionSchema({ maxReportBytes: config.REPORT_MAX_BYTES });
  // The report is ≤ REPORT_MAX_BYTES as bytes; as base64url plus wraps it needs about 4/3 of that, plus room.
  const reportBodyLimit = Math.ceil((config.REPORT_MAX_BYTES * 4) / 3) + 256 * 1024;
  const json = (limit: number) =>
    express.json({ limit, strict: true, verify: (req, _res, buf) => ((req as WithRaw).rawBody = buf) });

  router.get('/intake', async (_req, res) => {
    const contexts = await listIntakeContexts(pool);
    const person = (p: { id: string; displayName: string; unit: string | null; publicKey: Uint8Array }) => ({
      id: p.id, displayName: p.displayName, unit: p.unit, publicKey: b64(p.publicKey),
    });
    res.json({
      protocol: 'SIP/1',
      receiptSalt: b64(deps.deployment.receiptSalt),
      limits: {
        reportMaxBytes: config.REPORT_MAX_BYTES,
        fileMaxBytes: config.FILE_MAX_BYTES,
        caseFilesMaxBytes: config.CASE_FILES_MAX_BYTES,
        caseFilesMaxCount: config.CASE_FILES_MAX_COUNT,
      },
      contexts: contexts.map((c) => ({
        id: c.id, slug: c.slug, name: c.name, channel: c.channel, description: c.description,
        maxExclusions: c.maxExclusions, acknowledgeDays: c.acknowledgeDays, feedbackDays: c.feedbackDays,
        questions: c.questions, categories: c.categories, regions: c.regions,
        recipients: c.recipients.map(person),
        custodians: c.custodians.map((p) => ({ id: p.id, publicKey: b64(p.publicKey) })),
      })),
    });
  });

  router.post('/pow', (_req, res) => {
    const issued = pow.issue();
    res.status(201).json({ challenge: issued.challenge, difficulty: issued.difficulty, expiresAt: issued.expiresAt.toISOString() });
  });

  router.post('/reports', requireJson, json(reportBodyLimit), async (req: WithRaw, res) => {
    const submission = parseBody(submissionSchema, req.body);
    const result = await submitReport({ pool, pow }, submission, req.rawBody ?? Buffer.alloc(0));
    if (!result.ok) throw fromDomainError(result.error);
    res.status(result.value.created ? 201 : 200).json(result.value.answer);
  });

  const small = json(64 * 1024);

  router.post('/reporter/session', requireJson, small, async (req, res) => {
    const { authKey } = parseBody(reporterSessionSchema, req.body);
    const result = await openReporterSession({ pool, idleSeconds: config.REPORTER_SESSION_IDLE_SECONDS }, Buffer.from(authKey, 'base64url'));
    if (!result.ok) throw fromDomainError(result.error);
    res.status(201).json(result.value);
  });

  const authenticate = requireReporter(deps);

  router.delete('/reporter/session', authenticate, async (_req, res) => {
    await deleteReporterSession(pool, reporterTokenDigest(res));
    res.status(204).end();
  });

  router.get('/reporter/case', authenticate, async (_req, res) => {
    const caseId = reporterCaseId(res);
    const view = await reporterCaseJson(pool, caseId, deps.listReporterFiles ? await deps.listReporterFiles(caseId) : []);
    if (!view) throw new AppError(401, REPORTER_AUTH_FAILED);
    res.json(view);
  });

  router.post('/reporter/case/messages', authenticate, requireJson, small, async (req, res) => {
    const message = parseBody(reporterMessageSchema, req.body);
    const result = await postReporterMessage(pool, reporterCaseId(res), message);
    if (!result.ok) throw fromDomainError(result.error);
    res.status(result.value.created ? 201 : 200).json(result.value.message);
  });

  return router;
}

export const newRequestId = () => randomUUID();
