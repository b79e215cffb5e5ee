import { base64urlByteLength } from './base64url';
import { makeCaseReference, isUuidV4 } from './ids';
import { b64Bytes, reporterMessageSchema, toFieldIssues } from './wire';
import { acknowledgementDueAt, DEFAULT_SLA, feedbackDueAt } from './sla';

describe('base64url sizes', () => {
  it('when strings are unpadded base64url, then their byte length is computed without decoding', () => {
    expect(base64urlByteLength('')).toBe(0);
    expect(base64urlByteLength('AA')).toBe(1);
    expect(base64urlByteLength('AAA')).toBe(2);
    expect(base64urlByteLength('AAAA')).toBe(3);
    expect(base64urlByteLength('A'.repeat(43))).toBe(32);
  });

  it('when a string has padding, + or /, or an impossible length, then it is not base64url', () => {
    for (const bad of ['AA==', 'A+B/', 'A', 'AAAAA', 'a b']) expect(base64urlByteLength(bad)).toBeNull();
  });

  it('when a field must be 32 bytes, then other lengths are named in the message', () => {
    const result = b64Bytes({ exact: 32 }).safeParse('A'.repeat(42));
    expect(result.success).toBe(false);
    if (!result.success) expect(toFieldIssues(result.error)).toEqual([{ field: '(body)', message: 'must decode to exactly 32 bytes, got 31' }]);
  });
});

describe('field issues', () => {
  it('when fields are missing or unknown, then each is named', () => {
    const result = reporterMessageSchema.safeParse({ body: 'AAAA', extra: 1 });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(toFieldIssues(result.error)).toEqual(expect.arrayContaining([
        { field: 'id', message: 'is required' },
        { field: '(body)', message: 'unknown field(s): extra' },
      ]));
    }
  });
});

describe('ids and references', () => {
  it('when ids are checked, then only lowercase UUID v4 passes', () => {
    expect(isUuidV4('0f8b1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4')).toBe(true);
    expect(isUuidV4('0F8B1C2E-3D4A-4B5C-8D6E-7F8091A2B3C4')).toBe(false);
    expect(isUuidV4('0f8b1c2e-3d4a-1b5c-8d6e-7f8091a2b3c4')).toBe(false);
    expect(isUuidV4('0f8b1c2e-3d4a-4b5c-cd6e-7f8091a2b3c4')).toBe(false);
  });

  it('when a reference is made, then it has the SA-XXXX-XXXX shape from the given random source', () => {
    let i = 0;
    expect(makeCaseReference(() => i++ % 32)).toBe('SA-0123-4567');
  });
});

describe('legal deadlines', () => {
  it('when a report is received, then acknowledgement is due 7 days later and feedback 90 days after acknowledgement', () => {
    const received = new Date('2026-03-01T10:00:00Z');
    expect(acknowledgementDueAt(received, DEFAULT_SLA).toISOString()).toBe('2026-03-08T10:00:00.000Z');
    expect(feedbackDueAt(received, DEFAULT_SLA).toISOString()).toBe('2026-05-30T10:00:00.000Z');
  });
});
