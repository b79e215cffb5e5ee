import { transition, type CaseLifecycleState } from './lifecycle';

const now = new Date('2026-03-01T10:00:00Z');
const received: CaseLifecycleState = { status: 'received', acknowledgedAt: null, feedbackDueAt: null, closedAt: null, outcome: null };
const investigator = { now, feedbackDays: 90, actorRoles: ['investigator'] };

describe('case lifecycle', () => {
  it('when an investigator acknowledges a received case, then the feedback clock starts for the context\'s number of days', () => {
    const r = transition(received, { to: 'acknowledged', hasReason: false }, { ...investigator, feedbackDays: 30 });
    expect(r).toEqual({ ok: true, value: { kind: 'acknowledge', next: { ...received, status: 'acknowledged', acknowledgedAt: now, feedbackDueAt: new Date('2026-03-31T10:00:00Z') } } });
  });

  it('when a case goes acknowledged → in progress → closed with an outcome, then each step is allowed', () => {
    const ack = transition(received, { to: 'acknowledged', hasReason: false }, investigator);
    if (!ack.ok) throw new Error('ack');
    const started = transition(ack.value.next, { to: 'in_progress', hasReason: false }, investigator);
    if (!started.ok) throw new Error('start');
    const closed = transition(started.value.next, { to: 'closed', outcome: 'referred', hasReason: true }, investigator);
    expect(closed).toMatchObject({ ok: true, value: { kind: 'close', next: { status: 'closed', outcome: 'referred', closedAt: now, acknowledgedAt: now } } });
  });

  it('when a received case is closed or started without acknowledgement, then it is a conflict naming the allowed next status', () => {
    expect(transition(received, { to: 'closed', outcome: 'not_actionable', hasReason: false }, investigator)).toMatchObject({
      ok: false, error: { code: 'conflict', issues: [{ field: 'to', message: 'must be one of: acknowledged' }] },
    });
    expect(transition(received, { to: 'in_progress', hasReason: false }, investigator)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('when closing without an outcome, or giving an outcome without closing, then the request is invalid', () => {
    const inProgress = { ...received, status: 'in_progress' as const };
    expect(transition(inProgress, { to: 'closed', hasReason: false }, investigator)).toMatchObject({ ok: false, error: { code: 'invalid', issues: [{ field: 'outcome' }] } });
    expect(transition(received, { to: 'acknowledged', outcome: 'substantiated', hasReason: false }, investigator)).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('when a closed case is reopened, then only a supervisor may, only with a reason, and the outcome is cleared', () => {
    const closed: CaseLifecycleState = { status: 'closed', acknowledgedAt: now, feedbackDueAt: now, closedAt: now, outcome: 'unsubstantiated' };
    expect(transition(closed, { to: 'in_progress', hasReason: true }, investigator)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const supervisor = { ...investigator, actorRoles: ['supervisor'] };
    expect(transition(closed, { to: 'in_progress', hasReason: false }, supervisor)).toMatchObject({ ok: false, error: { code: 'invalid', issues: [{ field: 'reason' }] } });
    expect(transition(closed, { to: 'in_progress', hasReason: true }, supervisor)).toMatchObject({
      ok: true, value: { kind: 'reopen', next: { status: 'in_progress', closedAt: null, outcome: null, acknowledgedAt: now } },
    });
  });

  it('when someone without a handling role changes a status, then it is forbidden', () => {
    for (const role of ['admin', 'custodian', 'analyst']) {
      expect(transition(received, { to: 'acknowledged', hasReason: false }, { ...investigator, actorRoles: [role] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });
});
