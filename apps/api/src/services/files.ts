import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { fail, ok, type Result } from '@sauti/core';
import { encryptedFileSize, FILE_CHUNK_OVERHEAD, FILE_HEADER } from '@sauti/crypto';
import {
  appendAudit,
  attachFileContent,
  BlobLengthError,
  enqueueOutbox,
  findCaseFile,
  insertCaseFile,
  listUploadedCaseFiles,
  lockCaseFileUsage,
  staffHoldsCase,
  withTransaction,
  type BlobStore,
  type CaseFileRecord,
  type Db,
} from '@sauti/db';
import { formatBytes } from '../format';

/** Who acts on a case's files: its reporter, or a staff member who holds the case's keys. */
export type FileActor = { kind: 'reporter' } | { kind: 'staff'; userId: string };

export type FileLimits = {
  /** Per file, in plaintext bytes (the stream may add SIP/1's overhead on top). */
  fileMaxBytes: number;
  /** Per case, in stored (encrypted) bytes, registered files included. */
  caseMaxBytes: number;
  caseMaxCount: number;
};

/** The shortest valid stream: header plus one empty FINAL chunk. */
export const MIN_FILE_STREAM_BYTES = FILE_HEADER + FILE_CHUNK_OVERHEAD;

const FILE_NOT_FOUND = 'There is no uploaded file with this id in this case.';

/** Staff reach a case's files only while they hold a key wrap for it; otherwise the case does not exist for them. */
export async function staffFileAccess(pool: Db, userId: string, caseId: string): Promise<Result<FileActor>> {
  if (!(await staffHoldsCase(pool, userId, caseId))) return fail('not_found', 'There is no case with this id that you hold the keys for.');
  return ok({ kind: 'staff', userId });
}

const isAuthor = (f: CaseFileRecord, actor: FileActor) =>
  actor.kind === 'reporter' ? f.author === 'reporter' : f.author === 'staff' && f.authorUserId === actor.userId;

export async function listFiles(pool: Db, caseId: string): Promise<CaseFileRecord[]> {
  return listUploadedCaseFiles(pool, caseId);
}

/**
 * §7 POST …/files: records meta and size. Idempotent per id: the same registration again answers
 * the first one; anything else under that id is a conflict. Limits count registered files too,
 * so that many registrations cannot be uploaded past the case's limit afterwards.
 */
export async function registerFile(
  deps: { pool: Db; limits: FileLimits },
  caseId: string,
  actor: FileActor,
  input: { id: string; meta: string; size: number },
): Promise<Result<{ created: boolean; file: CaseFileRecord }>> {
  const { limits } = deps;
  if (input.size > encryptedFileSize(limits.fileMaxBytes)) {
    return fail('too_large', `The file is larger than ${formatBytes(limits.fileMaxBytes)}, the most one file may be.`, [
      { field: 'size', message: `file is larger than ${formatBytes(limits.fileMaxBytes)}` },
    ]);
  }
  const meta = Buffer.from(input.meta, 'base64url');
  const authorUserId = actor.kind === 'staff' ? actor.userId : null;
  type Outcome =
    | { kind: 'created' | 'exists'; file: CaseFileRecord }
    | { kind: 'no_case' }
    | { kind: 'count' | 'bytes'; count: number; bytes: number };
  const outcome = await withTransaction(deps.pool, async (tx): Promise<Outcome> => {
    const usage = await lockCaseFileUsage(tx, caseId);
    if (!usage) return { kind: 'no_case' };
    const existing = await findCaseFile(tx, input.id);
    if (existing) return { kind: 'exists', file: existing };
    if (usage.count >= limits.caseMaxCount) return { kind: 'count', ...usage };
    if (usage.bytes + input.size > limits.caseMaxBytes) return { kind: 'bytes', ...usage };
    const file = await insertCaseFile(tx, { id: input.id, caseId, author: actor.kind, authorUserId, meta, size: input.size });
    // Null only when another case took this id in the meantime.
    return file ? { kind: 'created', file } : { kind: 'exists', file: (await findCaseFile(tx, input.id))! };
  });
  switch (outcome.kind) {
    case 'no_case':
      return fail('not_found', 'This case does not exist (any more).');
    case 'count':
      return fail('too_large', `This case already has ${limits.caseMaxCount} files, the most a case may hold.`);
    case 'bytes':
      return fail(
        'too_large',
        `The files of this case would together be larger than ${formatBytes(limits.caseMaxBytes)}, the most a case may hold ` +
          `(${formatBytes(Math.max(0, limits.caseMaxBytes - outcome.bytes))} left).`,
      );
    case 'created':
      return ok({ created: true, file: outcome.file });
    case 'exists': {
      const f = outcome.file;
      if (f.caseId === caseId && isAuthor(f, actor) && f.size === input.size && f.meta.equals(meta)) return ok({ created: false, file: f });
      return fail('conflict', 'A different file was already registered with this id. Generate a new id to send another file.', [
        { field: 'id', message: 'is already used by a different file' },
      ]);
    }
  }
}

/** The client went away mid-body. */
function isBrokenOff(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === 'ECONNRESET' || e?.code === 'ERR_STREAM_PREMATURE_CLOSE' || e?.message === 'aborted';
}

/**
 * §7 PUT …/content: streams exactly `size` bytes into the blob store, then lists the file. Any
 * other length, or a body that breaks off, keeps nothing; the upload can then start again.
 */
export async function storeFileContent(
  deps: { pool: Db; blobs: BlobStore },
  caseId: string,
  actor: FileActor,
  fileId: string,
  declaredLength: number,
  body: AsyncIterable<Uint8Array>,
): Promise<Result<{ size: number }>> {
  const file = await findCaseFile(deps.pool, fileId);
  if (!file || file.caseId !== caseId) return fail('not_found', 'There is no file with this id in this case. Register it first with POST …/files.');
  if (!isAuthor(file, actor)) return fail('forbidden', 'Only whoever registered this file can upload its content.');
  if (file.blobId) return fail('conflict', 'The content of this file is already stored and cannot be replaced. Register a new file to send another.');
  if (declaredLength !== file.size) {
    return fail('invalid', `The body is ${declaredLength} bytes, but the file was registered with size ${file.size}. Send exactly the encrypted stream.`);
  }
  let blobId: string;
  try {
    blobId = await deps.blobs.put(body, file.size);
  } catch (error) {
    if (error instanceof BlobLengthError) {
      const got = error.more ? `more than ${file.size}` : String(error.received);
      return fail('invalid', `The body held ${got} bytes, but the file was registered with size ${file.size}; nothing was kept.`);
    }
    if (isBrokenOff(error)) {
      return fail('invalid', `The upload broke off before all ${file.size} bytes arrived; nothing was kept. Send the file again from the start.`);
    }
    throw error;
  }
  const attached = await withTransaction(deps.pool, async (tx) => {
    if (!(await attachFileContent(tx, fileId, blobId))) return false;
    await appendAudit(tx, {
      actorType: actor.kind, actorId: actor.kind === 'staff' ? actor.userId : null, action: 'file.added', caseId, details: { fileId },
    });
    // A reporter's new evidence is case activity for the assignee (a content-free e-mail).
    if (actor.kind === 'reporter') await enqueueOutbox(tx, { id: randomUUID(), topic: 'case.reporter_message', aggregateId: caseId });
    return true;
  });
  if (!attached) {
    await deps.blobs.delete(blobId).catch(() => undefined);
    return fail('conflict', 'The content of this file was stored by another upload at the same time; this copy was not kept.');
  }
  return ok({ size: file.size });
}

/** §7 GET …/content: the stream as stored, for anyone with access to the case. */
export async function openFileContent(
  deps: { pool: Db; blobs: BlobStore },
  caseId: string,
  fileId: string,
): Promise<Result<{ size: number; stream: Readable }>> {
  const file = await findCaseFile(deps.pool, fileId);
  if (!file || file.caseId !== caseId || !file.blobId) return fail('not_found', FILE_NOT_FOUND);
  const stream = await deps.blobs.get(file.blobId);
  if (!stream) return fail('not_found', FILE_NOT_FOUND);
  return ok({ size: file.size, stream });
}
