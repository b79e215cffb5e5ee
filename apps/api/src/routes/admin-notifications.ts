import type { FailedNotifications, NotificationRetry } from '@sauti/core';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { staffOf } from '../http/guards';
import { presentFailedNotification } from '../presenters/admin';
import { listFailed, retryNotifications } from '../services/admin-notifications';

/** /api/v1/admin/notifications, behind the admin guard: e-mails that finally failed, and a retry. */
export function adminNotificationRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/notifications/failed', async (_req, res) => {
    const body: FailedNotifications = { items: (await listFailed(deps.pool)).map(presentFailedNotification) };
    res.json(body);
  });
  router.post('/notifications/retry', async (_req, res) => {
    const body: NotificationRetry = await retryNotifications(deps.pool, staffOf(res).userId);
    res.json(body);
  });
  return router;
}
