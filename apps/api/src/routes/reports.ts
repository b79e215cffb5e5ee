import { powRequestSchema, reportSubmissionSchema, type SubmitAnswer } from '@sauti/core';
import { listIntakeContexts } from '@sauti/db';
import express, { Router, type Request } from 'express';
import type { ApiDeps } from '../deps';
import { AppError, orThrow } from '../http/errors';
import { jsonBody, requireJson } from '../http/security';
import { parseBody } from '../http/validate';
import { presentPowChallenge } from '../presenters/reporter';
import { addressPow } from '../services/auth';
import { PowService, ScopedDifficulty } from '../services/pow';
import { authDeps } from './auth';
import { submitReport } from '../services/reports';

type WithRaw = Request & { rawBody?: Buffer };

/** POST /api/v1/pow and POST /api/v1/reports (docs/protocol.md §4, §6). Reporters get no cookies. */
export function reportRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { config, pool } = deps;
  const difficulty = new ScopedDifficulty(config.POW_DIFFICULTY, config.POW_DIFFICULTY_MAX, config.POW_QUIET_PER_MINUTE, config.POW_CONTEXT_QUIET_PER_MINUTE);
  const pow = new PowService(deps.deployment.serverSecret, () => difficulty.next(), config.POW_TTL_SECONDS);
  const auth = authDeps(deps);
  const submissionSchema = reportSubmissionSchema({ maxReportBytes: config.REPORT_MAX_BYTES });
  // The report is ≤ REPORT_MAX_BYTES as bytes; as base64url plus wraps it needs about 4/3 of that, plus room.
  const reportBodyLimit = Math.ceil((config.REPORT_MAX_BYTES * 4) / 3) + 256 * 1024;
  // The digest of the exact bytes received tells an identical retry from a different report under the same id.
  const rawJson = express.json({ limit: reportBodyLimit, strict: true, verify: (req, _res, buf) => ((req as WithRaw).rawBody = buf) });

  // Global buckets only (a reporter is nobody the server knows); both fail open, so that intake
  // keeps accepting reports when Redis is down.
  // §6: the body may name the context a report is for, or the address a sign-in is for; no body
  // (older clients) gets an unbound challenge at the global difficulty.
  router.post('/pow', deps.limits.middleware('pow'), ...jsonBody(4 * 1024), async (req, res) => {
    const wanted = parseBody(powRequestSchema, req.body ?? {});
    if (wanted.contextId) {
      const [context] = deps.intake ? await deps.intake.get(wanted.contextId) : await listIntakeContexts(pool, wanted.contextId);
      if (!context) {
        throw new AppError(400, 'The chosen reporting channel does not exist or is closed.', [{ field: 'contextId', message: 'is not an open context; see GET /api/v1/intake' }]);
      }
      res.status(201).json(presentPowChallenge(pow.issue({ kind: 'context', contextId: context.id }, difficulty.next(context.id))));
    } else if (wanted.email) {
      const address = await addressPow(auth, wanted.email);
      res.status(201).json(presentPowChallenge(pow.issue({ kind: 'account', tag: address.account }, Math.max(difficulty.next(), address.minDifficulty))));
    } else {
      res.status(201).json(presentPowChallenge(pow.issue()));
    }
  });

  router.post('/reports', deps.limits.middleware('reports'), requireJson, rawJson, async (req: WithRaw, res) => {
    // The proof of work first (one hash): a large body without work is not validated at all.
    const raw = req.body as { pow?: { challenge?: unknown; nonce?: unknown }; contextId?: unknown } | undefined;
    const proof = raw?.pow;
    if (proof && typeof proof === 'object' && typeof proof.challenge === 'string' && typeof proof.nonce === 'string' && !pow.provesWork(proof.challenge, proof.nonce)) {
      // Names what is wrong (a challenge bound to this report's context is not "for another one").
      orThrow(pow.check(proof.challenge, proof.nonce, { contextId: typeof raw?.contextId === 'string' ? raw.contextId : undefined }));
      throw new AppError(400, 'The proof of work is wrong: ask for a new challenge and solve it.', [{ field: 'pow', message: 'does not solve a challenge from POST /api/v1/pow' }]);
    }
    const submission = parseBody(submissionSchema, req.body);
    const { created, answer } = orThrow(await submitReport({ pool, pow, intake: deps.intake, difficulty }, submission, req.rawBody ?? Buffer.alloc(0)));
    const body: SubmitAnswer = answer;
    res.status(created ? 201 : 200).json(body);
  });

  return router;
}
