import { randomBytes, randomUUID } from 'node:crypto';
import { lookupFromAuthKey } from '@sauti/crypto';
import { fail, MESSAGE_PAGE_DEFAULT, MESSAGE_PAGE_MAX_BYTES, ok, type MessagePageQuery, type PostedMessage, type ReporterSessionAnswer, type Result } from '@sauti/core';
import {
  createReporterSession,
  enqueueOutbox,
  findCaseIdByLookup,
  findMessage,
  getIdentityDisclosedAt,
  getReporterCaseView,
  insertMessage,
  withTransaction,
  deleteReporterSession,
  listUploadedCaseFiles,
  type CaseFileRecord,
  listMessagePage,
  lockCaseMessageUsage,
  type MessagePage,
  type ReporterSessionLimits,
  type Db,
  type ReporterCaseRecord,
} from '@sauti/db';
import { tokenDigest, type ReporterPrincipal } from '../auth';

const REPORTER_AUTH_FAILED = 'This receipt does not open any report. Check it and try again.';

/** §5: the server recomputes lookup = h(authKey); it never stores authKey. */
export async function openReporterSession(
  deps: { pool: Db; sessions: ReporterSessionLimits },
  authKey: Buffer,
): Promise<Result<ReporterSessionAnswer>> {
  const caseId = await findCaseIdByLookup(deps.pool, Buffer.from(lookupFromAuthKey(authKey)));
  if (!caseId) return fail('unauthenticated', REPORTER_AUTH_FAILED);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = await withTransaction(deps.pool, (tx) => createReporterSession(tx, { tokenDigest: tokenDigest(token), caseId, ...deps.sessions }));
  return ok({ token, expiresAt: expiresAt.toISOString() });
}

/** Per-case caps on messages (both sides together), by count and stored bytes. */
export type MessageCaps = { maxCount: number; maxBytes: number };

export const messagesFull = (caps: MessageCaps) =>
  fail<never>('too_large', `This case already holds the most messages it can (${caps.maxCount} messages or ${Math.round(caps.maxBytes / 1024 / 1024)} MiB). Continue the conversation another way (the case handler can say how).`, [
    { field: 'body', message: 'would exceed the case message limit' },
  ]);

export type ReporterCaseDetail = { view: ReporterCaseRecord; identityDisclosedAt: Date | null; files: CaseFileRecord[] };

/** What the reporter sees of its own case: ciphertexts, public status and its files; never staff names. */
export async function reporterCase(pool: Db, caseId: string): Promise<Result<ReporterCaseDetail>> {
  const view = await getReporterCaseView(pool, caseId, { limit: MESSAGE_PAGE_DEFAULT, maxBytes: MESSAGE_PAGE_MAX_BYTES });
  if (!view) return fail('unauthenticated', REPORTER_AUTH_FAILED);
  const [identityDisclosedAt, files] = await Promise.all([getIdentityDisclosedAt(pool, caseId), listUploadedCaseFiles(pool, caseId)]);
  return ok({ view, identityDisclosedAt, files });
}

/** A page of the reporter's own messages, older than `before` (a message of this case). */
export async function reporterMessages(pool: Db, caseId: string, query: MessagePageQuery): Promise<Result<MessagePage>> {
  const page = await listMessagePage(pool, caseId, query.before ?? null, { limit: query.limit, maxBytes: MESSAGE_PAGE_MAX_BYTES });
  return page ? ok(page) : fail('invalid', UNKNOWN_CURSOR, [{ field: 'before', message: 'is not a message of this case' }]);
}

export const UNKNOWN_CURSOR = 'There is no message with this id in this case. Pass as before the older value of the page you have.';

export async function closeReporterSession(pool: Db, reporter: ReporterPrincipal): Promise<void> {
  await deleteReporterSession(pool, reporter.tokenDigest);
}

/** Idempotent per message id: same id and body → the first answer again; other body or case → conflict. */
export async function postReporterMessage(
  pool: Db,
  caseId: string,
  message: { id: string; body: string },
  caps: MessageCaps = { maxCount: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER },
): Promise<Result<{ created: boolean; message: PostedMessage }>> {
  const body = Buffer.from(message.body, 'base64url');
  const createdAt = await withTransaction(pool, async (tx) => {
    const usage = await lockCaseMessageUsage(tx, caseId);
    if ((await findMessage(tx, message.id)) === null && (usage.count + 1 > caps.maxCount || usage.bytes + body.length > caps.maxBytes)) return 'full' as const;
    const at = await insertMessage(tx, { id: message.id, caseId, author: 'reporter', body });
    if (at) await enqueueOutbox(tx, { id: randomUUID(), topic: 'case.reporter_message', aggregateId: caseId });
    return at;
  });
  if (createdAt === 'full') return messagesFull(caps);
  if (createdAt) return ok({ created: true, message: { id: message.id, author: 'reporter' as const, createdAt: createdAt.toISOString() } });
  const existing = await findMessage(pool, message.id);
  if (existing && existing.caseId === caseId && existing.author === 'reporter' && existing.body.equals(body)) {
    return ok({ created: false, message: { id: existing.id, author: 'reporter' as const, createdAt: existing.createdAt.toISOString() } });
  }
  return fail('conflict', 'A different message was already sent with this id. Generate a new id to send another message.', [
    { field: 'id', message: 'is already used by a different message' },
  ]);
}
