import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { presentIntake } from '../presenters/reporter';
import { openContexts } from '../services/intake';

/** GET /api/v1/intake: what a reporter's client needs to seal a report (docs/protocol.md §4). */
export function intakeRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { config } = deps;
  const limits = {
    reportMaxBytes: config.REPORT_MAX_BYTES,
    fileMaxBytes: config.FILE_MAX_BYTES,
    caseFilesMaxBytes: config.CASE_FILES_MAX_BYTES,
    caseFilesMaxCount: config.CASE_FILES_MAX_COUNT,
  };
  router.get('/intake', async (_req, res) => {
    res.json(presentIntake(await openContexts(deps.pool, deps.intake), deps.deployment.receiptSalt, limits));
  });
  return router;
}
