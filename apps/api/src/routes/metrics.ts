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
  // Coarse on purpose (docs/threat-model.md "Abuse"): request counters and case gauges move when a
  // report arrives, so a scraper polling every second could time each report and defeat the
  // notification jitter. One snapshot per clock-aligned window: a report shows only as "one more
  // in this window".
  const windowMs = deps.config.METRICS_WINDOW_SECONDS * 1000;
  let snapshot: { window: number; body: Promise<string> } | null = null;
  router.get('/metrics', guard, async (_req, res) => {
    const window = windowMs > 0 ? Math.floor(Date.now() / windowMs) : Date.now();
    if (!snapshot || snapshot.window !== window || windowMs === 0) snapshot = { window, body: metrics.registry.metrics() };
    const current = snapshot;
    let body: string;
    try {
      body = await current.body;
    } catch (error) {
      if (snapshot === current) snapshot = null;
      throw error;
    }
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(body);
  });
  return router;
}
