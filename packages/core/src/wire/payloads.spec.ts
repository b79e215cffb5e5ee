import { readIdentityBody, readReportBody, reportBodySchema } from './payloads';

describe('report body (docs/protocol.md §9)', () => {
  const good = { v: 1, answers: [{ id: 'where', label: 'Where?', value: 'Gate 4' }], text: 'The officer asked for cash.' };

  it('reads a version 1 body as it is, with no notice', () => {
    expect(readReportBody(good)).toEqual({ value: good, problem: null });
  });

  it('reads a body without "v" (written before the field was specified) as version 1', () => {
    const { v: _v, ...old } = good;
    expect(readReportBody(old)).toEqual({ value: good, problem: null });
  });

  it('accepts a body without answers (a context with no questions)', () => {
    expect(readReportBody({ v: 1, text: 'only text' })).toEqual({ value: { v: 1, answers: [], text: 'only text' }, problem: null });
  });

  it('shows the text and the answers of a body whose answers are an object, and says it is malformed', () => {
    const independent = { v: 1, answers: { where: 'Gate 4', amount: '200 USD' }, text: 'The officer asked for cash.' };
    expect(reportBodySchema.safeParse(independent).success).toBe(false);
    expect(readReportBody(independent)).toEqual({
      value: {
        v: 1,
        answers: [
          { id: 'where', label: 'where', value: 'Gate 4' },
          { id: 'amount', label: 'amount', value: '200 USD' },
        ],
        text: 'The officer asked for cash.',
      },
      problem: 'malformed',
    });
  });

  it('keeps labels given inside an answers object', () => {
    const read = readReportBody({ answers: { where: { label: 'Where?', value: 'Gate 4' } }, text: '' });
    expect(read.value.answers).toEqual([{ id: 'where', label: 'Where?', value: 'Gate 4' }]);
    expect(read.problem).toBe('malformed');
  });

  it('names an unknown version but still shows what it can read', () => {
    expect(readReportBody({ ...good, v: 2 })).toEqual({ value: good, problem: 'unknown_version' });
  });

  it('shows a bare string as the text, and anything else as text too, never throwing', () => {
    expect(readReportBody('just words')).toEqual({ value: { v: 1, answers: [], text: 'just words' }, problem: 'malformed' });
    expect(readReportBody(null)).toEqual({ value: { v: 1, answers: [], text: '' }, problem: 'malformed' });
    expect(readReportBody([1, 2]).problem).toBe('malformed');
    expect(readReportBody({ answers: [{ id: 'q', label: 'Q', value: 42 }], text: 7 }).value).toEqual({
      v: 1, answers: [{ id: 'q', label: 'Q', value: '42' }], text: '7',
    });
  });
});

describe('identity body (docs/protocol.md §9)', () => {
  it('reads version 1 and bodies without "v"', () => {
    expect(readIdentityBody({ v: 1, name: 'A. Person', contact: '+255 700 000 000' })).toEqual({
      value: { v: 1, name: 'A. Person', contact: '+255 700 000 000' }, problem: null,
    });
    expect(readIdentityBody({ name: 'A. Person', contact: 'a@example.org' }).problem).toBeNull();
  });

  it('shows what it can of a malformed or newer identity', () => {
    expect(readIdentityBody({ name: 'A. Person' })).toEqual({ value: { v: 1, name: 'A. Person', contact: '' }, problem: 'malformed' });
    expect(readIdentityBody({ v: 3, name: 'A', contact: 'b' }).problem).toBe('unknown_version');
  });
});
