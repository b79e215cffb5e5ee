import type { ContextRow as WireContextRow, ContextTranslations, UiLanguage } from '@sauti/core';
import type { Queryable } from './pool';

/** Contexts as an administrator sees them: every field, open or closed, with the people by name. */
export type AdminContext = Omit<WireContextRow, 'questions' | 'createdAt' | 'translations'> & { questions: unknown[]; translations: unknown; createdAt: Date };

export type ContextList = 'categories' | 'regions';
export type ContextPeople = 'recipients' | 'custodians';

const LIST_TABLE: Record<ContextList, string> = { categories: 'context_categories', regions: 'context_regions' };
const PEOPLE_TABLE: Record<ContextPeople, string> = { recipients: 'context_recipients', custodians: 'context_custodians' };

type ContextRow = {
  id: string; slug: string; name: string; description: string; channel: 'public' | 'internal'; active: boolean; position: number;
  max_exclusions: number; acknowledge_days: number; feedback_days: number; retention_days: number; reminder_days_before: number;
  questions: unknown[]; created_at: Date; default_language: UiLanguage; translations: unknown;
};

export async function listAdminContexts(db: Queryable, onlyId?: string): Promise<AdminContext[]> {
  const { rows } = await db.query<ContextRow>(
    `SELECT id, slug, name, description, channel, active, position, max_exclusions, acknowledge_days, feedback_days, retention_days,
            reminder_days_before, questions, created_at, default_language, translations
       FROM contexts WHERE $1::uuid IS NULL OR id = $1::uuid ORDER BY position, name, id`,
    [onlyId ?? null],
  );
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const list = (table: string) =>
    db.query<{ context_id: string; id: string; label: string }>(`SELECT context_id, id, label FROM ${table} WHERE context_id = ANY($1) ORDER BY position, id`, [ids]);
  const people = (table: string) =>
    db.query<{ context_id: string; id: string; display_name: string; status: string; has_key: boolean }>(
      `SELECT x.context_id, u.id, u.display_name, u.status, u.public_key IS NOT NULL AS has_key
         FROM ${table} x JOIN staff_users u ON u.id = x.user_id WHERE x.context_id = ANY($1) ORDER BY u.display_name, u.id`,
      [ids],
    );
  // One after another: inside a transaction all four share one connection.
  const categories = await list('context_categories');
  const regions = await list('context_regions');
  const recipients = await people('context_recipients');
  const custodians = await people('context_custodians');
  const items = (r: { context_id: string; id: string; label: string }[], id: string) => r.filter((x) => x.context_id === id).map(({ id: i, label }) => ({ id: i, label }));
  const persons = (r: { context_id: string; id: string; display_name: string; status: string; has_key: boolean }[], id: string) =>
    r.filter((x) => x.context_id === id).map((p) => ({ id: p.id, displayName: p.display_name, status: p.status, hasKey: p.has_key }));
  return rows.map((r) => ({
    id: r.id, slug: r.slug, name: r.name, description: r.description, channel: r.channel, active: r.active, position: r.position,
    maxExclusions: r.max_exclusions, acknowledgeDays: r.acknowledge_days, feedbackDays: r.feedback_days, retentionDays: r.retention_days,
    reminderDaysBefore: r.reminder_days_before, questions: r.questions, createdAt: r.created_at,
    defaultLanguage: r.default_language, translations: r.translations,
    categories: items(categories.rows, r.id), regions: items(regions.rows, r.id),
    recipients: persons(recipients.rows, r.id), custodians: persons(custodians.rows, r.id),
  }));
}

/** Locks the context row for the rest of the transaction, so concurrent edits of one context queue up. */
export async function lockContext(tx: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await tx.query('SELECT 1 FROM contexts WHERE id = $1 FOR UPDATE', [id]);
  return rowCount === 1;
}

export type ContextFields = {
  slug: string; name: string; description: string; channel: 'public' | 'internal'; active: boolean; position: number; maxExclusions: number;
  acknowledgeDays: number; feedbackDays: number; retentionDays: number; reminderDaysBefore: number; questions: unknown[];
  defaultLanguage: UiLanguage; translations: ContextTranslations;
};

const COLUMN: Record<keyof ContextFields, string> = {
  slug: 'slug', name: 'name', description: 'description', channel: 'channel', active: 'active', position: 'position',
  maxExclusions: 'max_exclusions', acknowledgeDays: 'acknowledge_days', feedbackDays: 'feedback_days', retentionDays: 'retention_days',
  reminderDaysBefore: 'reminder_days_before', questions: 'questions', defaultLanguage: 'default_language', translations: 'translations',
};

/** jsonb columns are sent as JSON text. */
const JSON_FIELDS = new Set<keyof ContextFields>(['questions', 'translations']);

export async function createAdminContext(tx: Queryable, id: string, c: ContextFields): Promise<void> {
  const keys = Object.keys(COLUMN) as (keyof ContextFields)[];
  await tx.query(
    `INSERT INTO contexts (id, ${keys.map((k) => COLUMN[k]).join(', ')}) VALUES ($1, ${keys.map((_, i) => `$${i + 2}`).join(', ')})`,
    [id, ...keys.map((k) => (JSON_FIELDS.has(k) ? JSON.stringify(c[k]) : c[k]))],
  );
}

/** Updates only the given fields; column names come from a fixed map, never from input. */
export async function updateAdminContext(tx: Queryable, id: string, change: Partial<ContextFields>): Promise<void> {
  const keys = (Object.keys(change) as (keyof ContextFields)[]).filter((k) => Object.hasOwn(COLUMN, k) && change[k] !== undefined);
  if (keys.length === 0) return;
  await tx.query(
    `UPDATE contexts SET ${keys.map((k, i) => `${COLUMN[k]} = $${i + 2}`).join(', ')} WHERE id = $1`,
    [id, ...keys.map((k) => (JSON_FIELDS.has(k) ? JSON.stringify(change[k]) : change[k]))],
  );
}

export async function listItemsOf(db: Queryable, list: ContextList, contextId: string): Promise<{ id: string; label: string }[]> {
  const { rows } = await db.query<{ id: string; label: string }>(`SELECT id, label FROM ${LIST_TABLE[list]} WHERE context_id = $1 ORDER BY position, id`, [contextId]);
  return rows;
}

/** Appends after the last item. Returns false when the id is taken in this context. */
export async function addListItem(tx: Queryable, list: ContextList, contextId: string, item: { id: string; label: string }): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO ${LIST_TABLE[list]} (context_id, id, label, position)
     SELECT $1, $2, $3, coalesce(max(position), 0) + 1 FROM ${LIST_TABLE[list]} WHERE context_id = $1
     ON CONFLICT (context_id, id) DO NOTHING`,
    [contextId, item.id, item.label],
  );
  return rowCount === 1;
}

export async function replaceListItems(tx: Queryable, list: ContextList, contextId: string, items: { id: string; label: string }[]): Promise<void> {
  await tx.query(`DELETE FROM ${LIST_TABLE[list]} WHERE context_id = $1`, [contextId]);
  if (items.length === 0) return;
  await tx.query(
    `INSERT INTO ${LIST_TABLE[list]} (context_id, id, label, position)
     SELECT $1, id, label, pos FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(id, label, pos)`,
    [contextId, items.map((i) => i.id), items.map((i) => i.label)],
  );
}

export async function renameListItem(tx: Queryable, list: ContextList, contextId: string, itemId: string, label: string): Promise<boolean> {
  const { rowCount } = await tx.query(`UPDATE ${LIST_TABLE[list]} SET label = $3 WHERE context_id = $1 AND id = $2`, [contextId, itemId, label]);
  return rowCount === 1;
}

export async function removeListItem(tx: Queryable, list: ContextList, contextId: string, itemId: string): Promise<boolean> {
  const { rowCount } = await tx.query(`DELETE FROM ${LIST_TABLE[list]} WHERE context_id = $1 AND id = $2`, [contextId, itemId]);
  return rowCount === 1;
}

/**
 * Routing rules that need this category or region of this context: rules of the context, and
 * rules of any context when no other context has the same id (the rule set would become invalid).
 */
export async function rulesUsingListItem(db: Queryable, list: ContextList, contextId: string, itemId: string): Promise<{ id: string; name: string; position: number }[]> {
  const uses = list === 'categories' ? 'r.category_id = $2' : '$2 = ANY (r.region_ids)';
  const { rows } = await db.query<{ id: string; name: string; position: number }>(
    `SELECT r.id, r.name, r.position FROM routing_rules r
      WHERE ${uses}
        AND (r.context_id = $1
             OR (r.context_id IS NULL AND NOT EXISTS (SELECT 1 FROM ${LIST_TABLE[list]} o WHERE o.id = $2 AND o.context_id <> $1)))
      ORDER BY r.position`,
    [contextId, itemId],
  );
  return rows;
}

/** Rules naming this context that a change of channel would make contradictory. */
export async function rulesContradictingChannel(db: Queryable, contextId: string, channel: 'public' | 'internal'): Promise<{ id: string; name: string; position: number }[]> {
  const { rows } = await db.query<{ id: string; name: string; position: number }>(
    'SELECT id, name, position FROM routing_rules WHERE context_id = $1 AND channel IS NOT NULL AND channel <> $2 ORDER BY position',
    [contextId, channel],
  );
  return rows;
}

export type Candidate = { id: string; status: string; hasKey: boolean; roles: string[] };

export async function findCandidates(db: Queryable, ids: readonly string[]): Promise<Map<string, Candidate>> {
  const { rows } = await db.query<{ id: string; status: string; has_key: boolean; roles: string[] }>(
    'SELECT id, status, public_key IS NOT NULL AS has_key, roles FROM staff_users WHERE id = ANY($1::uuid[])',
    [[...ids]],
  );
  return new Map(rows.map((r) => [r.id, { id: r.id, status: r.status, hasKey: r.has_key, roles: r.roles }]));
}

/** Replaces the set; returns who was added and who removed. */
export async function replaceContextPeople(tx: Queryable, people: ContextPeople, contextId: string, userIds: readonly string[]): Promise<{ added: string[]; removed: string[] }> {
  const table = PEOPLE_TABLE[people];
  const { rows } = await tx.query<{ user_id: string }>(`SELECT user_id FROM ${table} WHERE context_id = $1`, [contextId]);
  const before = new Set(rows.map((r) => r.user_id));
  const after = new Set(userIds);
  const added = [...after].filter((id) => !before.has(id));
  const removed = [...before].filter((id) => !after.has(id));
  if (removed.length > 0) await tx.query(`DELETE FROM ${table} WHERE context_id = $1 AND user_id = ANY($2::uuid[])`, [contextId, removed]);
  if (added.length > 0) await tx.query(`INSERT INTO ${table} (context_id, user_id) SELECT $1, unnest($2::uuid[])`, [contextId, added]);
  return { added, removed };
}
