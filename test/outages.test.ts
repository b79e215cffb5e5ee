import { ready } from '../packages/crypto/src';
import { ReporterClient } from '../packages/client/src';
import { seedOrganisation } from './helpers/fixtures';
import { startRedisProcess } from './helpers/redis-process';
import { readyRequest } from './helpers/reports';
import { startStack, type TestStack } from './helpers/stack';
import { startTcpProxy } from './helpers/tcp-proxy';
import { expectEachNotificationSentOnce } from './helpers/notifications';
import { waitFor } from './helpers/wait';

beforeAll(async () => {
  await ready();
});

async function newReport(client: ReporterClient, contextId: string) {
  const intake = await client.intake();
  return readyRequest(client, intake, intake.contexts.find((c) => c.id === contextId)!);
}

const assigneeOf = async (stack: TestStack, id: string) =>
  (await stack.pool.query<{ assignee_id: string | null }>('SELECT assignee_id FROM cases WHERE id = $1', [id])).rows[0]?.assignee_id ?? null;

describe('when Redis is stopped during submissions', () => {
  let stack: TestStack;
  let redis: Awaited<ReturnType<typeof startRedisProcess>>;

  beforeAll(async () => {
    redis = await startRedisProcess();
    stack = await startStack({ env: { REDIS_URL: redis.url, OUTBOX_POLL_MS: '100' } });
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await stack?.stop();
    await redis.kill();
  });

  it('then reports are still accepted with 201, and triaged and notified once Redis is back', async () => {
    const org = await seedOrganisation(stack.pool, { investigators: 2 });
    const client = new ReporterClient(stack.api.url);
    const before = await newReport(client, org.contextId);
    expect((await client.submit(before)).status).toBe(201);
    await waitFor('triage while Redis is up', () => assigneeOf(stack, before.id));

    await redis.kill();
    const during = await Promise.all([newReport(client, org.contextId), newReport(client, org.contextId), newReport(client, org.contextId)]);
    for (const request of during) expect((await client.submit(request)).status).toBe(201);
    const readiness = await client.call('GET', '/readyz');
    expect(readiness.status).toBe(503);
    expect(readiness.body).toEqual({ status: 'unavailable', postgres: 'up', redis: 'down' });

    await new Promise((r) => setTimeout(r, 1_000));
    for (const request of during) expect(await assigneeOf(stack, request.id)).toBeNull();
    const { rows } = await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
    expect(rows[0]!.n).toBeGreaterThanOrEqual(3);

    // The restarted Redis is empty: everything it gets comes from the Postgres outbox.
    await redis.start();
    for (const request of during) await waitFor(`triage of ${request.id} after Redis returned`, () => assigneeOf(stack, request.id), 30_000);
    const delivered = await expectEachNotificationSentOnce(stack);
    expect(delivered.notifications).toBe(4);
    const audit = await stack.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'case.assigned'");
    expect(audit.rows[0]!.n).toBe(4);
  });
});

describe('when Postgres cannot be reached', () => {
  let stack: TestStack;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;

  beforeAll(async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    stack = await startStack({
      worker: false,
      mapDatabaseUrl: (url) => {
        const u = new URL(url);
        u.port = String(proxy.port);
        return u.toString();
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await proxy.close();
  });

  it('then a submission is answered 503 with a clear message and nothing is written; after recovery the same request is accepted', async () => {
    const org = await seedOrganisation(stack.pool, { investigators: 2 });
    const client = new ReporterClient(stack.api.url);
    const request = await newReport(client, org.contextId);

    proxy.cut();
    const answer = await client.submit(request);
    expect(answer.status).toBe(503);
    expect(answer.body.error).toBe('Sauti cannot reach its database right now, so nothing was saved. Please try again in a few minutes.');
    expect(answer.headers.get('retry-after')).toBe('30');
    expect((await client.call('GET', '/readyz')).body).toEqual({ status: 'unavailable', postgres: 'down', redis: 'up' });
    expect((await client.call('GET', '/api/v1/intake')).status).toBe(503);
    const { rows } = await stack.pool.query('SELECT count(*)::int AS n FROM cases WHERE id = $1', [request.id]);
    expect(rows[0].n).toBe(0);

    proxy.restore();
    const retried = await client.submit(request);
    expect(retried.status).toBe(201);
  });
});
