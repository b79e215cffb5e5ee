import type { FailedJobs, QueueList } from '@sauti/core';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { orThrow } from '../http/errors';
import { presentFailedJob } from '../presenters/admin';
import { QueueAdmin } from '../services/admin-queues';

/** /api/v1/admin/queues, behind the admin guard: depths, failed jobs, retry. */
export function adminQueueRoutes(deps: ApiDeps): Router {
  const router = Router();
  const queues = new QueueAdmin(deps.redis, deps.config.QUEUE_PREFIX);

  router.get('/queues', async (_req, res) => {
    const body: QueueList = { items: orThrow(await queues.counts()) };
    res.json(body);
  });

  router.get('/queues/:name/failed', async (req, res) => {
    const body: FailedJobs = { items: orThrow(await queues.failed(String(req.params.name))).map(presentFailedJob) };
    res.json(body);
  });

  router.post('/queues/:name/jobs/:jobId/retry', async (req, res) => {
    res.json(orThrow(await queues.retry(String(req.params.name), String(req.params.jobId))));
  });

  return router;
}
