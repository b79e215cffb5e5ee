import { timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { ApiDeps } from '../deps';
import type { ApiMetrics } from '../http/metrics';

/** GET /metrics; when METRICS_TOKEN is set, only with `Authorization: Bearer <token>`. */
export function metricsRoute(deps: ApiDeps, metrics: ApiMetrics): Router {
  const router = Router();
  const token = deps.config.METRICS_TOKEN;
  const guard: RequestHandler = (req, res, next) => {
    if (!token) return next();
    const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.status(401).json({ error: 'Metrics need Authorization: Bearer <METRICS_TOKEN>.' });
  };
  router.get('/metrics', guard, async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  return router;
}
