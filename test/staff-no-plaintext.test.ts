import { randomUUID } from 'node:crypto';
import { deriveStaffKeys, fromB64, openKeyWrap, openReporterKey, parseRecoveryKey, ready, type KeyPair } from '../packages/crypto/src';
import { prepareReport, ReporterClient, StaffClient } from '../packages/client/src';
import { insertStaffUser } from '../packages/db/src';
import { base32Decode, totpCode } from '../apps/api/src/services/totp';
import { seedOrganisation } from './helpers/fixtures';
import { signedInStaff, staffCredentials } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

// jest ignores testTimeout inside a project's config (it is a global option), so each file sets its own.
jest.setTimeout(120_000);

const PLAINTEXTS = {
  report: 'SCAN-report-91be: a clearing agent paid the shift supervisor every Friday',
  message: 'SCAN-message-2d7a: please tell us the agent’s company name',
  note: 'SCAN-note-5f03: cross-check with the manifest of 12 March',
  reason: 'SCAN-reason-a8c1: acknowledged after first reading',
  identityReason: 'SCAN-idreason-77e2: needed for a witness statement',
  identity: 'SCAN-identity-Juma Mwangi',
};
const PASSWORD = 'SCAN-password: four words of staff secret';
const NEW_PASSWORD = 'SCAN-new-password: after the change';

/** Every body a staff client sends, as the server receives it. */
const sent: { url: string; body: Buffer }[] = [];
const capturingFetch: typeof fetch = async (input, init) => {
  const body = init?.body;
  if (typeof body === 'string') sent.push({ url: String(input), body: Buffer.from(body) });
  else if (body instanceof Uint8Array) sent.push({ url: String(input), body: Buffer.from(body) });
  else if (body !== undefined && body !== null) throw new Error('the scan captures string and byte bodies only');
  return fetch(input, init);
};

function encodings(secret: Uint8Array | string): string[] {
  const b = typeof secret === 'string' ? Buffer.from(secret) : Buffer.from(secret);
  return [b.toString('base64url'), b.toString('base64'), b.toString('hex'), b.toString('hex').toUpperCase(), ...(typeof secret === 'string' ? [secret] : [])];
}

function leaks(haystack: Buffer | string, secrets: Record<string, Uint8Array | string>): string[] {
  const text = typeof haystack === 'string' ? haystack : haystack.toString('latin1');
  const found: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    if (encodings(secret).some((e) => text.includes(e))) found.push(name);
    if (typeof haystack !== 'string' && typeof secret !== 'string' && haystack.indexOf(Buffer.from(secret)) >= 0) found.push(`${name} (raw bytes)`);
  }
  return found;
}

let stack: TestStack;

beforeAll(async () => {
  await ready();
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe('nothing a staff client sends, and nothing the server keeps or logs, holds a password, a private key, a case key or plaintext', () => {
  it('when a case is handled end to end through staff clients, then no body, table or log line holds a secret, and nothing holds an address', async () => {
    const org = await seedOrganisation(stack.pool, { investigators: 1 });
    const adminPerson = { id: randomUUID(), email: `admin.${randomUUID().slice(0, 6)}@test.sauti.invalid` };
    await insertStaffUser(stack.pool, { ...adminPerson, displayName: 'Admin', unitId: null, roles: ['admin'], status: 'active' });
    const admin = await signedInStaff(stack, adminPerson, { fetch: capturingFetch });

    // Invitation, activation and sign-in of the handler, all through the capturing client.
    const email = `scan.${randomUUID().slice(0, 6)}@test.sauti.invalid`;
    const invited = await admin.invite({ email, displayName: 'Scan Handler', roles: ['investigator'], unitId: org.unitId });
    const handlerId = invited.body.userId as string;
    const mail = await waitFor('invitation', async () => stack.mail.find((m) => m.to.includes(email)));
    const token = /activate#([A-Za-z0-9_-]{43})/.exec(mail.raw.replace(/=\r?\n/g, ''))![1]!;
    const handler = new StaffClient(stack.api.url, { fetch: capturingFetch });
    let totpSecret: Buffer = Buffer.alloc(0);
    const activated = await handler.activate(token, PASSWORD, (secret) => {
      totpSecret = base32Decode(secret);
      return totpCode(totpSecret, Date.now());
    });
    expect((await handler.login(email, PASSWORD, totpCode(totpSecret, Date.now() + 30_000))).status).toBe(200);
    const handlerKeys = (handler as unknown as { keyPair: KeyPair }).keyPair;

    // A report with an identity reaches the handler.
    await stack.pool.query('INSERT INTO context_recipients (context_id, user_id) VALUES ($1, $2)', [org.contextId, handlerId]);
    await stack.pool.query(`UPDATE staff_users SET status = 'disabled' WHERE id = $1`, [org.investigators[0]!.id]);
    const reporter = new ReporterClient(stack.api.url);
    const intake = await reporter.intake();
    const context = intake.contexts.find((c) => c.id === org.contextId)!;
    const prepared = prepareReport(intake, { context, body: { text: PLAINTEXTS.report }, category: 'other', identity: { name: PLAINTEXTS.identity } });
    const caseId = prepared.request.id;
    expect((await reporter.submit({ ...prepared.request, pow: await reporter.proofOfWork() })).status).toBe(201);
    await stack.pool.query(`UPDATE staff_users SET status = 'active' WHERE id = $1`, [org.investigators[0]!.id]);

    // The whole handling, through the capturing clients.
    const opened = await handler.openCase<{ text: string }>(caseId);
    expect(opened.report.text).toBe(PLAINTEXTS.report);
    expect((await handler.changeStatus(caseId, 'acknowledged', { reason: PLAINTEXTS.reason })).status).toBe(200);
    expect((await handler.sendMessage(caseId, PLAINTEXTS.message)).status).toBe(201);
    expect((await handler.addNote(caseId, PLAINTEXTS.note)).status).toBe(201);
    const colleagueEntry = (await handler.call<{ items: { id: string; publicKey: string }[] }>('GET', '/api/v1/staff/directory')).body.items.find(
      (p) => p.id === org.investigators[0]!.id)!;
    const colleague = await signedInStaff(stack, org.investigators[0]!, { fetch: capturingFetch });
    // The colleague was excluded by being disabled at submission; the handler grants it.
    expect((await handler.grant(caseId, colleagueEntry)).status).toBe(201);
    expect((await colleague.openCase<{ text: string }>(caseId)).report.text).toBe(PLAINTEXTS.report);
    expect((await handler.requestIdentity(caseId, PLAINTEXTS.identityReason)).status).toBe(201);
    const custodian = await signedInStaff(stack, org.custodians[0]!, { fetch: capturingFetch });
    const item = (await custodian.listIdentityRequests()).body.items[0]!;
    expect((await custodian.approveIdentity(item, 'Approved: the reason is specific and the interview is needed.')).status).toBe(200);
    expect(await handler.readIdentity(caseId)).toEqual({ name: PLAINTEXTS.identity });
    expect((await handler.changePassword(PASSWORD, NEW_PASSWORD)).status).toBe(200);
    // Keys stay in the test for the scan below; logout() wipes them in the client.
    const handlerKeyCopy = { publicKey: handlerKeys.publicKey.slice(), privateKey: handlerKeys.privateKey.slice() };
    expect(await handler.logout()).toBe(204);
    await stack.pool.query('UPDATE staff_users SET totp_last_step = NULL WHERE id = $1', [handlerId]);
    expect((await new StaffClient(stack.api.url, { fetch: capturingFetch }).recover(email, activated.recoveryKeyText, totpCode(totpSecret, Date.now()), PASSWORD)).status).toBe(200);

    // What must never leave a client or reach the server.
    const view = (await colleague.getCase(caseId)).body;
    const { caseKey, staffKey } = openKeyWrap(handlerKeyCopy, fromB64(opened.view.keyWrap.sealedKey));
    const custodianIdentityKey = openReporterKey(org.custodians[0]!.keyPair, fromB64(item.identityWrap));
    const { rows: saltRow } = await stack.pool.query<{ password_salt: Buffer }>('SELECT password_salt FROM staff_users WHERE id = $1', [handlerId]);
    const secrets: Record<string, Uint8Array | string> = {
      password: PASSWORD,
      newPassword: NEW_PASSWORD,
      handlerPrivateKey: handlerKeyCopy.privateKey,
      colleaguePrivateKey: org.investigators[0]!.keyPair.privateKey,
      custodianPrivateKey: org.custodians[0]!.keyPair.privateKey,
      caseKey,
      staffKey,
      identityKey: custodianIdentityKey,
      wrapKey: deriveStaffKeys(PASSWORD, saltRow[0]!.password_salt).wrapKey,
      recoveryKey: parseRecoveryKey(activated.recoveryKeyText),
      recoveryKeyText: activated.recoveryKeyText,
      adminPassword: staffCredentials(adminPerson.id).password,
      ...PLAINTEXTS,
    };
    expect(view.id).toBe(caseId);

    expect(sent.length).toBeGreaterThan(20);
    // The scan does find what is meant to be sent and stored (the public key), so silence below means something.
    expect(sent.some((s) => leaks(s.body, { publicKey: handlerKeyCopy.publicKey }).length > 0)).toBe(true);
    const { rows: stored } = await stack.pool.query<{ public_key: Buffer }>('SELECT public_key FROM staff_users WHERE id = $1', [handlerId]);
    expect(leaks(stored[0]!.public_key, { publicKey: handlerKeyCopy.publicKey })).toContain('publicKey (raw bytes)');
    const bodyLeaks = sent.flatMap((s) => leaks(s.body, secrets).map((name) => `${name} in ${s.url}`));
    expect(bodyLeaks).toEqual([]);

    // Every table, every column, as stored.
    const { rows: tables } = await stack.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    const dbLeaks: string[] = [];
    let scannedRows = 0;
    for (const { table_name: table } of tables) {
      const { rows } = await stack.pool.query(`SELECT * FROM "${table}"`);
      for (const row of rows) {
        scannedRows++;
        for (const [column, value] of Object.entries(row as Record<string, unknown>)) {
          const stored = Buffer.isBuffer(value) ? value : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value ?? null));
          for (const name of leaks(stored, secrets)) dbLeaks.push(`${name} in ${table}.${column}`);
          if (/\b127\.0\.0\.1\b|::ffff:|::1\b/.test(stored.toString('latin1'))) dbLeaks.push(`an address in ${table}.${column}`);
        }
      }
    }
    expect(scannedRows).toBeGreaterThan(30);
    expect(dbLeaks).toEqual([]);

    const logs = [...stack.apiLogs, ...stack.workerLogs].join('');
    expect(stack.apiLogs.length).toBeGreaterThan(20);
    expect(leaks(logs, secrets)).toEqual([]);
    expect(logs).not.toMatch(/127\.0\.0\.1|::ffff:|user-agent|sauti_staff=|x-csrf-token/i);
  });
});
