import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { withRequestId } from '@sauti/log';
import express, { type Express, type RequestHandler } from 'express';
import { argon2Gate } from './auth';
import type { ApiDeps } from './deps';
import { errorHandler, notFound } from './http/errors';
import { requireAdmin, requireStaff, staffOf } from './http/guards';
import { ApiMetrics } from './http/metrics';
import { securityHeaders } from './http/security';
import { releaseRoutes } from './http/release';
import { accountRoutes } from './routes/account';
import { adminContextRoutes } from './routes/admin-contexts';
import { adminNotificationRoutes } from './routes/admin-notifications';
import { adminPeopleRoutes } from './routes/admin-people';
import { adminQueueRoutes } from './routes/admin-queues';
import { adminRoutingRoutes } from './routes/admin-routing';
import { adminUnitRoutes } from './routes/admin-units';
import { authRoutes } from './routes/auth';
import { fileRoutes } from './routes/files';
import { healthRoutes } from './routes/health';
import { intakeRoutes } from './routes/intake';
import { inviteRoutes } from './routes/invites';
import { legalHoldRoutes } from './routes/legal-hold';
import { metricsRoute } from './routes/metrics';
import { reportRoutes } from './routes/reports';
import { reporterCaseRoutes } from './routes/reporter-case';
import { staffCaseRoutes } from './routes/staff-cases';
import { onBehalfRoutes } from './routes/on-behalf';
import { staffIdentityRoutes } from './routes/staff-identity';
import { staffSharingRoutes } from './routes/staff-sharing';
import { adminStatisticsRoutes, statisticsRoutes, transparencyRoutes } from './routes/statistics';
import { surveyPublicRoutes, surveyStaffRoutes } from './routes/surveys';
import { totpResetRoutes } from './routes/totp-reset';

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

/**
 * One router per resource. The staff session is checked once per request, by the guard mounted
 * on its prefix: /api/v1/staff needs a staff session, /api/v1/admin a staff session with the
 * admin role. Routers below mount on /api/v1 when their resource spans prefixes (files, account,
 * TOTP reset) and are covered by the same guards.
 */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Never derive anything from X-Forwarded-For: Sauti keeps no client addresses at all.
  app.set('trust proxy', false);
  app.set('etag', false);
  argon2Gate.configure({ concurrency: deps.config.ARGON2_CONCURRENCY, queueMs: deps.config.ARGON2_QUEUE_MS });
  const metrics = new ApiMetrics(deps);
  app.use(requestLog(deps, metrics));
  app.use(securityHeaders());
  app.use(healthRoutes(deps));
  app.use(metricsRoute(deps, metrics));

  const staff = requireStaff(deps);
  // Per signed-in account (never per address); fails open: staff are already authenticated.
  const perAccount = deps.limits.middleware('staffAccount', (_req, res) => staffOf(res).userId);
  app.use('/api/v1/staff', staff, perAccount);
  app.use('/api/v1/admin', staff, requireAdmin, perAccount);

  // Reporters (bearer tokens, never cookies) and staff accounts.
  app.use('/api/v1', intakeRoutes(deps), reportRoutes(deps), reporterCaseRoutes(deps), fileRoutes(deps), transparencyRoutes(deps));
  app.use('/api/v1', authRoutes(deps), accountRoutes(deps), totpResetRoutes(deps));
  // Survey respondents (docs/protocol.md §10): no session, no cookie.
  app.use('/api/v1', surveyPublicRoutes(deps));
  // The staff workspace.
  app.use('/api/v1/staff', staffCaseRoutes(deps), staffSharingRoutes(deps), staffIdentityRoutes(deps), statisticsRoutes(deps), onBehalfRoutes(deps), surveyStaffRoutes(deps));
  // Administration.
  app.use('/api/v1/admin', inviteRoutes(deps), adminPeopleRoutes(deps), adminUnitRoutes(deps), adminContextRoutes(deps));
  app.use('/api/v1/admin', adminRoutingRoutes(deps), legalHoldRoutes(deps), adminNotificationRoutes(deps), adminQueueRoutes(deps));
  app.use('/api/v1/admin', adminStatisticsRoutes(deps));

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
