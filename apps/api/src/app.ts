import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { withRequestId } from '@sauti/log';
import express, { type Express, type RequestHandler } from 'express';
import type { ApiDeps } from './deps';
import { errorHandler, notFound } from './http/errors';
import { ApiMetrics, metricsRoute } from './http/metrics';
import { securityHeaders } from './http/security';
import { releaseRoutes } from './http/release';
import { adminPipelineRoutes } from './routes/admin-pipeline-routes';
import { healthRoutes } from './routes/health-routes';
import { staffDeadlineRoutes } from './routes/staff-deadline-routes';
import { staffExportRoutes } from './routes/staff-export-routes';
import { reporterRoutes } from './routes/reporter-routes';
import { adminRoutes } from './routes/admin-routes';
import { authRoutes } from './routes/auth-routes';
import { staffRoutes } from './routes/staff-routes';
import { fileRoutes } from './routes/file-routes';
import { adminContextRoutes } from './routes/admin-context-routes';
import { totpResetRoutes } from './routes/totp-reset-routes';

export const WEB_DIST = path.resolve(__dirname, '..', '..', 'web', 'dist');
/** The built web app this server serves (WEB_DIR, else apps/web/dist). */
export const webDirOf = (config: { WEB_DIR?: string | undefined }): string => path.resolve(config.WEB_DIR ?? WEB_DIST);

/**
 * Logs method, route, status and duration under a request id. Never the body, the query string,
 * the client's address or its user agent.
 */
function requestLog(deps: ApiDeps, metrics: ApiMetrics): RequestHandler {
  return (req, res, next) => {
    const requestId = randomUUID();
    const started = process.hrtime.bigint();
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      metrics.observe(req.method, route, res.statusCode, ms / 1000);
      withRequestId(requestId, () => deps.log.info({ method: req.method, route, status: res.statusCode, ms: Math.round(ms) }, 'request'));
    });
    withRequestId(requestId, next);
  };
}

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Never derive anything from X-Forwarded-For: Sauti keeps no client addresses at all.
  app.set('trust proxy', false);
  app.set('etag', false);
  const metrics = new ApiMetrics(deps);
  app.use(requestLog(deps, metrics));
  app.use(securityHeaders());
  app.use(healthRoutes(deps));
  app.use(metricsRoute(deps, metrics));
  app.use('/api/v1', reporterRoutes(deps));
  app.use('/api/v1', fileRoutes(deps));
  app.use('/api/v1', authRoutes(deps));
  app.use('/api/v1/staff', staffRoutes(deps));
  app.use('/api/v1/staff', staffDeadlineRoutes(deps));
  app.use('/api/v1/staff', staffExportRoutes(deps));
  app.use('/api/v1/admin', adminRoutes(deps));
  app.use('/api/v1/admin', adminPipelineRoutes(deps));
  app.use('/api/v1/admin', adminContextRoutes(deps));
  app.use('/api/v1', totpResetRoutes(deps));
  app.use('/api', notFound);
  const webDir = webDirOf(deps.config);
  if (deps.config.SERVE_WEB && existsSync(webDir)) {
    app.use(releaseRoutes(webDir));
    app.use(express.static(webDir, { index: 'index.html', etag: false, lastModified: false }));
    // Client-side routes fall back to the app shell.
    app.get('/{*path}', (_req, res) => res.sendFile(path.join(webDir, 'index.html')));
  }
  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
