import { routingDryRunSchema, routingRuleSetSchema } from '@sauti/core';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { orThrow } from '../http/errors';
import { staffOf } from '../http/guards';
import { jsonBody } from '../http/security';
import { parseBody } from '../http/validate';
import { dryRunRouting, listRules, saveRoutingRules } from '../services/admin-routing';

/** /api/v1/admin/routing-rules and its dry run, behind the admin guard. */
export function adminRoutingRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool } = deps;
  const json = jsonBody(256 * 1024);

  router.get('/routing-rules', async (_req, res) => {
    res.json(await listRules(pool));
  });

  router.put('/routing-rules', ...json, async (req, res) => {
    const { rules } = parseBody(routingRuleSetSchema, req.body);
    res.json(orThrow(await saveRoutingRules(pool, staffOf(res).userId, rules)));
  });

  router.post('/routing-rules/dry-run', ...json, async (req, res) => {
    res.json(orThrow(await dryRunRouting(pool, parseBody(routingDryRunSchema, req.body))));
  });

  return router;
}
