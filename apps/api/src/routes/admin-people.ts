import { staffUpdateSchema, type StaffList } from '@sauti/core';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { orThrow } from '../http/errors';
import { staffOf } from '../http/guards';
import { uuidParam } from '../http/params';
import { jsonBody } from '../http/security';
import { parseBody } from '../http/validate';
import { presentStaffRow } from '../presenters/admin';
import { disableStaff, enableStaff, listPeople, updateStaffMember } from '../services/admin-people';

const NO_SUCH_PERSON = 'There is no staff member with this id.';

/** /api/v1/admin/staff, behind the admin guard: people, their roles and units, disable and enable. */
export function adminPeopleRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool } = deps;

  router.get('/staff', async (_req, res) => {
    const body: StaffList = { items: (await listPeople(pool)).map(presentStaffRow) };
    res.json(body);
  });

  router.patch('/staff/:id', ...jsonBody(16 * 1024), async (req, res) => {
    const userId = uuidParam(req, 'id', NO_SUCH_PERSON);
    res.json(orThrow(await updateStaffMember(pool, staffOf(res).userId, userId, parseBody(staffUpdateSchema, req.body))));
  });

  router.post('/staff/:id/disable', async (req, res) => {
    res.json(orThrow(await disableStaff(pool, staffOf(res).userId, uuidParam(req, 'id', NO_SUCH_PERSON))));
  });

  router.post('/staff/:id/enable', async (req, res) => {
    res.json(orThrow(await enableStaff(pool, staffOf(res).userId, uuidParam(req, 'id', NO_SUCH_PERSON))));
  });

  return router;
}
