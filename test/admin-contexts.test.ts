import { randomUUID } from 'node:crypto';
import { generateKeyPair, ready } from '../packages/crypto/src';
import { ReporterClient, StaffClient } from '../packages/client/src';
import { insertStaffUser } from '../packages/db/src';
import { seedOrganisation } from './helpers/fixtures';
import { signedInStaff } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

jest.setTimeout(120_000);

type Ctx = {
  id: string; slug: string; name: string; channel: string; active: boolean; acknowledgeDays: number; feedbackDays: number; retentionDays: number;
  reminderDaysBefore: number; maxExclusions: number; questions: unknown[];
  categories: { id: string; label: string }[]; regions: { id: string; label: string }[];
  recipients: { id: string }[]; custodians: { id: string }[];
};
type Issues = { error: string; issues?: { field: string; message: string }[] };

let stack: TestStack;
let admin: StaffClient;
let org: Awaited<ReturnType<typeof seedOrganisation>>;

async function person(roles: string[], status: 'active' | 'invited' = 'active', withKey = true) {
  const p = { id: randomUUID(), email: `c.${randomUUID().slice(0, 8)}@test.sauti.invalid`, keyPair: generateKeyPair() };
  await insertStaffUser(stack.pool, { ...p, displayName: `${roles[0]} ${p.id.slice(0, 4)}`, unitId: org.unitId, roles, status, publicKey: withKey ? p.keyPair.publicKey : null });
  return p;
}

const auditActions = async () => (await stack.pool.query<{ action: string; details: Record<string, unknown> }>('SELECT action, details FROM audit_events ORDER BY seq')).rows;

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: false });
  org = await seedOrganisation(stack.pool, { investigators: 2 });
  const a = await person(['admin']);
  admin = await signedInStaff(stack, a);
});

afterAll(async () => {
  await stack?.stop();
});

describe('contexts administration', () => {
  let created: Ctx;

  it('when an admin creates a context with categories and regions, then it is listed with every field and the creation is audited without labels', async () => {
    const answer = await admin.call<Ctx>('POST', '/api/v1/admin/contexts', {
      slug: 'internal-staff', name: 'Customs staff (internal)', channel: 'internal', active: false, acknowledgeDays: 5, feedbackDays: 60,
      retentionDays: 730, reminderDaysBefore: 1, maxExclusions: 2,
      questions: [{ id: 'when', label: 'When did it happen?', kind: 'text', required: false }],
      categories: [{ id: 'bribery', label: 'Bribery' }, { id: 'smuggling', label: 'Smuggling collusion' }],
      regions: [{ id: 'busia', label: 'Busia' }],
    });
    expect(answer.status).toBe(201);
    created = answer.body;
    expect(created).toMatchObject({
      slug: 'internal-staff', channel: 'internal', active: false, acknowledgeDays: 5, feedbackDays: 60, retentionDays: 730, reminderDaysBefore: 1, maxExclusions: 2,
      categories: [{ id: 'bribery', label: 'Bribery' }, { id: 'smuggling', label: 'Smuggling collusion' }], regions: [{ id: 'busia', label: 'Busia' }],
      recipients: [], custodians: [],
    });
    const list = await admin.call<{ items: Ctx[] }>('GET', '/api/v1/admin/contexts');
    expect(list.body.items.map((c) => c.id)).toEqual(expect.arrayContaining([created.id, org.contextId]));
    expect((await admin.call<Ctx>('GET', `/api/v1/admin/contexts/${created.id}`)).body.name).toBe('Customs staff (internal)');
    const entry = (await auditActions()).find((a) => a.action === 'admin.context_created')!;
    expect(entry.details).toMatchObject({ contextId: created.id, categories: 2, regions: 1 });
    expect(JSON.stringify(entry.details)).not.toContain('Bribery');
  });

  it('when the deadlines break the law or do not fit together, then the change is refused with 400 naming each field, and nothing changes', async () => {
    const tooLong = await admin.call<Issues>('PATCH', `/api/v1/admin/contexts/${created.id}`, { acknowledgeDays: 8, feedbackDays: 200, retentionDays: 0 });
    expect(tooLong.status).toBe(400);
    const fields = tooLong.body.issues!.map((i) => i.field).sort();
    expect(fields).toEqual(['acknowledgeDays', 'feedbackDays', 'retentionDays']);
    expect(tooLong.body.issues!.find((i) => i.field === 'acknowledgeDays')!.message).toMatch(/at most 7/);
    const reminder = await admin.call<Issues>('PATCH', `/api/v1/admin/contexts/${created.id}`, { reminderDaysBefore: 5 });
    expect(reminder.status).toBe(400);
    expect(reminder.body.issues).toEqual([{ field: 'reminderDaysBefore', message: expect.stringMatching(/less than acknowledgeDays \(5\)/) }]);
    const bad = [
      { body: {}, field: '(body)' },
      { body: { name: '' }, field: 'name' },
      { body: { channel: 'secret' }, field: 'channel' },
      { body: { slug: 'Has Spaces' }, field: 'slug' },
      { body: { questions: [{ id: 'a', label: 'A' }, { id: 'a', label: 'B' }] }, field: 'questions' },
      { body: { surprise: true }, field: '(body)' },
      { body: { feedbackDays: 1.5 }, field: 'feedbackDays' },
    ];
    for (const b of bad) {
      const answer = await admin.call<Issues>('PATCH', `/api/v1/admin/contexts/${created.id}`, b.body);
      expect(answer.status).toBe(400);
      expect(answer.body.issues!.some((i) => i.field === b.field)).toBe(true);
    }
    expect((await admin.call('PATCH', `/api/v1/admin/contexts/${created.id}`, 'nonsense', { contentType: 'text/plain' })).status).toBe(415);
    expect((await admin.call('PATCH', `/api/v1/admin/contexts/${created.id}`, { name: 'x'.repeat(70_000) })).status).toBe(413);
    expect((await admin.call('PATCH', '/api/v1/admin/contexts/not-a-uuid', { name: 'x' })).status).toBe(404);
    expect((await admin.call('PATCH', `/api/v1/admin/contexts/${randomUUID()}`, { name: 'x' })).status).toBe(404);
    const unchanged = (await admin.call<Ctx>('GET', `/api/v1/admin/contexts/${created.id}`)).body;
    expect(unchanged).toMatchObject({ acknowledgeDays: 5, feedbackDays: 60, retentionDays: 730, reminderDaysBefore: 1 });
  });

  it('when an admin edits the deadlines within the law, then they are saved and audited by field name', async () => {
    const answer = await admin.call<Ctx>('PATCH', `/api/v1/admin/contexts/${created.id}`, { acknowledgeDays: 7, feedbackDays: 183, retentionDays: 3650, reminderDaysBefore: 3, name: 'Staff channel' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ acknowledgeDays: 7, feedbackDays: 183, retentionDays: 3650, reminderDaysBefore: 3, name: 'Staff channel' });
    const entry = (await auditActions()).filter((a) => a.action === 'admin.context_updated').pop()!;
    expect(entry.details).toEqual({ contextId: created.id, fields: ['acknowledgeDays', 'feedbackDays', 'name', 'reminderDaysBefore', 'retentionDays'] });
  });

  it('when a second context takes a slug already used, then it is refused with 409 on the slug', async () => {
    const answer = await admin.call<Issues>('POST', '/api/v1/admin/contexts', { slug: 'internal-staff', name: 'Copy', channel: 'public', active: false });
    expect(answer.status).toBe(409);
    expect(answer.body.issues).toEqual([{ field: 'slug', message: 'is already used by another context' }]);
    const open = await admin.call<Issues>('POST', '/api/v1/admin/contexts', { slug: 'open-empty', name: 'Empty', channel: 'public' });
    expect(open.status).toBe(400);
    expect(open.body.issues![0]!.field).toBe('categories');
  });

  it('when categories and regions are added, renamed, reordered and removed, then the list follows and each step is audited', async () => {
    const base = `/api/v1/admin/contexts/${created.id}`;
    expect((await admin.call<Ctx>('POST', `${base}/categories`, { id: 'undervaluation', label: 'Undervaluation' })).body.categories.map((c) => c.id))
      .toEqual(['bribery', 'smuggling', 'undervaluation']);
    const dup = await admin.call<Issues>('POST', `${base}/categories`, { id: 'bribery', label: 'Again' });
    expect(dup.status).toBe(409);
    expect((await admin.call<Issues>('POST', `${base}/categories`, { id: 'Bad Id', label: 'x' })).body.issues![0]!.field).toBe('id');
    expect((await admin.call<Ctx>('PATCH', `${base}/categories/bribery`, { label: 'Bribery and extortion' })).body.categories[0]).toEqual({ id: 'bribery', label: 'Bribery and extortion' });
    expect((await admin.call('PATCH', `${base}/categories/nope`, { label: 'x' })).status).toBe(404);
    const reordered = await admin.call<Ctx>('PUT', `${base}/categories/order`, { ids: ['undervaluation', 'bribery', 'smuggling'] });
    expect(reordered.body.categories.map((c) => c.id)).toEqual(['undervaluation', 'bribery', 'smuggling']);
    const partial = await admin.call<Issues>('PUT', `${base}/categories/order`, { ids: ['bribery', 'ghost'] });
    expect(partial.status).toBe(400);
    expect(partial.body.issues!.map((i) => i.message).join(' ')).toMatch(/unknown categories: ghost.*leaves out: undervaluation, smuggling|leaves out/);
    expect((await admin.call<Ctx>('POST', `${base}/regions`, { id: 'malaba', label: 'Malaba' })).body.regions.map((r) => r.id)).toEqual(['busia', 'malaba']);
    expect((await admin.call<Ctx>('DELETE', `${base}/regions/malaba`)).body.regions.map((r) => r.id)).toEqual(['busia']);
    expect((await admin.call('DELETE', `${base}/regions/malaba`)).status).toBe(404);
    const changes = (await auditActions()).filter((a) => a.action === 'admin.context_list_changed').map((a) => `${String(a.details.list)}.${String(a.details.change)}`);
    expect(changes).toEqual(['categories.added', 'categories.renamed', 'categories.reordered', 'regions.added', 'regions.removed']);
  });

  it('when a category or region is used by a routing rule, then removing it is refused with 409 naming the rule, and it stays', async () => {
    const base = `/api/v1/admin/contexts/${created.id}`;
    const rules = [
      { id: randomUUID(), name: 'Busia smuggling', contextId: created.id, channel: 'internal', categoryId: 'smuggling', regionId: 'busia', priority: 'high' },
      { id: randomUUID(), name: 'Everything else', isDefault: true },
    ];
    expect((await admin.call('PUT', '/api/v1/admin/routing-rules', { rules })).status).toBe(200);
    const category = await admin.call<Issues>('DELETE', `${base}/categories/smuggling`);
    expect(category.status).toBe(409);
    expect(category.body.error).toMatch(/routing rule "Busia smuggling" \(rule 1\)/);
    const region = await admin.call<Issues>('DELETE', `${base}/regions/busia`);
    expect(region.status).toBe(409);
    expect(region.body.error).toContain('"Busia smuggling"');
    const after = (await admin.call<Ctx>('GET', base)).body;
    expect(after.categories.map((c) => c.id)).toContain('smuggling');
    expect(after.regions.map((r) => r.id)).toEqual(['busia']);
    // A category the rule does not use goes.
    expect((await admin.call('DELETE', `${base}/categories/undervaluation`)).status).toBe(200);
    // The rule names this internal context: it may not become public under it.
    const channel = await admin.call<Issues>('PATCH', base, { channel: 'public' });
    expect(channel.status).toBe(409);
    expect(channel.body.issues![0]!.field).toBe('channel');
  });

  it('when recipients and custodians are set, then only active people with keys and the right role are accepted, each refusal named', async () => {
    const base = `/api/v1/admin/contexts/${created.id}`;
    const investigator = org.investigators[0]!;
    const custodian = org.custodians[0]!;
    const analyst = await person(['analyst']);
    const invited = await person(['investigator'], 'invited', false);
    const refused = await admin.call<Issues>('PUT', `${base}/recipients`, { userIds: [investigator.id, analyst.id, invited.id, randomUUID()] });
    expect(refused.status).toBe(400);
    expect(refused.body.issues!.map((i) => i.field)).toEqual(['userIds.1', 'userIds.2', 'userIds.3']);
    expect(refused.body.issues![0]!.message).toMatch(/investigator or supervisor/);
    expect(refused.body.issues![1]!.message).toMatch(/no keys/);
    const notCustodian = await admin.call<Issues>('PUT', `${base}/custodians`, { userIds: [investigator.id] });
    expect(notCustodian.status).toBe(400);
    expect(notCustodian.body.issues![0]!.message).toMatch(/custodian role/);
    expect((await admin.call<Issues>('PUT', `${base}/recipients`, { userIds: [investigator.id, investigator.id] })).status).toBe(400);
    expect((await admin.call<Issues>('PUT', `${base}/recipients`, { userIds: ['nope'] })).status).toBe(400);

    const set = await admin.call<Ctx>('PUT', `${base}/recipients`, { userIds: [investigator.id, org.investigators[1]!.id] });
    expect(set.status).toBe(200);
    expect(set.body.recipients.map((r) => r.id).sort()).toEqual([investigator.id, org.investigators[1]!.id].sort());
    expect((await admin.call<Ctx>('PUT', `${base}/custodians`, { userIds: [custodian.id] })).body.custodians.map((c) => c.id)).toEqual([custodian.id]);
    const entry = (await auditActions()).filter((a) => a.action === 'admin.context_people_changed')[0]!;
    expect(entry.details).toMatchObject({ contextId: created.id, list: 'recipients', removed: [] });
  });

  it('when the context is opened, then reporters see it at intake with its new deadlines; an open context keeps at least one recipient', async () => {
    const base = `/api/v1/admin/contexts/${created.id}`;
    expect((await admin.call<Ctx>('PATCH', base, { active: true })).status).toBe(200);
    const intake = await new ReporterClient(stack.api.url).intake();
    const seen = intake.contexts.find((c) => c.id === created.id)!;
    expect(seen).toMatchObject({ name: 'Staff channel', acknowledgeDays: 7, feedbackDays: 183, maxExclusions: 2 });
    expect(seen.recipients).toHaveLength(2);
    expect(seen.custodians).toHaveLength(1);
    const empty = await admin.call<Issues>('PUT', `${base}/recipients`, { userIds: [] });
    expect(empty.status).toBe(409);
    // Closed, a context without recipients is fine; opening it again is refused with the reason.
    expect((await admin.call('PATCH', base, { active: false })).status).toBe(200);
    expect((await admin.call('PUT', `${base}/recipients`, { userIds: [] })).status).toBe(200);
    const reopen = await admin.call<Issues>('PATCH', base, { active: true });
    expect(reopen.status).toBe(400);
    expect(reopen.body.issues![0]!.message).toMatch(/recipient/);
  });

  it('when someone who is not an admin calls the context endpoints, then a non-admin gets 403 and an anonymous caller 401', async () => {
    const investigator = await signedInStaff(stack, org.investigators[0]!);
    const anonymous = new StaffClient(stack.api.url);
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/v1/admin/contexts'],
      ['POST', '/api/v1/admin/contexts', { slug: 'x', name: 'x', channel: 'public' }],
      ['PATCH', `/api/v1/admin/contexts/${created.id}`, { name: 'x' }],
      ['POST', `/api/v1/admin/contexts/${created.id}/categories`, { id: 'x', label: 'x' }],
      ['DELETE', `/api/v1/admin/contexts/${created.id}/categories/bribery`],
      ['PUT', `/api/v1/admin/contexts/${created.id}/custodians`, { userIds: [] }],
    ];
    for (const [method, path, body] of calls) {
      expect([method, path, (await investigator.call(method, path, body)).status]).toEqual([method, path, 403]);
      expect([method, path, (await anonymous.call(method, path, body)).status]).toEqual([method, path, 401]);
    }
  });
});

describe('operator translations (issue 13)', () => {
  type Translated = Ctx & { defaultLanguage: string; translations: Record<string, Record<string, string>> };

  it('when an admin gives a context translations and its default language, then they are stored, audited by field name only, and served by /intake', async () => {
    const answer = await admin.call<Translated>('PATCH', `/api/v1/admin/contexts/${org.contextId}`, {
      defaultLanguage: 'en',
      translations: { fr: { name: 'Contexte', 'category.bribery-extortion': 'Corruption' }, ar: { 'category.bribery-extortion': 'رشوة', 'region.namanga': 'نامانغا' } },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.defaultLanguage).toBe('en');
    expect(answer.body.translations.fr).toEqual({ name: 'Contexte', 'category.bribery-extortion': 'Corruption' });
    const entry = (await auditActions()).filter((a) => a.action === 'admin.context_updated').pop()!;
    expect(entry.details).toMatchObject({ contextId: org.contextId, fields: ['defaultLanguage', 'translations'] });
    expect(JSON.stringify(entry.details)).not.toContain('Corruption');
    await stack.pool.query('UPDATE contexts SET active = true WHERE id = $1', [org.contextId]);
    const intake = await waitFor('the intake cache', async () => {
      const body = (await (await fetch(`${stack.api.url}/api/v1/intake`)).json()) as { contexts: { id: string; defaultLanguage: string; translations: Record<string, Record<string, string>> }[] };
      const c = body.contexts.find((x) => x.id === org.contextId);
      return c?.translations.ar?.['region.namanga'] ? c : null;
    });
    expect(intake.defaultLanguage).toBe('en');
    expect(intake.translations.ar).toEqual({ 'category.bribery-extortion': 'رشوة', 'region.namanga': 'نامانغا' });
  });

  it('when a translation names an unknown language or text, is empty, or the default language is not a UI language, then 400 names each field and nothing changes', async () => {
    const before = (await admin.call<Translated>('GET', `/api/v1/admin/contexts/${org.contextId}`)).body.translations;
    const cases: [unknown, string][] = [
      [{ translations: { de: { name: 'Kontext' } } }, 'translations'],
      [{ translations: { fr: { colour: 'bleu' } } }, 'translations.fr'],
      [{ translations: { fr: { name: '   ' } } }, 'translations.fr.name'],
      [{ translations: 'fr' }, 'translations'],
      [{ defaultLanguage: 'de' }, 'defaultLanguage'],
    ];
    for (const [body, field] of cases) {
      const answer = await admin.call<Issues>('PATCH', `/api/v1/admin/contexts/${org.contextId}`, body);
      expect([JSON.stringify(body), answer.status]).toEqual([JSON.stringify(body), 400]);
      expect(answer.body.issues!.map((i) => i.field).some((f) => f.startsWith(field))).toBe(true);
    }
    expect((await admin.call<Translated>('GET', `/api/v1/admin/contexts/${org.contextId}`)).body.translations).toEqual(before);
  });
});
