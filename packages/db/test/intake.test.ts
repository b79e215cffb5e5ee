import { randomBytes, randomUUID } from 'node:crypto';
import { acceptCase, type AcceptCaseInput } from '@sauti/db';
import { useDatabase } from './harness';

/** acceptCase: a whole report in one statement — everything or nothing, a challenge spent once. */
describe('intake: acceptCase (real Postgres)', () => {
  const db = useDatabase();

  const b64 = (n: number) => randomBytes(n).toString('base64url');
  let n = 0;
  function input(over: { gate?: AcceptCaseInput['gate']; lookup?: string; identity?: boolean; recipients?: string[] } = {}): AcceptCaseInput {
    const recipients = over.recipients ?? [db.alice, db.bob];
    return {
      submission: {
        id: randomUUID(), contextId: db.org.contextId,
        routing: { category: 'other', region: null, language: 'fr', urgent: false },
        excludedRecipientIds: [],
        report: b64(300),
        reporter: { lookup: over.lookup ?? b64(32), publicKey: b64(32), sealedKey: b64(80) },
        keyWraps: recipients.map((recipientId) => ({ recipientId, sealedKey: b64(112) })),
        ...(over.identity ? { identity: { ciphertext: b64(90), reporterSealedKey: b64(80), keyWraps: [{ recipientId: db.carol, sealedKey: b64(80) }] } } : {}),
      } as AcceptCaseInput['submission'],
      reference: `SA-TEST-${(n++).toString().padStart(4, '0')}`,
      requestDigest: randomBytes(32), channel: 'public', outboxEventId: randomUUID(), intakeChannel: 'web',
      gate: over.gate ?? { kind: 'pow', challengeDigest: randomBytes(32), expiresAt: new Date(Date.now() + 600_000) },
    };
  }

  const counts = async (caseId: string) => {
    const { rows: [r] } = await db.pool.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM cases WHERE id = $1) AS cases,
              (SELECT count(*)::int FROM case_key_wraps WHERE case_id = $1) AS wraps,
              (SELECT count(*)::int FROM identity_wraps WHERE case_id = $1) AS identity,
              (SELECT count(*)::int FROM case_status_history WHERE case_id = $1) AS history,
              (SELECT count(*)::int FROM outbox WHERE aggregate_id = $1 AND topic = 'case.received') AS outbox,
              (SELECT count(*)::int FROM audit_events WHERE case_id = $1) AS audit`, [caseId]);
    return r!;
  };
  const spent = async (digest: Buffer) => (await db.pool.query('SELECT 1 FROM pow_spent WHERE challenge_digest = $1', [digest])).rowCount;

  it('when a report with an identity is accepted, then the case, its wraps, first status, outbox event and audit entry are written together', async () => {
    const i = input({ identity: true });
    const accepted = await acceptCase(db.pool, i);
    expect(accepted).toEqual({ id: i.submission.id, reference: i.reference, status: 'received', receivedAt: expect.any(Date) });
    expect(await counts(i.submission.id)).toEqual({ cases: 1, wraps: 2, identity: 1, history: 1, outbox: 1, audit: 1 });
    const { rows: [audit] } = await db.pool.query('SELECT actor_type, actor_id, action, details FROM audit_events WHERE case_id = $1', [i.submission.id]);
    expect(audit).toEqual({ actor_type: 'reporter', actor_id: null, action: 'case.received', details: { contextId: db.org.contextId } });
    expect(await spent((i.gate as { challengeDigest: Buffer }).challengeDigest)).toBe(1);
  });

  it('when the challenge was already spent, then nothing is written and the answer is null', async () => {
    const first = input();
    await acceptCase(db.pool, first);
    const second = input({ gate: first.gate });
    expect(await acceptCase(db.pool, second)).toBeNull();
    expect(await counts(second.submission.id)).toEqual({ cases: 0, wraps: 0, identity: 0, history: 0, outbox: 0, audit: 0 });
  });

  it('when a case with the same id exists, then nothing more is written (the caller tells a retry from a conflict)', async () => {
    const first = input();
    await acceptCase(db.pool, first);
    const again = { ...input(), submission: first.submission };
    expect(await acceptCase(db.pool, again)).toBeNull();
    expect(await counts(first.submission.id)).toEqual({ cases: 1, wraps: 2, identity: 0, history: 1, outbox: 1, audit: 1 });
  });

  it('when the receipt lookup is taken, then the statement fails whole: not even the challenge is spent', async () => {
    const first = input();
    await acceptCase(db.pool, first);
    const clash = input({ lookup: first.submission.reporter.lookup });
    await expect(acceptCase(db.pool, clash)).rejects.toMatchObject({ constraint: 'cases_reporter_lookup_key' });
    expect(await counts(clash.submission.id)).toEqual({ cases: 0, wraps: 0, identity: 0, history: 0, outbox: 0, audit: 0 });
    expect(await spent((clash.gate as { challengeDigest: Buffer }).challengeDigest)).toBe(0);
  });

  it('when an intake officer records a report, then no challenge is needed and the audit entry names the officer and the channel', async () => {
    const i = input({ gate: { kind: 'officer', officerId: db.carol } });
    i.intakeChannel = 'hotline';
    expect(await acceptCase(db.pool, i)).not.toBeNull();
    const { rows: [audit] } = await db.pool.query('SELECT actor_type, actor_id, action, details FROM audit_events WHERE case_id = $1', [i.submission.id]);
    expect(audit).toEqual({ actor_type: 'staff', actor_id: db.carol, action: 'case.recorded_on_behalf', details: { contextId: db.org.contextId, intakeChannel: 'hotline' } });
    const { rows: [c] } = await db.pool.query('SELECT intake_channel FROM cases WHERE id = $1', [i.submission.id]);
    expect(c).toEqual({ intake_channel: 'hotline' });
  });
});
