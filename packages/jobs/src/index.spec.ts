import { jitteredBackoff, jobForOutboxEvent, jobOptionsFor, notifyJobOptions, QUEUES } from './index';

describe('jobs', () => {
  it('when an outbox event is mapped to a job, then the job carries ids only', () => {
    const job = jobForOutboxEvent({ id: '6f1f7c1e-6a3b-4c1d-9e2f-0a1b2c3d4e5f', topic: 'case.received', aggregateId: '0f8b1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4', payload: { secret: 'x' } });
    expect(job).toEqual({ queue: QUEUES.triage, data: { eventId: '6f1f7c1e-6a3b-4c1d-9e2f-0a1b2c3d4e5f', caseId: '0f8b1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4' } });
  });

  it('when a survey invitation is queued, then its job on the invite queue carries the mail row id only', () => {
    const job = jobForOutboxEvent({ id: 'e3', topic: 'survey.invitation', aggregateId: '0f8b1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4', payload: {} });
    expect(job).toEqual({ queue: QUEUES.invite, data: { surveyInvitationId: '0f8b1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4' } });
  });

  it('when notifications are requested for one person, then they map to one digest job id', () => {
    const a = jobForOutboxEvent({ id: 'e1', topic: 'notification.requested', aggregateId: 'n1', payload: { userId: 'u1' } });
    const b = jobForOutboxEvent({ id: 'e2', topic: 'notification.requested', aggregateId: 'n2', payload: { userId: 'u1' } });
    expect(a).toEqual({ queue: QUEUES.notify, data: { userId: 'u1' }, deduplicationId: 'digest-u1' });
    expect(b?.deduplicationId).toBe(a?.deduplicationId);
  });

  it('when a digest job is added, then it keeps a request that arrives while it runs and is delayed within [max/2, max]', () => {
    const settings = { delayMaxMs: 60_000, attempts: 5 };
    expect(notifyJobOptions('digest-u1', settings, () => 0)).toMatchObject({
      deduplication: { id: 'digest-u1', keepLastIfActive: true }, delay: 30_000, attempts: 5, removeOnComplete: true,
    });
    expect(notifyJobOptions('digest-u1', settings, () => 0.999_999).delay).toBe(59_999);
    expect(notifyJobOptions('digest-u1', { delayMaxMs: 0, attempts: 1 }).delay).toBe(0);
    const triage = jobForOutboxEvent({ id: 'e3', topic: 'case.received', aggregateId: 'c1', payload: {} })!;
    expect(jobOptionsFor('e3', triage, settings)).toEqual({ jobId: 'e3' });
  });

  it('when the topic is unknown, then no job is made', () => {
    expect(jobForOutboxEvent({ id: 'x', topic: 'nope', aggregateId: 'y', payload: {} })).toBeNull();
  });

  it('when attempts grow, then the backoff grows exponentially within jitter bounds and is capped', () => {
    expect(jitteredBackoff(1, () => 0)).toBe(500);
    expect(jitteredBackoff(1, () => 1)).toBe(1000);
    expect(jitteredBackoff(4, () => 0)).toBe(4000);
    expect(jitteredBackoff(4, () => 1)).toBe(8000);
    expect(jitteredBackoff(30, () => 1)).toBe(300_000);
  });
});
