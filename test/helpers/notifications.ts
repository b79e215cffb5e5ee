import type { TestStack } from './stack';
import { waitFor, waitForCount } from './wait';

/**
 * Waits until every notification row is sent, then checks that each digest went out as exactly one
 * e-mail (the sink sees each X-Sauti-Digest id once) and no e-mail is unaccounted for.
 */
export async function expectEachNotificationSentOnce(stack: TestStack, timeoutMs = 30_000): Promise<{ notifications: number; emails: number }> {
  const counts = async () =>
    (await stack.pool.query<{ total: number; sent: number }>(
      'SELECT count(*)::int AS total, count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent FROM notifications',
    )).rows[0]!;
  await waitFor('every notification to be sent', async () => {
    const c = await counts();
    return c.sent === c.total;
  }, timeoutMs, async () => {
    const c = await counts();
    return `${c.sent} of ${c.total} notifications sent`;
  });
  const { rows } = await stack.pool.query<{ digest_id: string; n: number }>('SELECT digest_id, count(*)::int AS n FROM notifications GROUP BY digest_id');
  const digestIds = rows.map((r) => r.digest_id);
  await waitForCount('digest e-mails received by the sink', async () => stack.mail.length, digestIds.length, 10_000);
  await new Promise((r) => setTimeout(r, 300)); // a duplicate would arrive in this time
  const mailed = stack.mail.map((m) => /X-Sauti-Digest: ([0-9a-f-]{36})/i.exec(m.raw)?.[1] ?? 'none');
  if (mailed.length !== digestIds.length || new Set(mailed).size !== mailed.length || mailed.some((d) => !digestIds.includes(d))) {
    throw new Error(`notifications were not e-mailed exactly once: digests ${JSON.stringify(digestIds)}, e-mails ${JSON.stringify(mailed)}`);
  }
  return { notifications: rows.reduce((a, r) => a + r.n, 0), emails: mailed.length };
}
