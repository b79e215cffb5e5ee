import { countSweepRecoveredNotifications } from '@sauti/db';
import { QUEUES, createQueue } from '@sauti/jobs';
import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { auditBacklog } from '@sauti/db';
import type { ApiDeps } from '../deps';

/**
 * Prometheus metrics. Labels are route patterns, methods, statuses, queue names and case states —
 * never an id, a person or an address.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'sauti_http_requests_total', help: 'HTTP requests by route pattern and status', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
  readonly duration = new Histogram({
    name: 'sauti_http_request_duration_seconds', help: 'HTTP request duration by route pattern', labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry],
  });

  constructor(deps: ApiDeps) {
    collectDefaultMetrics({ register: this.registry, prefix: 'sauti_api_' });
    const queues = new Map<string, Queue>();
    new Gauge({
      name: 'sauti_queue_jobs', help: 'BullMQ jobs by queue and state', labelNames: ['queue', 'state'], registers: [this.registry],
      async collect() {
        if (deps.redis.status !== 'ready') return;
        for (const name of Object.values(QUEUES)) {
          if (!queues.has(name)) queues.set(name, createQueue(name, deps.redis, deps.config.QUEUE_PREFIX));
          const counts = await queues.get(name)!.getJobCounts('waiting', 'active', 'delayed', 'failed').catch(() => null);
          for (const [state, n] of Object.entries(counts ?? {})) this.set({ queue: name, state }, n);
        }
      },
    });
    new Gauge({
      name: 'sauti_outbox_unpublished', help: 'Committed events not yet handed to the queue', registers: [this.registry],
      async collect() {
        const { rows } = await deps.pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL');
        this.set(Number(rows[0]?.n ?? 0));
      },
    });
    new Gauge({
      name: 'sauti_cases', help: 'Cases by status, and open cases past a deadline', labelNames: ['status'], registers: [this.registry],
      async collect() {
        const { rows } = await deps.pool.query<{ status: string; n: string }>(
          `SELECT status, count(*) AS n FROM cases GROUP BY status
           UNION ALL
           SELECT 'overdue', count(*) FROM cases
            WHERE (status = 'received' AND acknowledge_due_at < now()) OR (status IN ('acknowledged', 'in_progress') AND feedback_due_at < now())`,
        );
        this.reset();
        for (const r of rows) this.set({ status: r.status }, Number(r.n));
      },
    });
    // The sealing lag: audit entries written but not yet linked into the hash chain, and how old the oldest is.
    new Gauge({
      name: 'sauti_audit_unsealed_entries', help: 'Audit entries not yet sealed into the hash chain', registers: [this.registry],
      async collect() {
        this.set((await auditBacklog(deps.pool)).unsealed);
      },
    });
    new Gauge({
      name: 'sauti_audit_sealing_lag_seconds', help: 'Age of the oldest audit entry not yet sealed (0 when all are sealed)', registers: [this.registry],
      async collect() {
        this.set((await auditBacklog(deps.pool)).oldestUnsealedSeconds ?? 0);
      },
    });
    new Gauge({
      name: 'sauti_notifications_failed', help: 'Notifications that finally failed (see GET /api/v1/admin/notifications/failed)', registers: [this.registry],
      async collect() {
        const { rows } = await deps.pool.query<{ n: string }>('SELECT count(*) AS n FROM notifications WHERE failed_at IS NOT NULL AND sent_at IS NULL');
        this.set(Number(rows[0]?.n ?? 0));
      },
    });
    new Counter({
      name: 'sauti_sweep_recovered_notifications_total', help: 'Notifications the sweep had to re-request because no digest job picked them up (should stay 0)', registers: [this.registry],
      async collect() {
        const n = await countSweepRecoveredNotifications(deps.pool);
        this.reset();
        this.inc(n);
      },
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.duration.observe({ method, route }, seconds);
  }
}
