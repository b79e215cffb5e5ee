import { randomBytes } from 'node:crypto';
import { encryptFile, ready } from '../packages/crypto/src';
import { ReporterClient, type Intake, type IntakeContext } from '../packages/client/src';
import { prepareFile, putRaw, reporterWithCase, type PreparedFile, type ReporterOnCase } from './helpers/files';
import { seedOrganisation } from './helpers/fixtures';
import { startStack, type TestStack } from './helpers/stack';

jest.setTimeout(120_000);

let stack: TestStack;
let intake: Intake;
let context: IntakeContext;

beforeAll(async () => {
  await ready();
  // 1000 plaintext bytes per file (1041 as stored), 3000 stored bytes and 3 files per case.
  stack = await startStack({ worker: false, env: { FILE_MAX_BYTES: '1000', CASE_FILES_MAX_BYTES: '3000', CASE_FILES_MAX_COUNT: '3' } });
  const org = await seedOrganisation(stack.pool, { investigators: 1 });
  intake = await new ReporterClient(stack.api.url).intake();
  context = intake.contexts.find((c) => c.id === org.contextId)!;
});

afterAll(async () => {
  await stack?.stop();
});

const register = (r: ReporterOnCase, file: PreparedFile) => r.client.call<{ error?: string }>('POST', '/api/v1/reporter/case/files', file.registration);
const files = async (caseId: string) =>
  (await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM case_files WHERE case_id = $1', [caseId])).rows[0]!.n;

describe('encrypted files: configurable limits', () => {
  it('when a file is larger than FILE_MAX_BYTES, then it is refused with 413 naming the limit; a file of exactly the limit is accepted and uploads', async () => {
    const r = await reporterWithCase(stack.api.url, intake, context);
    const tooBig = await register(r, prepareFile(r.caseId, r.caseKey, 1001));
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toMatch(/file is larger than 1000 bytes/);
    expect(await files(r.caseId)).toBe(0);

    const exact = prepareFile(r.caseId, r.caseKey, 1000);
    expect((await register(r, exact)).status).toBe(201);
    const put = await putRaw(`${stack.api.url}/api/v1/reporter/case/files/${exact.id}/content`, r.auth, encryptFile(r.caseId, exact.id, exact.key, new Uint8Array(randomBytes(1000))));
    expect(put.status).toBe(204);
  });

  it("when a case's files would together pass CASE_FILES_MAX_BYTES, then the next one is refused with 413 naming the limit, and other cases are unaffected", async () => {
    const r = await reporterWithCase(stack.api.url, intake, context);
    expect((await register(r, prepareFile(r.caseId, r.caseKey, 1000))).status).toBe(201);
    expect((await register(r, prepareFile(r.caseId, r.caseKey, 900))).status).toBe(201);
    // 1041 + 941 stored so far; 1041 more would make 3023 > 3000. Registered files count before upload.
    const over = await register(r, prepareFile(r.caseId, r.caseKey, 1000));
    expect(over.status).toBe(413);
    expect(over.body.error).toMatch(/files of this case would together be larger than 2\.9 KiB/);
    expect((await register(r, prepareFile(r.caseId, r.caseKey, 900))).status).toBe(201);
    expect(await files(r.caseId)).toBe(3);

    const other = await reporterWithCase(stack.api.url, intake, context);
    expect((await register(other, prepareFile(other.caseId, other.caseKey, 1000))).status).toBe(201);
  });

  it('when a case already holds CASE_FILES_MAX_COUNT files, then the next one is refused with 413 naming the count', async () => {
    const r = await reporterWithCase(stack.api.url, intake, context);
    for (let i = 0; i < 3; i++) expect((await register(r, prepareFile(r.caseId, r.caseKey, 10))).status).toBe(201);
    const fourth = await register(r, prepareFile(r.caseId, r.caseKey, 10));
    expect(fourth.status).toBe(413);
    expect(fourth.body.error).toMatch(/already has 3 files, the most a case may hold/);
    expect(await files(r.caseId)).toBe(3);
  });

  it('when many registrations race for the last place, then exactly the limit is kept', async () => {
    const r = await reporterWithCase(stack.api.url, intake, context);
    const answers = await Promise.all(Array.from({ length: 8 }, () => register(r, prepareFile(r.caseId, r.caseKey, 10))));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 413)).toHaveLength(5);
    expect(await files(r.caseId)).toBe(3);
  });
});
