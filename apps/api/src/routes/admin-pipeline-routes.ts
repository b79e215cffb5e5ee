import { isUuidV4, routingDryRunSchema, routingRuleSetSchema } from '@sauti/core';
import { listFailedNotifications, listRoutingRules } from '@sauti/db';
import { createQueue, QUEUES, type QueueName } from '@sauti/jobs';
import type { Queue } from 'bullmq';
import express, { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { AppError, fromDomainError } from '../http/errors';
import { requireJson } from '../http/security';
import { requireRole, requireStaff, staffOf } from '../http/staff-auth';
import { parseBody } from '../http/validate';
import { changeLegalHold, dryRunRouting, retryNotifications, saveRoutingRules } from '../services/routing-admin';

const QUEUE_UNAVAILABLE = 'The job queue (Redis) cannot be reached right now; reports are still accepted and wait in the outbox. Try again shortly.';

/** Admin: routing rules and their dry run, legal hold, failed notifications, queue health. */
export function adminPipelineRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool } = deps;
  const json = [requireJson, express.json({ limit: 256 * 1024, strict: true })];
  router.use(requireStaff(deps), requireRole('admin'));

  router.get('/routing-rules', async (_req, res) => {
    res.json({ rules: await listRoutingRules(pool) });
  });

  router.put('/routing-rules', ...json, async (req, res) => {
    const { rules } = parseBody(routingRuleSetSchema, req.body);
    const result = await saveRoutingRules(pool, staffOf(res).userId, rules);
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  router.post('/routing-rules/dry-run', ...json, async (req, res) => {
    const result = await dryRunRouting(pool, parseBody(routingDryRunSchema, req.body));
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  router.put('/cases/:id/legal-hold', ...json, async (req, res) => {
    const id = req.params.id;
    if (typeof id !== 'string' || !isUuidV4(id)) throw new AppError(404, 'There is no case with this id.');
    const { hold } = parseBody(z.strictObject({ hold: z.boolean({ error: 'must be true or false' }) }), req.body);
    const result = await changeLegalHold(pool, staffOf(res).userId, id, hold);
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  router.get('/notifications/failed', async (_req, res) => {
    const failed = await listFailedNotifications(pool);
    res.json({ items: failed.map((n) => ({ ...n, failedAt: n.failedAt.toISOString() })) });
  });

  router.post('/notifications/retry', async (_req, res) => {
    res.json(await retryNotifications(pool, staffOf(res).userId));
  });

  // Queue health: depths, failed jobs (ids and reasons only: jobs carry no content), retry.
  const queues = new Map<QueueName, Queue>();
  const queue = (name: string): Queue => {
    if (!(Object.values(QUEUES) as string[]).includes(name)) throw new AppError(404, `There is no queue named "${name}".`);
    const key = name as QueueName;
    if (!queues.has(key)) queues.set(key, createQueue(key, deps.redis, deps.config.QUEUE_PREFIX));
    return queues.get(key)!;
  };
  const withRedis = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (deps.redis.status !== 'ready') throw new AppError(503, QUEUE_UNAVAILABLE);
    try {
      return await fn();
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError(503, QUEUE_UNAVAILABLE);
    }
  };

  router.get('/queues', async (_req, res) => {
    const items = await withRedis(() =>
      Promise.all(Object.values(QUEUES).map(async (name) => ({ name, counts: await queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed') }))),
    );
    res.json({ items });
  });

  router.get('/queues/:name/failed', async (req, res) => {
    const jobs = await withRedis(() => queue(String(req.params.name)).getFailed(0, 99));
    res.json({
      items: jobs.map((j) => ({ id: j.id, name: j.name, attemptsMade: j.attemptsMade, failedReason: j.failedReason, failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null })),
    });
  });

  router.post('/queues/:name/jobs/:jobId/retry', async (req, res) => {
    await withRedis(async () => {
      const job = await queue(String(req.params.name)).getJob(String(req.params.jobId));
      if (!job) throw new AppError(404, 'There is no such job (it may have been retried or removed already).');
      if (!(await job.isFailed())) throw new AppError(409, 'Only a failed job can be retried.');
      await job.retry();
    });
    res.json({ retried: true });
  });

  return router;
}
