import { ARUSHA_FACTOR_IDS } from './arusha';
import { aggregateSurvey, checkSurveyResponse, compareIterations, surveyResultsCsv, twoProportionSignificant, type SurveyResponseBody } from './survey-rules';
import { SURVEY_TEMPLATE } from './survey-template';
import { checkSurveyDefinition, surveyDefinitionSchema } from './wire/surveys';

const officials = SURVEY_TEMPLATE.questionnaires.find((q) => q.group === 'officials')!;
function official(score: number, extra: Partial<SurveyResponseBody> = {}): SurveyResponseBody {
  return {
    v: 1, group: 'officials', language: 'en',
    answers: officials.questions.filter((q) => q.kind === 'agreement-5').map((q) => ({ q: q.id, a: score })),
    ...extra,
  };
}
const privateSector = SURVEY_TEMPLATE.questionnaires.find((q) => q.group === 'private_sector')!;
function trader(score: number): SurveyResponseBody {
  return {
    v: 1, group: 'private_sector', language: 'fr',
    answers: [...privateSector.questions.filter((q) => q.kind === 'agreement-5').map((q) => ({ q: q.id, a: score })), { q: 'p-asked', a: 'never' }],
  };
}

describe('the template', () => {
  it('is a valid definition that tags questions with every one of the ten Arusha factors, for both groups', () => {
    expect(surveyDefinitionSchema.safeParse(SURVEY_TEMPLATE).success).toBe(true);
    for (const qn of SURVEY_TEMPLATE.questionnaires) {
      expect(new Set(qn.questions.map((q) => q.factor))).toEqual(new Set(ARUSHA_FACTOR_IDS));
    }
  });
});

describe('checking a response against its questionnaire', () => {
  it('when an answer is outside the scale or a required answer is missing, then each is named', () => {
    const bad = official(6);
    expect(checkSurveyResponse(SURVEY_TEMPLATE, bad).some((i) => /1 \(strongly disagree\) to 5/.test(i.message))).toBe(true);
    const missing = official(3);
    missing.answers.shift();
    expect(checkSurveyResponse(SURVEY_TEMPLATE, missing)).toEqual([{ field: 'answers', message: 'lead-example: this question needs an answer' }]);
    expect(checkSurveyResponse(SURVEY_TEMPLATE, { ...official(3), group: 'ministers' })[0]!.field).toBe('group');
    expect(checkSurveyResponse(SURVEY_TEMPLATE, { ...official(3), answers: [...official(3).answers, { q: 'channels', a: ['manager', 'manager'] }] })[0]!.message).toMatch(/twice/);
    expect(checkSurveyResponse(SURVEY_TEMPLATE, official(3))).toEqual([]);
  });
});

describe('aggregation with small-cell suppression', () => {
  it('when a group has fewer than 5 respondents, then that group is suppressed, and so is the other (total minus it would reveal it), while the total is shown', () => {
    const bodies = [...Array.from({ length: 6 }, (_, i) => official(i % 2 ? 5 : 2)), ...Array.from({ length: 4 }, () => trader(4)), { nonsense: true }];
    const r = aggregateSurvey(SURVEY_TEMPLATE, bodies);
    expect(r.malformed).toBe(1);
    expect(r.groups).toEqual({ all: 10, officials: 6, 'private_sector': 4 });
    const lead = r.factors.find((f) => f.factor === 'leadership')!;
    expect(lead.cells.officials).toEqual({ n: 6, suppressed: true, distribution: null, mean: null, favourable: null });
    expect(lead.cells['private_sector']).toEqual({ n: 4, suppressed: true, distribution: null, mean: null, favourable: null });
    expect(lead.cells.all).toEqual({ n: 10, suppressed: false, distribution: null, mean: 3.63, favourable: 62.5 }); // answer-weighted: 16 answers, 10 of them 4 or 5
    // Officials only answered 'lead-example': the private sector is empty there, nothing to protect.
    const q = r.questions.find((x) => x.id === 'lead-example')!;
    expect(q.cells.officials!.distribution).toEqual({ '2': 3, '5': 3 });
    expect(q.cells['private_sector']).toEqual({ n: 0, suppressed: true, distribution: null, mean: null, favourable: null });
    expect(r.questions.find((x) => x.id === 'p-asked')!.cells['private_sector']!.distribution).toBeNull();
    const csv = surveyResultsCsv(r);
    expect(csv).toContain('factor,leadership,leadership,,private_sector,<5,,,,,');
    expect(csv).toContain('factor,leadership,leadership,,officials,<5,,,,,');
    expect(csv).not.toMatch(/p-asked.*never:4/);
    const formula = { ...SURVEY_TEMPLATE, questionnaires: [{ ...officials, questions: [{ ...officials.questions[0]!, text: { default: '=HYPERLINK("x")' } }] }] };
    expect(surveyResultsCsv(aggregateSurvey(formula, []))).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('when two iterations are compared, then the change per factor carries a significance flag', () => {
    const before = aggregateSurvey(SURVEY_TEMPLATE, Array.from({ length: 40 }, (_, i) => official(i < 10 ? 5 : 2)));
    const after = aggregateSurvey(SURVEY_TEMPLATE, Array.from({ length: 40 }, (_, i) => official(i < 30 ? 5 : 2)));
    const change = compareIterations(before, after).find((c) => c.factor === 'leadership' && c.breakdown === 'officials')!;
    expect(change).toEqual({ factor: 'leadership', breakdown: 'officials', previous: 25, current: 75, change: 50, significant: true });
    const suppressed = compareIterations(before, after).find((c) => c.factor === 'leadership' && c.breakdown === 'private_sector')!;
    expect(suppressed.change).toBeNull();
    expect(twoProportionSignificant(0.5, 10, 0.6, 10)).toBe(false);
  });
});

describe('checkSurveyDefinition (what the survey editor runs before saving)', () => {
  it('when the template is checked, then it has no issue', () => {
    expect(checkSurveyDefinition(SURVEY_TEMPLATE)).toEqual([]);
  });

  it('when a title is empty, a text too long and a choice question has one option, then each issue names its place, kind and limit', () => {
    const definition = {
      title: { default: ' ', byLang: { fr: 'x'.repeat(1001) } },
      questionnaires: [{ group: 'officials', questions: [{ id: 'q1', factor: 'leadership', kind: 'single', required: true, text: { default: 'Q?' }, options: [{ id: 'a', text: { default: 'A' } }] }] }],
    };
    const issues = checkSurveyDefinition(definition);
    expect(issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: ['title', 'default'], code: 'too_small' }),
      expect.objectContaining({ path: ['title', 'byLang', 'fr'], code: 'too_big', limit: 1000 }),
      expect.objectContaining({ path: ['questionnaires', 0, 'questions', 0, 'options'], code: 'custom' }),
    ]));
    expect(issues).toHaveLength(3);
    // The same verdict as the schema the API parses with.
    expect(surveyDefinitionSchema.safeParse(definition).success).toBe(false);
  });

  it('when there is no questionnaire, then the issue is on the list of questionnaires', () => {
    expect(checkSurveyDefinition({ title: { default: 'T' }, questionnaires: [] })).toEqual([expect.objectContaining({ path: ['questionnaires'], code: 'too_small' })]);
  });
});
