import { reportSubmissionSchema, type SubmitAnswer } from '@sauti/core';
import express, { Router, type Request } from 'express';
import type { ApiDeps } from '../deps';
import { AppError, orThrow } from '../http/errors';
import { requireJson } from '../http/security';
import { parseBody } from '../http/validate';
import { presentPowChallenge } from '../presenters/reporter';
import { AdaptiveDifficulty, PowService } from '../services/pow';
import { submitReport } from '../services/reports';

type WithRaw = Request & { rawBody?: Buffer };

/** POST /api/v1/pow and POST /api/v1/reports (docs/protocol.md §4, §6). Reporters get no cookies. */
export function reportRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { config, pool } = deps;
  const difficulty = new AdaptiveDifficulty(config.POW_DIFFICULTY, config.POW_DIFFICULTY_MAX, config.POW_QUIET_PER_MINUTE);
  const pow = new PowService(deps.deployment.serverSecret, () => difficulty.next(), config.POW_TTL_SECONDS);
  const submissionSchema = reportSubmissionSchema({ maxReportBytes: config.REPORT_MAX_BYTES });
  // The report is ≤ REPORT_MAX_BYTES as bytes; as base64url plus wraps it needs about 4/3 of that, plus room.
  const reportBodyLimit = Math.ceil((config.REPORT_MAX_BYTES * 4) / 3) + 256 * 1024;
  // The digest of the exact bytes received tells an identical retry from a different report under the same id.
  const rawJson = express.json({ limit: reportBodyLimit, strict: true, verify: (req, _res, buf) => ((req as WithRaw).rawBody = buf) });

  // Global buckets only (a reporter is nobody the server knows); both fail open, so that intake
  // keeps accepting reports when Redis is down.
  router.post('/pow', deps.limits.middleware('pow'), (_req, res) => {
    res.status(201).json(presentPowChallenge(pow.issue()));
  });

  router.post('/reports', deps.limits.middleware('reports'), requireJson, rawJson, async (req: WithRaw, res) => {
    // The proof of work first (one hash): a large body without work is not validated at all.
    const proof = (req.body as { pow?: { challenge?: unknown; nonce?: unknown } } | undefined)?.pow;
    if (proof && typeof proof === 'object' && typeof proof.challenge === 'string' && typeof proof.nonce === 'string' && !pow.provesWork(proof.challenge, proof.nonce)) {
      orThrow(pow.check(proof.challenge, proof.nonce));
      throw new AppError(400, 'The proof of work is wrong: ask for a new challenge and solve it.', [{ field: 'pow', message: 'does not solve a challenge from POST /api/v1/pow' }]);
    }
    const submission = parseBody(submissionSchema, req.body);
    const { created, answer } = orThrow(await submitReport({ pool, pow, intake: deps.intake }, submission, req.rawBody ?? Buffer.alloc(0)));
    const body: SubmitAnswer = answer;
    res.status(created ? 201 : 200).json(body);
  });

  return router;
}
