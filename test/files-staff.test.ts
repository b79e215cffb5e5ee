import { randomBytes } from 'node:crypto';
import { decryptFileMeta, encryptFile, fromB64, openKeyWrap, ready } from '../packages/crypto/src';
import { ReporterClient, type StaffClient } from '../packages/client/src';
import { downloadAndDecrypt, getRaw, prepareFile, putRaw, reporterWithCase, type ReporterOnCase } from './helpers/files';
import { seedOrganisation, type TestStaff } from './helpers/fixtures';
import { signedInStaff } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';

jest.setTimeout(120_000);

type FileEntry = { id: string; meta: string; size: number; author: string; createdAt: string };

let stack: TestStack;
let reporter: ReporterOnCase;
let holder: TestStaff;
let outsider: TestStaff;
let holderClient: StaffClient;
let outsiderClient: StaffClient;
/** Session cookie (and CSRF token) per client, for raw byte transfers that StaffClient.call would turn into text. */
const cookies = new Map<StaffClient, string>();

const plain = new Uint8Array(randomBytes(70_000));

/** A fetch that remembers the cookie StaffClient sends, so a test can stream bytes with the same session. */
function rememberingFetch(onCookie: (cookie: string) => void): typeof fetch {
  return (input, init) => {
    const cookie = (init?.headers as Record<string, string> | undefined)?.cookie;
    if (cookie) onCookie(cookie);
    return fetch(input, init);
  };
}

async function signIn(person: TestStaff): Promise<StaffClient> {
  let cookie = '';
  const client = await signedInStaff(stack, person, { fetch: rememberingFetch((c) => (cookie = c)) });
  await client.call('GET', '/api/v1/staff/cases'); // any call, so the cookie has been sent once
  cookies.set(client, cookie);
  return client;
}

const rawHeaders = (client: StaffClient) => ({ cookie: cookies.get(client)!, 'x-csrf-token': client.csrfToken ?? '' });
const staffFiles = (caseId: string) => `/api/v1/staff/cases/${caseId}/files`;

async function caseKeyOf(person: TestStaff, caseId: string): Promise<Uint8Array> {
  const { rows } = await stack.pool.query<{ sealed_key: Buffer }>('SELECT sealed_key FROM case_key_wraps WHERE case_id = $1 AND recipient_id = $2', [
    caseId,
    person.id,
  ]);
  return openKeyWrap(person.keyPair, new Uint8Array(rows[0]!.sealed_key)).caseKey;
}

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: false });
  const org = await seedOrganisation(stack.pool, { investigators: 2, maxExclusions: 1 });
  [holder, outsider] = org.investigators as [TestStaff, TestStaff];
  const intake = await new ReporterClient(stack.api.url).intake();
  const context = intake.contexts.find((c) => c.id === org.contextId)!;
  // The reporter excludes one investigator: that person holds no key wrap for the case.
  reporter = await reporterWithCase(stack.api.url, intake, context, [outsider.id]);
  holderClient = await signIn(holder);
  outsiderClient = await signIn(outsider);
});

afterAll(async () => {
  await stack?.stop();
});

describe('encrypted files: staff side', () => {
  let reporterFileId: string;

  it("when the reporter uploads a file, then a staff member holding the case's key wrap lists, downloads and decrypts it", async () => {
    const file = prepareFile(reporter.caseId, reporter.caseKey, plain.length, 'declaration.pdf', 'application/pdf');
    reporterFileId = file.id;
    expect((await reporter.client.call('POST', '/api/v1/reporter/case/files', file.registration)).status).toBe(201);
    const put = await putRaw(`${stack.api.url}/api/v1/reporter/case/files/${file.id}/content`, reporter.auth, encryptFile(reporter.caseId, file.id, file.key, plain));
    expect(put.status).toBe(204);

    const listed = await holderClient.call<{ files: FileEntry[] }>('GET', staffFiles(reporter.caseId));
    expect(listed.status).toBe(200);
    expect(listed.body.files).toHaveLength(1);
    const entry = listed.body.files[0]!;
    expect(entry).toMatchObject({ id: file.id, size: file.size, author: 'reporter' });

    const caseKey = await caseKeyOf(holder, reporter.caseId);
    const meta = decryptFileMeta(caseKey, reporter.caseId, file.id, fromB64(entry.meta));
    expect(meta).toMatchObject({ name: 'declaration.pdf', type: 'application/pdf', size: plain.length });
    const down = await downloadAndDecrypt(`${stack.api.url}${staffFiles(reporter.caseId)}/${file.id}/content`, rawHeaders(holderClient), reporter.caseId, file.id, meta.key, {
      keep: true,
    });
    expect(down.plain!.equals(Buffer.from(plain))).toBe(true);
  });

  it('when a handler attaches a document for the reporter, then the reporter sees it as from staff and decrypts it', async () => {
    const caseKey = await caseKeyOf(holder, reporter.caseId);
    const summons = new Uint8Array(randomBytes(1234));
    const file = prepareFile(reporter.caseId, caseKey, summons.length, 'summons.pdf', 'application/pdf');
    const registered = await holderClient.call('POST', staffFiles(reporter.caseId), file.registration);
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ id: file.id, author: 'staff' });
    const put = await holderClient.call('PUT', `${staffFiles(reporter.caseId)}/${file.id}/content`, encryptFile(reporter.caseId, file.id, file.key, summons));
    expect(put.status).toBe(204);

    const view = await reporter.client.getCase();
    const entry = (view.body.files as FileEntry[]).find((f) => f.id === file.id)!;
    expect(entry).toMatchObject({ author: 'staff', size: file.size });
    expect(JSON.stringify(view.body.files)).not.toContain(holder.displayName);
    const meta = decryptFileMeta(reporter.caseKey, reporter.caseId, file.id, fromB64(entry.meta));
    const down = await downloadAndDecrypt(`${stack.api.url}/api/v1/reporter/case/files/${file.id}/content`, reporter.auth, reporter.caseId, file.id, meta.key, { keep: true });
    expect(down.plain!.equals(Buffer.from(summons))).toBe(true);

    // Only whoever registered a file may send its content.
    const other = prepareFile(reporter.caseId, caseKey, 10);
    expect((await holderClient.call('POST', staffFiles(reporter.caseId), other.registration)).status).toBe(201);
    const byReporter = await putRaw(`${stack.api.url}/api/v1/reporter/case/files/${other.id}/content`, reporter.auth, new Uint8Array(other.size));
    expect(byReporter.status).toBe(403);
  });

  it('when a staff member without a key wrap for the case asks for its files, then every file endpoint answers 404', async () => {
    const base = staffFiles(reporter.caseId);
    expect((await outsiderClient.call('GET', base)).status).toBe(404);
    const fetched = await getRaw(`${stack.api.url}${base}/${reporterFileId}/content`, rawHeaders(outsiderClient));
    expect(fetched.statusCode).toBe(404);
    fetched.resume();
    const file = prepareFile(reporter.caseId, reporter.caseKey, 10);
    expect((await outsiderClient.call('POST', base, file.registration)).status).toBe(404);
    expect((await outsiderClient.call('PUT', `${base}/${reporterFileId}/content`, new Uint8Array(10))).status).toBe(404);
    // The holder's own session still works, so the 404 is about the key wrap, not the session.
    expect((await holderClient.call('GET', base)).status).toBe(200);
  });

  it('when a staff request has no session, or a reporter token, then file endpoints answer 401', async () => {
    const url = `${stack.api.url}${staffFiles(reporter.caseId)}/${reporterFileId}/content`;
    const anonymous = await getRaw(url, {});
    expect(anonymous.statusCode).toBe(401);
    anonymous.resume();
    const asReporter = await getRaw(url, reporter.auth);
    expect(asReporter.statusCode).toBe(401);
    asReporter.resume();
  });
});
