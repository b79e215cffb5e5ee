import { inviteSchema } from '@sauti/core';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { orThrow } from '../http/errors';
import { staffOf } from '../http/guards';
import { jsonBody } from '../http/security';
import { parseBody } from '../http/validate';
import { presentInviteCreated } from '../presenters/admin';
import { createStaffInvite } from '../services/invites';

/** POST /api/v1/admin/invites, behind the admin guard. The worker e-mails the link. */
export function inviteRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.post('/invites', ...jsonBody(16 * 1024), async (req, res) => {
    const invite = orThrow(await createStaffInvite({ pool: deps.pool, serverSecret: deps.deployment.serverSecret }, parseBody(inviteSchema, req.body), staffOf(res).userId));
    res.status(201).json(presentInviteCreated(invite));
  });
  return router;
}
