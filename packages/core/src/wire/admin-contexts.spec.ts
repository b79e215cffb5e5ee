import { toFieldIssues } from './common';
import { contextCreateSchema, contextPeopleSchema, contextUpdateSchema, deadlineIssues, listOrderSchema } from './admin-contexts';

const fieldsOf = (r: ReturnType<typeof contextUpdateSchema.safeParse>) => (r.success ? [] : toFieldIssues(r.error).map((i) => i.field).sort());

describe('context schemas', () => {
  it('when a context is created with only the required fields, then the legal defaults apply', () => {
    const parsed = contextCreateSchema.parse({ slug: 'public-traders', name: 'Traders', channel: 'public' });
    expect(parsed).toMatchObject({ acknowledgeDays: 7, feedbackDays: 90, retentionDays: 365, reminderDaysBefore: 2, maxExclusions: 1, active: true, categories: [], regions: [] });
  });

  it('when deadlines exceed the law or are not whole days, then each field is named', () => {
    expect(fieldsOf(contextUpdateSchema.safeParse({ acknowledgeDays: 8, feedbackDays: 184, retentionDays: 3651, reminderDaysBefore: -1 })))
      .toEqual(['acknowledgeDays', 'feedbackDays', 'reminderDaysBefore', 'retentionDays']);
    expect(fieldsOf(contextUpdateSchema.safeParse({ acknowledgeDays: 2.5 }))).toEqual(['acknowledgeDays']);
    expect(fieldsOf(contextUpdateSchema.safeParse({ acknowledgeDays: '7' }))).toEqual(['acknowledgeDays']);
    expect(contextUpdateSchema.safeParse({ acknowledgeDays: 7, feedbackDays: 183 }).success).toBe(true);
  });

  it('when an update changes nothing, names an unknown field, or repeats a question id, then it is refused', () => {
    expect(contextUpdateSchema.safeParse({}).success).toBe(false);
    expect(contextUpdateSchema.safeParse({ colour: 'red' }).success).toBe(false);
    expect(fieldsOf(contextUpdateSchema.safeParse({ questions: [{ id: 'q', label: 'A' }, { id: 'q', label: 'B' }] }))).toEqual(['questions']);
    expect(fieldsOf(contextUpdateSchema.safeParse({ slug: 'Not A Slug' }))).toEqual(['slug']);
  });

  it('when a reminder would come at or before receipt, then deadlineIssues names reminderDaysBefore', () => {
    expect(deadlineIssues({ acknowledgeDays: 7, reminderDaysBefore: 2 })).toEqual([]);
    expect(deadlineIssues({ acknowledgeDays: 2, reminderDaysBefore: 2 }).map((i) => i.field)).toEqual(['reminderDaysBefore']);
  });

  it('when lists name an id twice, then the order and the people are refused', () => {
    expect(listOrderSchema.safeParse({ ids: ['a', 'a'] }).success).toBe(false);
    const id = '0f8b1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4';
    expect(contextPeopleSchema.safeParse({ userIds: [id, id] }).success).toBe(false);
    expect(contextPeopleSchema.safeParse({ userIds: [id] }).success).toBe(true);
  });
});
