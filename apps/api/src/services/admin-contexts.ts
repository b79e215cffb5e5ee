import { randomUUID } from 'node:crypto';
import { deadlineIssues, fail, ok, type ContextCreate, type ContextUpdate, type FieldIssue, type Result } from '@sauti/core';
import { tellOversight } from './oversight';
import {
  addListItem,
  appendAudit,
  createAdminContext,
  findCandidates,
  isUniqueViolation,
  listAdminContexts,
  listItemsOf,
  lockContext,
  removeListItem,
  renameListItem,
  replaceContextPeople,
  replaceListItems,
  rulesContradictingChannel,
  rulesUsingListItem,
  updateAdminContext,
  withTransaction,
  type AdminContext,
  type ContextList,
  type ContextPeople,
  type Db,
  type Queryable,
} from '@sauti/db';

const NO_SUCH_CONTEXT = 'There is no context with this id.';
const SINGULAR: Record<ContextList, string> = { categories: 'category', regions: 'region' };

/**
 * Runs a change under a lock on the context row and answers the context as it is afterwards. A
 * refused change rolls back to a savepoint, so none of its partial writes stay.
 */
async function withSavepoint(pool: Db, contextId: string, fn: (tx: Queryable) => Promise<Result<unknown>>): Promise<Result<AdminContext>> {
  return withTransaction(pool, async (tx) => {
    if (!(await lockContext(tx, contextId))) return fail('not_found', NO_SUCH_CONTEXT);
    await tx.query('SAVEPOINT context_change');
    const done = await fn(tx);
    if (!done.ok) {
      await tx.query('ROLLBACK TO SAVEPOINT context_change');
      return done;
    }
    const [context] = await listAdminContexts(tx, contextId);
    return ok(context!);
  });
}

const ruleNames = (rules: { name: string; position: number }[]) => rules.map((r) => `"${r.name}" (rule ${r.position + 1})`).join(', ');

export async function listContexts(pool: Db): Promise<AdminContext[]> {
  return listAdminContexts(pool);
}

export async function getContext(pool: Db, id: string): Promise<Result<AdminContext>> {
  const [context] = await listAdminContexts(pool, id);
  return context ? ok(context) : fail('not_found', NO_SUCH_CONTEXT);
}

export async function createContext(pool: Db, actorId: string, input: ContextCreate): Promise<Result<AdminContext>> {
  const issues = deadlineIssues(input);
  if (issues.length > 0) return fail('invalid', 'The deadlines do not fit together; see issues.', issues);
  if (input.active) {
    // An open context with no categories cannot take a report; say so now rather than at intake.
    if (input.categories.length === 0) {
      return fail('invalid', 'An open context needs at least one category. Add categories, or create it closed (active: false).', [
        { field: 'categories', message: 'must have at least one category while the context is open' },
      ]);
    }
  }
  const id = randomUUID();
  return withTransaction(pool, async (tx) => {
    try {
      await tx.query('SAVEPOINT new_context');
      const { categories, regions, ...fields } = input;
      await createAdminContext(tx, id, fields);
      await replaceListItems(tx, 'categories', id, categories);
      await replaceListItems(tx, 'regions', id, regions);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT new_context');
      return fail('conflict', 'Another context already uses this slug.', [{ field: 'slug', message: 'is already used by another context' }]);
    }
    await appendAudit(tx, {
      actorType: 'staff', actorId, action: 'admin.context_created',
      details: { contextId: id, channel: input.channel, active: input.active, categories: input.categories.length, regions: input.regions.length },
    });
    const [context] = await listAdminContexts(tx, id);
    return ok(context!);
  });
}

export async function updateContext(pool: Db, actorId: string, contextId: string, change: ContextUpdate): Promise<Result<AdminContext>> {
  return withSavepoint(pool, contextId, async (tx) => {
    const [before] = await listAdminContexts(tx, contextId);
    const merged = { ...before!, ...change };
    const issues: FieldIssue[] = deadlineIssues(merged);
    if (merged.active && !before!.active) issues.push(...(await openingIssues(tx, before!)));
    if (issues.length > 0) return fail('invalid', 'This change would leave the context unusable; see issues.', issues);
    if (change.channel && change.channel !== before!.channel) {
      const rules = await rulesContradictingChannel(tx, contextId, change.channel);
      if (rules.length > 0) {
        return fail('conflict', `Routing rule ${ruleNames(rules)} names this context with the ${before!.channel} channel. Change or remove that rule first.`, [
          { field: 'channel', message: `contradicts routing rule ${ruleNames(rules)}` },
        ]);
      }
    }
    try {
      await tx.query('SAVEPOINT context_update');
      await updateAdminContext(tx, contextId, change);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT context_update');
      return fail('conflict', 'Another context already uses this slug.', [{ field: 'slug', message: 'is already used by another context' }]);
    }
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'admin.context_updated', details: { contextId, fields: Object.keys(change).sort() } });
    return ok(true);
  });
}

/** What a closed context lacks before it can be opened to reporters. */
async function openingIssues(tx: Queryable, c: AdminContext): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  if ((await listItemsOf(tx, 'categories', c.id)).length === 0) issues.push({ field: 'active', message: 'cannot open a context without categories' });
  const usable = c.recipients.filter((r) => r.status === 'active' && r.hasKey);
  if (usable.length === 0) issues.push({ field: 'active', message: 'cannot open a context without an active recipient who has keys' });
  return issues;
}

export async function addContextListItem(pool: Db, actorId: string, contextId: string, list: ContextList, item: { id: string; label: string }): Promise<Result<AdminContext>> {
  return withSavepoint(pool, contextId, async (tx) => {
    if (!(await addListItem(tx, list, contextId, item))) {
      return fail('conflict', `This context already has a ${SINGULAR[list]} with the id "${item.id}".`, [{ field: 'id', message: 'is already used in this context' }]);
    }
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'admin.context_list_changed', details: { contextId, list, change: 'added', itemId: item.id } });
    return ok(true);
  });
}

export async function renameContextListItem(pool: Db, actorId: string, contextId: string, list: ContextList, itemId: string, label: string): Promise<Result<AdminContext>> {
  return withSavepoint(pool, contextId, async (tx) => {
    if (!(await renameListItem(tx, list, contextId, itemId, label))) return fail('not_found', `This context has no ${SINGULAR[list]} "${itemId}".`);
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'admin.context_list_changed', details: { contextId, list, change: 'renamed', itemId } });
    return ok(true);
  });
}

export async function reorderContextList(pool: Db, actorId: string, contextId: string, list: ContextList, ids: string[]): Promise<Result<AdminContext>> {
  return withSavepoint(pool, contextId, async (tx) => {
    const items = await listItemsOf(tx, list, contextId);
    const known = new Set(items.map((i) => i.id));
    const unknown = ids.filter((id) => !known.has(id));
    const missing = items.filter((i) => !ids.includes(i.id)).map((i) => i.id);
    if (unknown.length > 0 || missing.length > 0) {
      return fail('invalid', `Send every ${SINGULAR[list]} of the context exactly once, in the new order.`, [
        ...(unknown.length ? [{ field: 'ids', message: `names unknown ${list}: ${unknown.join(', ')}` }] : []),
        ...(missing.length ? [{ field: 'ids', message: `leaves out: ${missing.join(', ')}` }] : []),
      ]);
    }
    const byId = new Map(items.map((i) => [i.id, i]));
    await replaceListItems(tx, list, contextId, ids.map((id) => byId.get(id)!));
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'admin.context_list_changed', details: { contextId, list, change: 'reordered' } });
    return ok(true);
  });
}

export async function removeContextListItem(pool: Db, actorId: string, contextId: string, list: ContextList, itemId: string): Promise<Result<AdminContext>> {
  return withSavepoint(pool, contextId, async (tx) => {
    const rules = await rulesUsingListItem(tx, list, contextId, itemId);
    if (rules.length > 0) {
      return fail('conflict', `The ${SINGULAR[list]} "${itemId}" is used by routing rule ${ruleNames(rules)}. Change or remove that rule first, then remove the ${SINGULAR[list]}.`);
    }
    if (!(await removeListItem(tx, list, contextId, itemId))) return fail('not_found', `This context has no ${SINGULAR[list]} "${itemId}".`);
    if (list === 'categories' && (await listItemsOf(tx, list, contextId)).length === 0) {
      const [c] = await listAdminContexts(tx, contextId);
      if (c!.active) return fail('conflict', 'This is the last category of an open context: reporters could not choose any. Add another first, or close the context.');
    }
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'admin.context_list_changed', details: { contextId, list, change: 'removed', itemId } });
    return ok(true);
  });
}

/**
 * Recipients get a key wrap of every new report, custodians an identity wrap: both must be active
 * with keys. Recipients must be able to handle cases; custodians must hold the custodian role.
 */
export async function setContextPeople(pool: Db, actorId: string, contextId: string, people: ContextPeople, userIds: string[]): Promise<Result<AdminContext>> {
  return withSavepoint(pool, contextId, async (tx) => {
    const found = await findCandidates(tx, userIds);
    const issues: FieldIssue[] = [];
    userIds.forEach((id, i) => {
      const p = found.get(id);
      const field = `userIds.${i}`;
      if (!p) issues.push({ field, message: 'is not a staff member' });
      else if (p.status !== 'active' || !p.hasKey) issues.push({ field, message: 'has not activated an account (no keys yet), or is disabled' });
      else if (people === 'custodians' && !p.roles.includes('custodian')) issues.push({ field, message: 'does not hold the custodian role' });
      else if (people === 'recipients' && !p.roles.some((r) => r === 'investigator' || r === 'supervisor')) {
        issues.push({ field, message: 'cannot handle cases: a recipient needs the investigator or supervisor role' });
      }
    });
    if (issues.length > 0) return fail('invalid', `Some of these people cannot be ${people} of a context; see issues.`, issues);
    if (people === 'recipients' && userIds.length === 0) {
      const [c] = await listAdminContexts(tx, contextId);
      if (c!.active) return fail('conflict', 'An open context needs at least one recipient: reports would have nobody to go to. Close the context first.');
    }
    const { added, removed } = await replaceContextPeople(tx, people, contextId, userIds);
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'admin.context_people_changed', details: { contextId, list: people, added, removed } });
    // Who receives reports or identities: every admin and supervisor is told (services/oversight.ts).
    if (added.length > 0 || removed.length > 0) await tellOversight(tx);
    return ok(true);
  });
}
