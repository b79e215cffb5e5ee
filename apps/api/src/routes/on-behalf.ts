import { onBehalfSubmissionSchema, type SubmitAnswer } from '@sauti/core';
import express, { Router, type Request } from 'express';
import type { ApiDeps } from '../deps';
import { orThrow } from '../http/errors';
import { requireRole, staffOf } from '../http/guards';
import { requireJson } from '../http/security';
import { parseBody } from '../http/validate';
import { submitOnBehalf } from '../services/reports';

type WithRaw = Request & { rawBody?: Buffer };

/**
 * POST /api/v1/staff/on-behalf-reports, behind the staff guard (session, CSRF): an intake officer
 * files a report sealed in their browser for someone who phoned, came in or wrote (issue 13).
 */
export function onBehalfRoutes(deps: ApiDeps): Router {
  const router = Router();
  const schema = onBehalfSubmissionSchema({ maxReportBytes: deps.config.REPORT_MAX_BYTES });
  const limit = Math.ceil((deps.config.REPORT_MAX_BYTES * 4) / 3) + 256 * 1024;
  // As for POST /reports: the digest of the exact bytes tells an identical retry from a different report.
  const rawJson = express.json({ limit, strict: true, verify: (req, _res, buf) => ((req as WithRaw).rawBody = buf) });

  router.post('/on-behalf-reports', requireRole('intake'), requireJson, rawJson, async (req: WithRaw, res) => {
    const submission = parseBody(schema, req.body);
    const { created, answer } = orThrow(await submitOnBehalf({ pool: deps.pool, intake: deps.intake }, staffOf(res).userId, submission, req.rawBody ?? Buffer.alloc(0)));
    const body: SubmitAnswer = answer;
    res.status(created ? 201 : 200).json(body);
  });
  return router;
}
