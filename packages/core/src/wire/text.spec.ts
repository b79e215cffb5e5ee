import { caseListQuerySchema, contextCreateSchema, inviteSchema, toFieldIssues, unitSchema } from '../index';
import { isStorableText, safeText } from './text';

describe('safeText (the one schema for clear text from staff and admins)', () => {
  const name = safeText({ max: 10 });

  it('accepts ordinary text, trimmed, including emoji (surrogate pairs)', () => {
    expect(name.parse('  Ama 🇬🇭 ')).toBe('Ama 🇬🇭');
    expect(isStorableText('日本 😀')).toBe(true);
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['lone high surrogate', 'a\ud800b'],
    ['lone low surrogate', 'a\udc00b'],
    ['high surrogate at the end', 'ab\ud83d'],
    ['reversed pair', '\ude00\ud83d'],
  ])('refuses %s with a message naming the problem', (_label, value) => {
    const result = name.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/NUL|surrogate/);
  });

  it('keeps empty/long checks', () => {
    expect(name.safeParse('   ').success).toBe(false);
    expect(name.safeParse('x'.repeat(11)).success).toBe(false);
    expect(safeText({ max: 5, min: 0 }).parse('')).toBe('');
  });

  it('is used by the staff/admin text fields and names the field', () => {
    const invite = inviteSchema.safeParse({ email: 'a@example.org', displayName: 'A\u0000', roles: ['investigator'] });
    expect(invite.success).toBe(false);
    expect(toFieldIssues(invite.error!)).toEqual([{ field: 'displayName', message: expect.stringMatching(/NUL/) }]);
    const unit = unitSchema.safeParse({ name: 'Unit \ud800' });
    expect(toFieldIssues(unit.error!)[0]?.field).toBe('name');
    const filter = caseListQuerySchema.safeParse({ category: 'x\u0000' });
    expect(toFieldIssues(filter.error!)[0]?.field).toBe('category');
    const context = contextCreateSchema.safeParse({ slug: 'a', name: 'A', channel: 'public', description: 'd\u0000' });
    expect(toFieldIssues(context.error!).map((i) => i.field)).toContain('description');
  });
});
