import { chooseAssignee, type AssignmentCandidate } from './assignment';

const person = (userId: string, over: Partial<AssignmentCandidate> = {}): AssignmentCandidate => ({
  userId, active: true, holdsKeyWrap: true, excludedByReporter: false, openCases: 0, lastAssignedAt: null, ...over,
});

describe('chooseAssignee', () => {
  it('when candidates differ in workload, then the one with the fewest open cases is chosen', () => {
    const decision = chooseAssignee([person('a', { openCases: 3 }), person('b', { openCases: 1 }), person('c', { openCases: 2 })]);
    expect(decision).toMatchObject({ kind: 'assigned', userId: 'b' });
  });

  it('when the least-loaded person is excluded, inactive or holds no key wrap, then they are passed over', () => {
    expect(chooseAssignee([person('a', { openCases: 5 }), person('b', { excludedByReporter: true })])).toMatchObject({ userId: 'a' });
    expect(chooseAssignee([person('a', { openCases: 5 }), person('b', { active: false })])).toMatchObject({ userId: 'a' });
    expect(chooseAssignee([person('a', { openCases: 5 }), person('b', { holdsKeyWrap: false })])).toMatchObject({ userId: 'a' });
  });

  it('when workloads tie, then whoever has waited longest for a case wins, never-assigned first', () => {
    const old = new Date('2026-01-01');
    const recent = new Date('2026-06-01');
    expect(chooseAssignee([person('a', { lastAssignedAt: recent }), person('b', { lastAssignedAt: old })])).toMatchObject({ userId: 'b' });
    expect(chooseAssignee([person('a', { lastAssignedAt: old }), person('b')])).toMatchObject({ userId: 'b' });
  });

  it('when nobody is eligible, then the decision says so and why', () => {
    const decision = chooseAssignee([person('a', { excludedByReporter: true }), person('b', { active: false })]);
    expect(decision).toEqual({ kind: 'nobody_eligible', reason: 'none of 2 recipient(s) is active, holds a key wrap and is not excluded' });
  });
});
