import { identityApprovalSchema, identityRequestSchema, identityRequestStatusQuerySchema, type IdentityRequestQueue } from '@sauti/core';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { AppError, orThrow } from '../http/errors';
import { requireRole, staffOf } from '../http/guards';
import { uuidParam } from '../http/params';
import { jsonBody } from '../http/security';
import { parseBody } from '../http/validate';
import { presentIdentityRequest } from '../presenters/staff';
import { CASE_NOT_FOUND } from '../services/staff-cases';
import { custodianQueue, decideIdentity, requestIdentity } from '../services/staff-identity';

const REQUEST_NOT_FOUND = 'There is no identity request with this id that you may decide.';

/** The reporter's identity, behind the staff guard: a handler asks, a custodian approves or denies. */
export function staffIdentityRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool } = deps;
  const json = jsonBody(128 * 1024);
  const custodian = requireRole('custodian');

  router.post('/cases/:id/identity-requests', ...json, async (req, res) => {
    const caseId = uuidParam(req, 'id', CASE_NOT_FOUND);
    res.status(201).json(orThrow(await requestIdentity(pool, staffOf(res), caseId, parseBody(identityRequestSchema, req.body))));
  });

  router.get('/identity-requests', custodian, async (req, res) => {
    const query = identityRequestStatusQuerySchema.safeParse(req.query);
    if (!query.success) throw new AppError(400, 'status must be pending, approved, denied or all.');
    const items = await custodianQueue(pool, staffOf(res), query.data.status === 'all' ? null : query.data.status);
    const body: IdentityRequestQueue = { items: items.map(presentIdentityRequest) };
    res.json(body);
  });

  router.post('/identity-requests/:id/approve', custodian, ...json, async (req, res) => {
    const requestId = uuidParam(req, 'id', REQUEST_NOT_FOUND);
    const { sealedKey, sealedReason } = parseBody(identityApprovalSchema, req.body);
    res.json(orThrow(await decideIdentity(pool, staffOf(res), requestId, { approve: true, sealedKey, sealedReason })));
  });

  router.post('/identity-requests/:id/deny', custodian, async (req, res) => {
    res.json(orThrow(await decideIdentity(pool, staffOf(res), uuidParam(req, 'id', REQUEST_NOT_FOUND), { approve: false })));
  });

  return router;
}
