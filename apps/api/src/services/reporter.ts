import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { lookupFromAuthKey } from '@sauti/crypto';
import { fail, ok, type Result } from '@sauti/core';
import {
  createReporterSession,
  enqueueOutbox,
  findCaseIdByLookup,
  findMessage,
  getIdentityDisclosedAt,
  getReporterCaseView,
  insertMessage,
  withTransaction,
  type Db,
} from '@sauti/db';

export const REPORTER_AUTH_FAILED = 'This receipt does not open any report. Check it and try again.';

export const tokenDigest = (token: string) => createHash('sha256').update(token).digest();

/** §5: the server recomputes lookup = h(authKey); it never stores authKey. */
export async function openReporterSession(
  deps: { pool: Db; idleSeconds: number },
  authKey: Buffer,
): Promise<Result<{ token: string; expiresAt: string }>> {
  const caseId = await findCaseIdByLookup(deps.pool, Buffer.from(lookupFromAuthKey(authKey)));
  if (!caseId) return fail('unauthenticated', REPORTER_AUTH_FAILED);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = await createReporterSession(deps.pool, { tokenDigest: tokenDigest(token), caseId, idleSeconds: deps.idleSeconds });
  return ok({ token, expiresAt: expiresAt.toISOString() });
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const b64 = (b: Buffer) => b.toString('base64url');

export async function reporterCaseJson(pool: Db, caseId: string, files: unknown[] = []): Promise<Record<string, unknown> | null> {
  const view = await getReporterCaseView(pool, caseId);
  if (!view) return null;
  return {
    id: view.id,
    reference: view.reference,
    status: view.status,
    statusHistory: view.statusHistory.map((h) => ({ status: h.status, at: h.at.toISOString() })),
    receivedAt: view.receivedAt.toISOString(),
    acknowledgedAt: iso(view.acknowledgedAt),
    feedbackDueAt: iso(view.feedbackDueAt),
    report: b64(view.report),
    reporterSealedKey: b64(view.reporterSealedKey),
    identity: view.identity ? { ciphertext: b64(view.identity.ciphertext), reporterSealedKey: b64(view.identity.reporterSealedKey) } : null,
    // When a custodian let the handling team see the reporter's identity (issue 3); null if never.
    identityDisclosedAt: iso(await getIdentityDisclosedAt(pool, caseId)),
    messages: view.messages.map((m) => ({ id: m.id, author: m.author, body: b64(m.body), createdAt: m.createdAt.toISOString() })),
    files,
  };
}

export type PostedMessage = { id: string; author: 'reporter'; createdAt: string };

/** Idempotent per message id: same id and body → the first answer again; other body or case → conflict. */
export async function postReporterMessage(pool: Db, caseId: string, message: { id: string; body: string }): Promise<Result<{ created: boolean; message: PostedMessage }>> {
  const body = Buffer.from(message.body, 'base64url');
  const createdAt = await withTransaction(pool, async (tx) => {
    const at = await insertMessage(tx, { id: message.id, caseId, author: 'reporter', body });
    if (at) await enqueueOutbox(tx, { id: randomUUID(), topic: 'case.reporter_message', aggregateId: caseId });
    return at;
  });
  if (createdAt) return ok({ created: true, message: { id: message.id, author: 'reporter', createdAt: createdAt.toISOString() } });
  const existing = await findMessage(pool, message.id);
  if (existing && existing.caseId === caseId && existing.author === 'reporter' && existing.body.equals(body)) {
    return ok({ created: false, message: { id: existing.id, author: 'reporter', createdAt: existing.createdAt.toISOString() } });
  }
  return fail('conflict', 'A different message was already sent with this id. Generate a new id to send another message.', [
    { field: 'id', message: 'is already used by a different message' },
  ]);
}
