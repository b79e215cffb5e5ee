import {
  breakdownQuerySchema,
  categoryFactorsSchema,
  statisticsFilterSchema,
  toFieldIssues,
  type CategoryFactorList,
  type StatisticsSummary,
  type StatisticsTable,
  type TransparencyFigures,
} from '@sauti/core';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { AppError, orThrow } from '../http/errors';
import { staffOf } from '../http/guards';
import { uuidParam } from '../http/params';
import { jsonBody } from '../http/security';
import { parseBody } from '../http/validate';
import {
  categoryFactorList,
  saveCategoryFactors,
  setStatisticsScope,
  statisticsBreakdown,
  statisticsSummary,
  transparencyFigures,
} from '../services/statistics';

function parseQuery<S extends z.ZodType>(schema: S, query: Request['query'] | Record<string, unknown>): z.infer<S> {
  const result = schema.safeParse(query);
  if (!result.success) {
    const issues = toFieldIssues(result.error).map((i) => (i.field === '(body)' ? { ...i, field: '(query)' } : i));
    throw new AppError(400, 'Some filters are not valid; see issues.', issues);
  }
  return result.data;
}

const filterOf = (q: Record<string, unknown>) =>
  Object.fromEntries(['from', 'to', 'channel', 'unitId', 'contextId'].filter((k) => q[k] !== undefined).map((k) => [k, q[k]]));

/** /api/v1/staff/statistics, behind the staff guard: analysts, supervisors and admins (the service checks). */
export function statisticsRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool, config } = deps;

  router.get('/statistics/summary', async (req, res) => {
    const filter = parseQuery(statisticsFilterSchema, req.query);
    const body: StatisticsSummary = orThrow(await statisticsSummary(pool, staffOf(res), filter, config.STATISTICS_MIN_CELL));
    res.json(body);
  });

  router.get('/statistics/breakdown', async (req, res) => {
    const query = parseQuery(breakdownQuerySchema, req.query);
    const filter = parseQuery(statisticsFilterSchema, filterOf(query));
    const body: StatisticsTable = orThrow(await statisticsBreakdown(pool, staffOf(res), filter, query.dimension, query.by ?? null, config.STATISTICS_MIN_CELL));
    res.json(body);
  });

  return router;
}

/** /api/v1/admin: the Arusha factors of each category, and who sees every unit's statistics. Behind the admin guard. */
export function adminStatisticsRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool } = deps;
  const json = jsonBody(256 * 1024);

  router.get('/category-factors', async (_req, res) => {
    const body: CategoryFactorList = await categoryFactorList(pool);
    res.json(body);
  });

  router.put('/category-factors', ...json, async (req, res) => {
    const body: CategoryFactorList = orThrow(await saveCategoryFactors(pool, staffOf(res).userId, parseBody(categoryFactorsSchema, req.body)));
    res.json(body);
  });

  router.put('/staff/:id/statistics-scope', ...jsonBody(1024), async (req, res) => {
    const id = uuidParam(req, 'id', 'There is no staff member with this id.');
    const { allUnits } = parseBody(z.strictObject({ allUnits: z.boolean({ error: 'must be true or false' }) }), req.body);
    res.json(orThrow(await setStatisticsScope(pool, staffOf(res).userId, id, allUnits)));
  });

  return router;
}

/** GET /api/v1/transparency: public, and only when the deployment turned the page on (TRANSPARENCY_PAGE). */
export function transparencyRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/transparency', async (_req, res) => {
    if (!deps.config.TRANSPARENCY_PAGE) throw new AppError(404, 'This deployment does not publish transparency figures.');
    const body: TransparencyFigures = await transparencyFigures(deps.pool, deps.config.STATISTICS_MIN_CELL);
    res.json(body);
  });
  return router;
}
