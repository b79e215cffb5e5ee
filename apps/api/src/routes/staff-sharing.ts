import { grantSchema, type Directory } from '@sauti/core';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { orThrow } from '../http/errors';
import { staffOf } from '../http/guards';
import { uuidParam } from '../http/params';
import { jsonBody } from '../http/security';
import { parseBody } from '../http/validate';
import { presentDirectoryEntry } from '../presenters/staff';
import { CASE_NOT_FOUND } from '../services/staff-cases';
import { directory, grantCase, recuse, revokeGrant } from '../services/staff-sharing';

/** Sharing a case with colleagues, behind the staff guard: the directory, grants, revocation, recusal. */
export function staffSharingRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool } = deps;
  const json = jsonBody(128 * 1024);

  /** Colleagues a case can be granted to, with their public keys. */
  router.get('/directory', async (_req, res) => {
    const body: Directory = { items: (await directory(pool)).map(presentDirectoryEntry) };
    res.json(body);
  });

  router.post('/cases/:id/grants', ...json, async (req, res) => {
    const caseId = uuidParam(req, 'id', CASE_NOT_FOUND);
    res.status(201).json(orThrow(await grantCase(pool, staffOf(res), caseId, parseBody(grantSchema, req.body))));
  });

  router.delete('/cases/:id/grants/:userId', async (req, res) => {
    const caseId = uuidParam(req, 'id', CASE_NOT_FOUND);
    const userId = uuidParam(req, 'userId', 'This person does not hold the case.');
    res.json(orThrow(await revokeGrant(pool, staffOf(res), caseId, userId)));
  });

  router.post('/cases/:id/recusal', async (req, res) => {
    res.json(orThrow(await recuse(pool, staffOf(res), uuidParam(req, 'id', CASE_NOT_FOUND))));
  });

  return router;
}
