import { unitSchema, unitUpdateSchema, type UnitList } from '@sauti/core';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { orThrow } from '../http/errors';
import { staffOf } from '../http/guards';
import { uuidParam } from '../http/params';
import { jsonBody } from '../http/security';
import { parseBody } from '../http/validate';
import { createStaffUnit, listAllUnits, updateStaffUnit } from '../services/admin-units';

/** /api/v1/admin/units, behind the admin guard. */
export function adminUnitRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool } = deps;
  const json = jsonBody(16 * 1024);

  router.get('/units', async (_req, res) => {
    const body: UnitList = { items: await listAllUnits(pool) };
    res.json(body);
  });

  router.post('/units', ...json, async (req, res) => {
    res.status(201).json(orThrow(await createStaffUnit(pool, staffOf(res).userId, parseBody(unitSchema, req.body))));
  });

  router.patch('/units/:id', ...json, async (req, res) => {
    const unitId = uuidParam(req, 'id', 'There is no unit with this id.');
    res.json(orThrow(await updateStaffUnit(pool, staffOf(res).userId, unitId, parseBody(unitUpdateSchema, req.body))));
  });

  return router;
}
