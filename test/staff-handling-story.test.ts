import { randomUUID } from 'node:crypto';
import { generateKeyPair, ready } from '../packages/crypto/src';
import { openReporterCase, prepareReport, ReporterClient, StaffClient, type Intake, type IntakeContext } from '../packages/client/src';
import { insertStaffUser, verifyAuditChain } from '../packages/db/src';
import { base32Decode, totpCode } from '../apps/api/src/services/totp';
import { giveOpenCases, seedOrganisation, type TestStaff } from './helpers/fixtures';
import { signedInStaff } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

// jest ignores testTimeout inside a project's config (it is a global option), so each file sets its own.
jest.setTimeout(60_000);

const REPORT_TEXT = 'STORY-canary-4c1e: the valuation officer at Malaba waived duty for a fee';
const IDENTITY = { name: 'STORY-identity-Wanjiru Kamau', phone: '+254 700 000 000' };

let stack: TestStack;
let org: Awaited<ReturnType<typeof seedOrganisation>>;
let intake: Intake;
let context: IntakeContext;
let admin: StaffClient;
let supervisor: TestStaff;

beforeAll(async () => {
  await ready();
  stack = await startStack();
  org = await seedOrganisation(stack.pool, { investigators: 2 });
  const adminPerson = { id: randomUUID(), email: `admin.${randomUUID().slice(0, 6)}@test.sauti.invalid` };
  await insertStaffUser(stack.pool, { ...adminPerson, displayName: 'Admin', unitId: null, roles: ['admin'], status: 'active' });
  admin = await signedInStaff(stack, adminPerson);
  supervisor = { id: randomUUID(), email: `sup.${randomUUID().slice(0, 6)}@test.sauti.invalid`, displayName: 'Supervisor Otieno', keyPair: generateKeyPair() };
  await insertStaffUser(stack.pool, { ...supervisor, unitId: org.unitId, roles: ['supervisor'], status: 'active', publicKey: supervisor.keyPair.publicKey });
});

afterAll(async () => {
  await stack?.stop();
});

describe('a case handled from first read to closure, with every key in the staff clients', () => {
  const email = `neema.${randomUUID().slice(0, 6)}@test.sauti.invalid`;
  const password = 'correct horse battery staple — Neema';
  let neema: StaffClient;
  let neemaId: string;
  let totpSecret: Buffer;
  let caseId: string;
  let receipt: string;
  const reporter = new ReporterClient('http://placeholder.invalid');

  it('when an admin invites an investigator, then a one-time activation link is e-mailed through the worker', async () => {
    const answer = await admin.invite({ email, displayName: 'Neema Achieng', roles: ['investigator'], unitId: org.unitId });
    expect(answer.status).toBe(201);
    expect(JSON.stringify(answer.body)).not.toMatch(/token|activate/i);
    neemaId = answer.body.userId as string;
    const mail = await waitFor('the invitation e-mail', async () => stack.mail.find((m) => m.to.includes(email)));
    // Quoted-printable wraps long lines with '=' at the end.
    expect(mail.raw.replace(/=\r?\n/g, '')).toMatch(/http:\/\/localhost:8080\/staff\/activate#[A-Za-z0-9_-]{43}\s/);
  });

  it('when the invitee activates in its own client and confirms a first TOTP code, then it can sign in with the password and a later code', async () => {
    const mail = stack.mail.find((m) => m.to.includes(email))!;
    const token = /\/staff\/activate#([A-Za-z0-9_-]{43})/.exec(mail.raw.replace(/=\r?\n/g, ''))![1]!;
    neema = new StaffClient(stack.api.url);
    const activated = await neema.activate(token, password, (secret) => {
      totpSecret = base32Decode(secret);
      return totpCode(totpSecret, Date.now());
    });
    expect(activated.userId).toBe(neemaId);
    expect(activated.recoveryKeyText).toMatch(/^[0-9A-Z-]+$/);
    // The link works once.
    const again = await new StaffClient(stack.api.url).call('POST', '/api/v1/auth/activation/start', { token, pow: await new ReporterClient(stack.api.url).proofOfWork() });
    expect(again.status).toBe(404);

    // The code used at activation cannot be used again; the next one (as the app shows 30 s later) can.
    const reused = await neema.login(email, password, totpCode(totpSecret, Date.now()));
    expect(reused.status).toBe(401);
    const login = await neema.login(email, password, totpCode(totpSecret, Date.now() + 30_000));
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sauti_staff=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/api; HttpOnly; SameSite=Strict$/);
    expect(neema.unlocked).toBe(true);
  });

  it('when a reporter submits a report with a confidential identity, then the new investigator is assigned and reads it in her client', async () => {
    // The administration puts Neema on the context's recipients (contexts have no API yet).
    await stack.pool.query('INSERT INTO context_recipients (context_id, user_id) VALUES ($1, $2)', [org.contextId, neemaId]);
    for (const p of org.investigators) await giveOpenCases(stack.pool, org.contextId, p.id, 1);
    const client = new ReporterClient(stack.api.url);
    intake = await client.intake();
    context = intake.contexts.find((c) => c.id === org.contextId)!;
    const prepared = prepareReport(intake, { context, body: { text: REPORT_TEXT }, category: 'bribery-extortion', identity: IDENTITY });
    caseId = prepared.request.id;
    receipt = prepared.receipt;
    const answer = await client.submit({ ...prepared.request, pow: await client.proofOfWork() });
    expect(answer.status).toBe(201);
    await waitFor('assignment', async () => {
      const { rows } = await stack.pool.query('SELECT assignee_id FROM cases WHERE id = $1', [caseId]);
      return rows[0]?.assignee_id === neemaId;
    });

    const list = await neema.listCases({ assignee: 'me' });
    expect(list.status).toBe(200);
    expect(list.body.items.map((c) => c.id)).toEqual([caseId]);
    expect(list.body.items[0]).toMatchObject({ status: 'received', assignedToMe: true, unreadMessages: 0 });
    const opened = await neema.openCase<{ text: string }>(caseId);
    expect(opened.report.text).toBe(REPORT_TEXT);
    expect(opened.view.keyWrap.recipientId).toBe(neemaId);
    expect(JSON.stringify(opened.view)).not.toContain(org.investigators[0]!.id + '","sealedKey');
  });

  it('when she acknowledges, then the feedback clock starts and the reporter sees the new status', async () => {
    const answer = await neema.changeStatus(caseId, 'acknowledged');
    expect(answer.status).toBe(200);
    const acknowledgedAt = new Date(answer.body.acknowledgedAt as string);
    expect(new Date(answer.body.feedbackDueAt as string).getTime() - acknowledgedAt.getTime()).toBe(90 * 86_400_000);
    expect((await neema.changeStatus(caseId, 'acknowledged')).status).toBe(409);
  });

  it('when she messages the reporter and the reporter replies, then each reads the other and the reporter sees no staff name', async () => {
    expect((await neema.sendMessage(caseId, 'Thank you. Which day did this happen?')).status).toBe(201);
    (reporter as { baseUrl: string }).baseUrl = stack.api.url;
    const login = await reporter.login(receipt, intake.receiptSalt);
    expect(login.status).toBe(201);
    const view = await reporter.getCase();
    expect(view.body.status).toBe('acknowledged');
    expect(view.body.statusHistory.map((h) => h.status)).toEqual(['received', 'acknowledged']);
    expect(JSON.stringify(view.body)).not.toMatch(/Neema|Achieng|authorUserId|authorName/);
    const opened = openReporterCase(view.body, login.keys.keyPair);
    expect(opened.messages).toEqual([expect.objectContaining({ author: 'staff', text: 'Thank you. Which day did this happen?' })]);
    expect((await reporter.sendMessage(opened.caseKey, caseId, 'Last Tuesday, around noon.')).status).toBe(201);

    const list = await neema.listCases();
    expect(list.body.items.find((c) => c.id === caseId)).toMatchObject({ unreadMessages: 1 });
    const read = await neema.openCase(caseId);
    expect(read.messages.map((m) => [m.author, m.text])).toEqual([
      ['staff', 'Thank you. Which day did this happen?'],
      ['reporter', 'Last Tuesday, around noon.'],
    ]);
    expect((await neema.listCases()).body.items.find((c) => c.id === caseId)).toMatchObject({ unreadMessages: 0 });
    expect((await neema.addNote(caseId, 'Check the Malaba roster for that Tuesday.')).status).toBe(201);
    expect((await neema.changeStatus(caseId, 'in_progress')).status).toBe(200);
  });

  it('when she grants the case to her supervisor, then the supervisor reads the report and her note in its own client', async () => {
    const directory = await neema.call<{ items: { id: string; publicKey: string }[] }>('GET', '/api/v1/staff/directory');
    const target = directory.body.items.find((p) => p.id === supervisor.id)!;
    expect((await neema.grant(caseId, target)).status).toBe(201);
    const sup = await signedInStaff(stack, supervisor);
    const opened = await sup.openCase<{ text: string }>(caseId);
    expect(opened.report.text).toBe(REPORT_TEXT);
    expect(opened.notes.map((n) => n.text)).toEqual(['Check the Malaba roster for that Tuesday.']);
    expect(opened.view.holders.find((h) => h.userId === supervisor.id)).toMatchObject({ grantedBy: neemaId });
  });

  it('when she asks for the identity and the custodian approves in its client, then she reads it and the reporter sees that it was disclosed', async () => {
    const request = await neema.requestIdentity(caseId, 'Needed to interview the reporter as a witness.');
    expect(request.status).toBe(201);
    const custodian = await signedInStaff(stack, org.custodians[0]!);
    const queue = await custodian.listIdentityRequests();
    expect(queue.status).toBe(200);
    const item = queue.body.items.find((i) => i.caseId === caseId)!;
    expect(await custodian.readRequestReason(item)).toBe('Needed to interview the reporter as a witness.');
    // The custodian does not hold the case itself.
    expect((await custodian.getCase(caseId)).status).toBe(404);
    const approved = await custodian.approveIdentity(item, 'Approved: the reason is specific and the interview is needed.');
    expect(approved.status).toBe(200);
    expect(await neema.readIdentity(caseId)).toEqual(IDENTITY);

    const view = await reporter.getCase();
    expect(view.body).toMatchObject({ identityDisclosedAt: approved.body.disclosedAt });
  });

  it('when she closes the case with an outcome and a reason, then the reporter sees it closed and the audit chain holds every step', async () => {
    const closed = await neema.changeStatus(caseId, 'closed', { outcome: 'substantiated', reason: 'Officer suspended; referred to the prosecutor.' });
    expect(closed.status).toBe(200);
    const opened = await neema.openCase(caseId);
    expect(opened.statusHistory.at(-1)).toMatchObject({ status: 'closed', outcome: 'substantiated', reason: 'Officer suspended; referred to the prosecutor.' });
    const view = await reporter.getCase();
    expect(view.body.status).toBe('closed');
    expect(view.body.statusHistory.map((h) => h.status)).toEqual(['received', 'acknowledged', 'in_progress', 'closed']);
    expect(JSON.stringify(view.body)).not.toMatch(/substantiated|outcome|reason/);

    const { rows } = await stack.pool.query<{ action: string }>('SELECT action FROM audit_events WHERE case_id = $1 ORDER BY seq', [caseId]);
    const actions = rows.map((r) => r.action);
    for (const a of ['case.received', 'case.assigned', 'case.viewed', 'case.status_changed', 'case.message_sent', 'case.note_added', 'case.granted', 'identity.requested', 'identity.approved']) {
      expect(actions).toContain(a);
    }
    const { rows: staffActions } = await stack.pool.query<{ action: string }>('SELECT DISTINCT action FROM audit_events WHERE case_id IS NULL');
    expect(staffActions.map((r) => r.action)).toEqual(expect.arrayContaining(['staff.invited', 'staff.activated', 'auth.login', 'auth.login_failed']));
    expect(await verifyAuditChain(stack.pool)).toMatchObject({ ok: true });
  });
});
