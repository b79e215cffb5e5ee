import { randomUUID } from 'node:crypto';
import { encryptMessage, ready, toB64 } from '../packages/crypto/src';
import { MESSAGE_PAGE_DEFAULT, MESSAGE_PAGE_MAX_BYTES, type ReporterCase, type ReporterMessagePage, type StaffCaseView, type StaffMessagePage } from '../packages/core/src';
import { paths, readReporterMessagePage, ReporterClient, staffCases, StaffClient, type IntakeContext } from '../packages/client/src';
import { reporterWithCase, type ReporterOnCase } from './helpers/files';
import { seedOrganisation } from './helpers/fixtures';
import { signedInStaff } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';

// Issue 11: a case with 300 messages of 40 KiB (what one token once posted in three seconds) no
// longer comes back in one answer; reporter and staff read it page by page, newest first.
jest.setTimeout(120_000);

const COUNT = 300;
const SIZE = 40 * 1024;

let stack: TestStack;
let reporter: ReporterOnCase;
let investigator: StaffClient;
let outsider: StaffClient;
/** Message ids in the order every reader shows them (created_at, then id). */
let ids: string[];
/** The number each message's text starts with ("message <i> "). */
const written = new Map<string, number>();
const firstWords = (text: string | null) => text?.split(' ').slice(0, 2).join(' ');

beforeAll(async () => {
  await ready();
  // The count cap just above the flood, so that the cap on the dialogue is reached below.
  stack = await startStack({ worker: false, env: { CASE_MESSAGES_MAX_COUNT: String(COUNT + 1) } });
  const org = await seedOrganisation(stack.pool, { investigators: 2 });
  const intake = await new ReporterClient(stack.api.url).intake();
  const context: IntakeContext = intake.contexts.find((c) => c.id === org.contextId)!;
  // The second investigator is excluded from the report, so it holds no key wrap for the case.
  reporter = await reporterWithCase(stack.api.url, intake, context, [org.investigators[1]!.id]);
  // Stored as the flood stored them (real ciphertexts, both sides); pairs share a timestamp so
  // that the id breaks ties, which paging must respect too.
  const rows = Array.from({ length: COUNT }, (_, i) => {
    const id = randomUUID();
    const text = `message ${i} `.padEnd(SIZE - 100, '.');
    return { id, author: i % 3 === 0 ? 'staff' : 'reporter', body: Buffer.from(encryptMessage(reporter.caseKey, reporter.caseId, id, text)), at: new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(i / 2))) };
  });
  await stack.pool.query(
    `INSERT INTO messages (id, case_id, author, body, created_at)
     SELECT unnest($1::uuid[]), $2, unnest($3::text[]), unnest($4::bytea[]), unnest($5::timestamptz[])`,
    [rows.map((r) => r.id), reporter.caseId, rows.map((r) => r.author), rows.map((r) => r.body), rows.map((r) => r.at)],
  );
  rows.forEach((r, i) => written.set(r.id, i));
  ids = [...rows].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1)).map((r) => r.id);
  investigator = await signedInStaff(stack, org.investigators[0]!);
  outsider = await signedInStaff(stack, org.investigators[1]!);
});

afterAll(async () => {
  await stack?.stop();
});

/** Follows `older` cursors from a first page to the end; returns every id seen, oldest first, and each answer's size. */
async function walk<P extends { messages: { id: string }[]; older: string | null }>(first: { messages: { id: string }[]; older: string | null }, fetchPage: (before: string) => Promise<{ status: number; body: P; size: number }>) {
  const pages: string[][] = [first.messages.map((m) => m.id)];
  const sizes: number[] = [];
  let older = first.older;
  while (older) {
    const answer = await fetchPage(older);
    expect(answer.status).toBe(200);
    sizes.push(answer.size);
    pages.unshift(answer.body.messages.map((m) => m.id));
    older = answer.body.older;
  }
  return { seen: pages.flat(), sizes, pages: pages.length };
}

const rawGet = async <T>(url: string, headers: Record<string, string>) => {
  const answer = await fetch(url, { headers });
  const text = await answer.text();
  return { status: answer.status, body: JSON.parse(text) as T, size: Buffer.byteLength(text) };
};

describe('message pages', () => {
  it('when a reporter opens a case with 300 messages of 40 KiB, then the view holds the newest page only and older pages follow, each message exactly once', async () => {
    const view = await rawGet<ReporterCase>(stack.api.url + paths.reporter.case, reporter.auth);
    expect(view.status).toBe(200);
    // At most a page of MESSAGE_PAGE_DEFAULT; 40 KiB messages reach the byte budget first.
    const n = view.body.messages.length;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThanOrEqual(MESSAGE_PAGE_DEFAULT);
    expect(view.body.messages.map((m) => m.id)).toEqual(ids.slice(-n));
    // Was 15.7 MiB in one answer; now a page of ciphertext plus the case.
    expect(view.size).toBeLessThan(2 * MESSAGE_PAGE_MAX_BYTES);
    const { seen, sizes } = await walk(
      { messages: view.body.messages, older: view.body.olderMessages },
      (before) => rawGet<ReporterMessagePage>(stack.api.url + paths.reporter.messagesBefore(before), reporter.auth),
    );
    expect(seen).toEqual(ids);
    expect(Math.max(...sizes)).toBeLessThan(2 * MESSAGE_PAGE_MAX_BYTES);
  });

  it('when a page is asked with a limit, then it holds at most that many, stops at the byte budget, and still opens with the case key', async () => {
    const answer = await reporter.client.call<ReporterMessagePage>('GET', paths.reporter.messagesBefore(ids[200]!, 100));
    expect(answer.status).toBe(200);
    // 100 messages of 40 KiB would be 4 MiB: the byte budget ends the page first, without a gap.
    const got = answer.body.messages.map((m) => m.id);
    expect(got.length).toBeLessThan(100);
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(ids.slice(200 - got.length, 200));
    expect(answer.body.older).toBe(got[0]);
    const opened = readReporterMessagePage(answer.body, reporter.caseKey, reporter.caseId);
    expect(opened.messages.map((m) => firstWords(m.text))).toEqual(got.map((id) => `message ${written.get(id)}`));
  });

  it('when the cursor or limit is not valid, then the answer is a 400 naming it; an unknown message is not a cursor', async () => {
    const bad = async (query: string) => reporter.client.call<{ issues?: { field: string }[] }>('GET', `${paths.reporter.messages}?${query}`);
    for (const [query, field] of [['before=nope', 'before'], ['limit=0', 'limit'], ['limit=101', 'limit'], ['limit=x', 'limit'], [`before=${randomUUID()}`, 'before'], ['before=%00', 'before']] as const) {
      const answer = await bad(query);
      expect([query, answer.status]).toEqual([query, 400]);
      expect(answer.body.issues?.map((i) => i.field)).toEqual([field]);
    }
    // A message id that is not in this case is no cursor on the staff route either.
    const other = await investigator.call<{ issues?: { field: string }[] }>('GET', paths.staff.caseMessagesBefore(reporter.caseId, randomUUID()));
    expect(other.status).toBe(400);
    expect(other.body.issues?.map((i) => i.field)).toEqual(['before']);
  });

  it('when staff open the case, then they too get the newest page and walk the older ones; who does not hold the case gets 404', async () => {
    const view = await rawGet<StaffCaseView>(stack.api.url + paths.staff.case(reporter.caseId), investigator.session.transport.authHeaders('GET'));
    expect(view.status).toBe(200);
    const n = view.body.messages.length;
    expect(n).toBeLessThanOrEqual(MESSAGE_PAGE_DEFAULT);
    expect(view.body.messages.map((m) => m.id)).toEqual(ids.slice(-n));
    expect(view.size).toBeLessThan(2 * MESSAGE_PAGE_MAX_BYTES);
    const { seen } = await walk(
      { messages: view.body.messages, older: view.body.olderMessages },
      (before) => rawGet<StaffMessagePage>(stack.api.url + paths.staff.caseMessagesBefore(reporter.caseId, before), investigator.session.transport.authHeaders('GET')),
    );
    expect(seen).toEqual(ids);
    // The client opens a page with the holder's key wrap.
    const opened = await staffCases.olderCaseMessages(investigator.session, reporter.caseId, ids[10]!, 5);
    expect(opened.messages.map((m) => m.id)).toEqual(ids.slice(5, 10));
    expect(opened.messages.map((m) => firstWords(m.text))).toEqual(ids.slice(5, 10).map((id) => `message ${written.get(id)}`));
    expect((await outsider.call('GET', paths.staff.caseMessagesBefore(reporter.caseId, ids[10]!))).status).toBe(404);
  });

  it('when a case is exported, then the export still carries every message', async () => {
    const answer = await investigator.call<{ case: StaffCaseView }>('GET', paths.staff.caseExport(reporter.caseId));
    expect(answer.status).toBe(200);
    expect(answer.body.case.messages).toHaveLength(COUNT);
    expect(answer.body.case.olderMessages).toBeNull();
  });

  it('when the dialogue reaches the per-case cap, then a new message from either side is a 413 saying so, and nothing is stored', async () => {
    const post = (client: { call: ReporterClient['call'] }, path: string) => client.call<{ error: string }>('POST', path, { id: randomUUID(), body: toB64(new Uint8Array(64).fill(3)) });
    expect((await post(reporter.client, paths.reporter.messages)).status).toBe(201);
    const reporterRefused = await post(reporter.client, paths.reporter.messages);
    expect(reporterRefused.status).toBe(413);
    expect(reporterRefused.body.error).toMatch(/most messages it can/);
    expect((await post(investigator, paths.staff.caseMessages(reporter.caseId))).status).toBe(413);
    const { rows } = await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE case_id = $1', [reporter.caseId]);
    expect(rows[0]!.n).toBe(COUNT + 1);
  });
});
