import { isUuidV4, legalHoldSchema } from '@sauti/core';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { caseIdByReference } from '@sauti/db';
import { AppError, orThrow } from '../http/errors';
import { staffOf } from '../http/guards';
import { jsonBody } from '../http/security';
import { parseBody } from '../http/validate';
import { changeLegalHold } from '../services/legal-hold';

const NOT_FOUND = 'There is no case with this reference or id.';

/** A case's id from the path: its id, or the reference people see ("SA-7K3Q-9XMF", any case, spaces allowed). */
async function caseOf(deps: ApiDeps, param: unknown): Promise<string> {
  if (typeof param !== 'string') throw new AppError(404, NOT_FOUND);
  if (isUuidV4(param)) return param;
  const reference = param.trim().toUpperCase().replace(/\s+/g, '-');
  if (!/^[A-Z0-9]{2,8}(-[A-Z0-9]{2,12}){1,4}$/.test(reference)) throw new AppError(404, NOT_FOUND);
  const id = await caseIdByReference(deps.pool, reference);
  if (!id) throw new AppError(404, NOT_FOUND);
  return id;
}

/** PUT /api/v1/admin/cases/:id/legal-hold (the id or the reference), behind the admin guard. */
export function legalHoldRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.put('/cases/:id/legal-hold', ...jsonBody(256 * 1024), async (req, res) => {
    const id = await caseOf(deps, req.params.id);
    const { hold } = parseBody(legalHoldSchema, req.body);
    res.json(orThrow(await changeLegalHold(deps.pool, staffOf(res).userId, id, hold)));
  });
  return router;
}
