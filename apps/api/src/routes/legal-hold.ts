import { legalHoldSchema } from '@sauti/core';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { orThrow } from '../http/errors';
import { staffOf } from '../http/guards';
import { uuidParam } from '../http/params';
import { jsonBody } from '../http/security';
import { parseBody } from '../http/validate';
import { changeLegalHold } from '../services/legal-hold';

/** PUT /api/v1/admin/cases/:id/legal-hold, behind the admin guard. */
export function legalHoldRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.put('/cases/:id/legal-hold', ...jsonBody(256 * 1024), async (req, res) => {
    const id = uuidParam(req, 'id', 'There is no case with this id.');
    const { hold } = parseBody(legalHoldSchema, req.body);
    res.json(orThrow(await changeLegalHold(deps.pool, staffOf(res).userId, id, hold)));
  });
  return router;
}
