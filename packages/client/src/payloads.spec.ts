import { generateKeyPair, randomUuid, ready, sealReport } from '@sauti/crypto';
import { openReportBody } from './payloads';

/** A report sealed by an independent client written from docs/protocol.md, opened the way every Sauti client opens it. */
describe('openReportBody', () => {
  beforeAll(() => ready());

  function seal(body: unknown) {
    const caseId = randomUuid();
    const staff = generateKeyPair();
    const reporter = generateKeyPair();
    const sealed = sealReport({ caseId, body, recipients: [{ id: randomUuid(), publicKey: staff.publicKey }], reporterPublicKey: reporter.publicKey });
    return { caseId, caseKey: sealed.caseKey, report: sealed.report };
  }

  it('shows the text of a report whose answers are an object, with a notice', () => {
    const { caseId, caseKey, report } = seal({ v: 1, answers: { where: 'Gate 4' }, text: 'The officer asked for cash.' });
    expect(openReportBody(caseKey, caseId, report)).toEqual({
      v: 1, answers: [{ id: 'where', label: 'where', value: 'Gate 4' }], text: 'The officer asked for cash.', problem: 'malformed',
    });
  });

  it('opens a well-formed report without a notice', () => {
    const body = { v: 1, answers: [{ id: 'where', label: 'Where?', value: 'Gate 4' }], text: 'cash' };
    const { caseId, caseKey, report } = seal(body);
    expect(openReportBody(caseKey, caseId, report)).toEqual({ ...body, problem: null });
  });

  it('answers null for a report that cannot be decrypted (another case)', () => {
    const { caseKey, report } = seal({ v: 1, answers: [], text: 'x' });
    expect(openReportBody(caseKey, randomUuid(), report)).toBeNull();
  });
});
