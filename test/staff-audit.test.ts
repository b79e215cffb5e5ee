import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ready } from '../packages/crypto/src';
import { prepareReport, ReporterClient } from '../packages/client/src';
import { verifyAuditChain } from '../packages/db/src';
import { giveOpenCases, seedOrganisation } from './helpers/fixtures';
import { signedInStaff } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';

// jest ignores testTimeout inside a project's config (it is a global option), so each file sets its own.
jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..');
const run = promisify(execFile);

let stack: TestStack;
let org: Awaited<ReturnType<typeof seedOrganisation>>;
let caseId: string;

/** The operator command line, as an operator runs it (from source through tsx, against this test's database). */
async function sauti(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'apps/api/src/bin/sauti.ts'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATABASE_URL: stack.config.DATABASE_URL, REDIS_URL: stack.config.REDIS_URL, QUEUE_PREFIX: stack.config.QUEUE_PREFIX, PUBLIC_URL: 'https://sauti.example' },
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: false });
  org = await seedOrganisation(stack.pool, { investigators: 3 });
  const reporter = new ReporterClient(stack.api.url);
  const intake = await reporter.intake();
  const context = intake.contexts.find((c) => c.id === org.contextId)!;
  const prepared = prepareReport(intake, { context, body: { text: 'audit story' }, category: 'other' });
  caseId = prepared.request.id;
  expect((await reporter.submit({ ...prepared.request, pow: await reporter.proofOfWork() })).status).toBe(201);
});

afterAll(async () => {
  await stack?.stop();
});

describe('recusal and the tamper-evident audit log', () => {
  it('when the assignee recuses for a conflict of interest, then it loses access and the least-loaded remaining holder is assigned', async () => {
    const [a, b, c] = org.investigators;
    await stack.pool.query('UPDATE cases SET assignee_id = $2 WHERE id = $1', [caseId, a!.id]);
    await giveOpenCases(stack.pool, org.contextId, b!.id, 2);
    await giveOpenCases(stack.pool, org.contextId, c!.id, 1);
    const assignee = await signedInStaff(stack, a!);
    expect((await assignee.openCase(caseId)).view.assigneeId).toBe(a!.id);
    const recused = await assignee.recuse(caseId);
    expect(recused.status).toBe(200);
    expect(recused.body).toEqual({ assigneeId: c!.id });
    expect((await assignee.getCase(caseId)).status).toBe(404);
    const { rows } = await stack.pool.query<{ action: string; details: Record<string, unknown> }>(
      'SELECT action, details FROM audit_events WHERE case_id = $1 ORDER BY seq', [caseId]);
    expect(rows.map((r) => r.action)).toEqual(['case.received', 'case.viewed', 'case.recused', 'case.reassigned']);
    expect(rows[3]!.details).toMatchObject({ assigneeId: c!.id });
  });

  it('when nothing was touched, then the operator command says the chain is intact', async () => {
    const result = await sauti('verify-audit');
    expect(result).toMatchObject({ code: 0 });
    expect(result.out).toMatch(/Audit log intact: \d+ entries/);
  });

  it('when an entry is edited, then verification names that entry; when it is put back, the chain is whole again', async () => {
    const { rows } = await stack.pool.query<{ seq: string; details: unknown }>(
      `SELECT seq, details FROM audit_events WHERE action = 'case.viewed' AND case_id = $1`, [caseId]);
    const target = rows[0]!;
    await stack.pool.query(`UPDATE audit_events SET details = '{"note":"nothing to see"}' WHERE seq = $1`, [target.seq]);
    expect(await verifyAuditChain(stack.pool)).toMatchObject({ ok: false, firstBadSeq: Number(target.seq) });
    const result = await sauti('verify-audit');
    expect(result.code).toBe(1);
    expect(result.out).toContain(`Audit log BROKEN at entry ${target.seq}: entry ${target.seq} was changed after it was written`);

    await stack.pool.query('UPDATE audit_events SET details = $2 WHERE seq = $1', [target.seq, JSON.stringify(target.details)]);
    expect(await verifyAuditChain(stack.pool)).toMatchObject({ ok: true });
  });

  it('when an entry is deleted, then verification names the entry after the gap and says which are missing', async () => {
    const { rows } = await stack.pool.query<{ seq: string }>(`SELECT seq FROM audit_events WHERE action = 'case.recused'`);
    const removed = Number(rows[0]!.seq);
    await stack.pool.query('DELETE FROM audit_events WHERE seq = $1', [removed]);
    const result = await sauti('verify-audit');
    expect(result.code).toBe(1);
    expect(result.out).toContain(`Audit log BROKEN at entry ${removed + 1}: entry ${removed + 1} does not follow the entry before it (entries ${removed}–${removed} are missing)`);
  });

  it('when the operator lists staff, shows counts, invites the first admin and disables a person, then each command does so', async () => {
    const listed = await sauti('list-staff');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(org.investigators[0]!.email);

    const stats = await sauti('stats');
    expect(stats.code).toBe(0);
    expect(stats.out).toMatch(/Cases by status: received \d+/);
    expect(stats.out).toMatch(/Queue triage: waiting \d+/);

    const invited = await sauti('invite-admin', 'first.admin@test.sauti.invalid', 'First', 'Admin');
    expect(invited.code).toBe(0);
    expect(invited.out).toMatch(/https:\/\/sauti\.example\/staff\/activate#[A-Za-z0-9_-]{43}/);
    const { rows } = await stack.pool.query(`SELECT topic FROM outbox WHERE topic = 'staff.invite'`);
    expect(rows).toHaveLength(1);

    // Once an admin is active, a second "first admin" is refused.
    const existing = { id: org.custodians[0]!.id };
    await stack.pool.query(`UPDATE staff_users SET roles = '{custodian,admin}' WHERE id = $1`, [existing.id]);
    expect((await sauti('invite-admin', 'second.admin@test.sauti.invalid')).code).toBe(1);

    const victim = org.investigators[1]!;
    const session = await signedInStaff(stack, victim);
    const disabled = await sauti('disable', victim.email);
    expect(disabled).toMatchObject({ code: 0 });
    expect(disabled.out).toContain('1 session(s) ended');
    expect((await session.call('GET', '/api/v1/staff/me')).status).toBe(401);
    expect((await sauti('disable', 'nobody@test.sauti.invalid')).code).toBe(1);
    expect((await sauti('no-such-command')).code).toBe(2);
  });

  it('when staff act, then audit entries carry ids and codes only: no address, no user agent, no content', async () => {
    const { rows } = await stack.pool.query<{ details: Record<string, unknown> }>('SELECT details FROM audit_events');
    expect(rows.length).toBeGreaterThan(5);
    const keys = new Set(rows.flatMap((r) => Object.keys(r.details)));
    for (const key of keys) expect(key).not.toMatch(/^(ip|address|remote|userAgent|agent|email|body|text|reason_text)$/i);
    const text = JSON.stringify(rows);
    expect(text).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b|::1|@test\.sauti|audit story/);
  });
});
