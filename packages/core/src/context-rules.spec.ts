import { checkSubmissionAgainstContext, type SubmissionContext } from './context-rules';
import type { ReportSubmission } from './wire/reports';

const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'] as const;
const custodian = '44444444-4444-4444-8444-444444444444';
const context: SubmissionContext = {
  id: 'ctx', categoryIds: ['bribery', 'other'], regionIds: ['namanga'], recipientIds: [...ids], custodianIds: [custodian], maxExclusions: 1,
};

function submission(over: Partial<ReportSubmission> = {}): ReportSubmission {
  return {
    id: 'x', contextId: 'ctx', routing: { category: 'bribery', region: null, language: 'en', urgent: false },
    excludedRecipientIds: [], report: '', keyWraps: ids.map((recipientId) => ({ recipientId, sealedKey: '' })),
    reporter: { lookup: '', publicKey: '', sealedKey: '' }, identity: null, pow: { challenge: '', nonce: '0' }, ...over,
  };
}

describe('checkSubmissionAgainstContext', () => {
  it('when everything fits, then there are no issues', () => {
    expect(checkSubmissionAgainstContext(submission(), context)).toEqual([]);
  });

  it('when a recipient is excluded and not wrapped, then it fits; when wrapped anyway, then the wrap is refused', () => {
    const excluded = submission({ excludedRecipientIds: [ids[0]], keyWraps: ids.slice(1).map((recipientId) => ({ recipientId, sealedKey: '' })) });
    expect(checkSubmissionAgainstContext(excluded, context)).toEqual([]);
    const wrappedAnyway = submission({ excludedRecipientIds: [ids[0]] });
    expect(checkSubmissionAgainstContext(wrappedAnyway, context)).toEqual([
      { field: 'keyWraps.0.recipientId', message: 'is not a recipient of this context, or was excluded' },
    ]);
  });

  it('when too many are excluded, then the limit is named', () => {
    const s = submission({ excludedRecipientIds: [ids[0], ids[1]], keyWraps: [{ recipientId: ids[2], sealedKey: '' }] });
    expect(checkSubmissionAgainstContext(s, context)).toContainEqual({ field: 'excludedRecipientIds', message: 'excludes 2 recipients; this context allows at most 1' });
  });

  it('when every recipient is excluded, then at least one must remain', () => {
    const s = submission({ excludedRecipientIds: [...ids], keyWraps: [] });
    expect(checkSubmissionAgainstContext(s, { ...context, maxExclusions: 5 })).toContainEqual({ field: 'excludedRecipientIds', message: 'excludes every recipient; at least one must remain' });
  });

  it('when category or region are foreign, then each is named', () => {
    const s = submission({ routing: { category: 'tax', region: 'atlantis', language: 'en', urgent: false } });
    expect(checkSubmissionAgainstContext(s, context).map((i) => i.field)).toEqual(['routing.category', 'routing.region']);
  });

  it('when an identity misses a custodian wrap, then it is refused', () => {
    const s = submission({ identity: { ciphertext: '', keyWraps: [{ recipientId: ids[0], sealedKey: '' }], reporterSealedKey: '' } });
    expect(checkSubmissionAgainstContext(s, context).map((i) => i.field)).toEqual(['identity.keyWraps.0.recipientId', 'identity.keyWraps']);
  });
});
