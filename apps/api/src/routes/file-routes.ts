import { pipeline } from 'node:stream/promises';
import { AEAD_OVERHEAD, b64Bytes, isUuidV4, uuidV4 } from '@sauti/core';
import { PgBlobStore, staffHoldsCase } from '@sauti/db';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { AppError, fromDomainError } from '../http/errors';
import { reporterCaseId, requireReporter } from '../http/reporter-auth';
import { requireJson } from '../http/security';
import { requireStaff, staffOf } from '../http/staff-auth';
import { parseBody } from '../http/validate';
import { listFiles, MIN_FILE_STREAM_BYTES, openFileContent, registerFile, storeFileContent, type FileActor } from '../services/files';

/** name, type, size and key, JSON-encoded and sealed: a few hundred bytes; this leaves room for long names. */
export const FILE_META_MAX_BYTES = 4096;

const fileRegistrationSchema = z.strictObject({
  id: uuidV4,
  meta: b64Bytes({ max: FILE_META_MAX_BYTES, min: AEAD_OVERHEAD }),
  size: z
    .number({ error: 'must be the length of the encrypted stream in bytes' })
    .int({ error: 'must be a whole number of bytes' })
    .min(MIN_FILE_STREAM_BYTES, { error: `must be at least ${MIN_FILE_STREAM_BYTES} bytes (the encrypted stream of an empty file)` }),
});

/** Which case a request acts on, and as whom. */
type Scope = (req: Request, res: Response) => Promise<{ caseId: string; actor: FileActor }>;

const reporterScope: Scope = async (_req, res) => ({ caseId: reporterCaseId(res), actor: { kind: 'reporter' } });

function fileIdOf(req: Request): string {
  const id = req.params.fileId;
  if (typeof id !== 'string' || !isUuidV4(id)) throw new AppError(400, 'The file id in the address must be a lowercase UUID v4.');
  return id;
}

/**
 * PROTOCOL.md §7, for reporters under /reporter/case and mirrored for staff under
 * /staff/cases/:caseId. Content goes in and out as a stream: it is never parsed or buffered whole.
 */
export function fileRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool, config, log } = deps;
  const blobs = deps.blobs ?? new PgBlobStore(pool);
  const limits = { fileMaxBytes: config.FILE_MAX_BYTES, caseMaxBytes: config.CASE_FILES_MAX_BYTES, caseMaxCount: config.CASE_FILES_MAX_COUNT };
  const json = express.json({ limit: 16 * 1024, strict: true });

  /** Staff reach a case's files only while they hold a key wrap for it; otherwise the case does not exist for them. */
  const staffScope: Scope = async (req, res) => {
    const { userId } = staffOf(res);
    const caseId = req.params.caseId;
    if (typeof caseId !== 'string' || !isUuidV4(caseId) || !(await staffHoldsCase(pool, userId, caseId))) {
      throw new AppError(404, 'There is no case with this id that you hold the keys for.');
    }
    return { caseId, actor: { kind: 'staff', userId } };
  };

  const list = (scope: Scope): RequestHandler => async (req, res) => {
    const { caseId } = await scope(req, res);
    res.json({ files: await listFiles(pool, caseId) });
  };

  const register = (scope: Scope): RequestHandler => async (req, res) => {
    const { caseId, actor } = await scope(req, res);
    const input = parseBody(fileRegistrationSchema, req.body);
    const result = await registerFile({ pool, limits }, caseId, actor, input);
    if (!result.ok) throw fromDomainError(result.error);
    res.status(result.value.created ? 201 : 200).json(result.value.file);
  };

  const upload = (scope: Scope): RequestHandler => async (req, res) => {
    const { caseId, actor } = await scope(req, res);
    const fileId = fileIdOf(req);
    // Whatever is refused before the body is read: close the connection rather than drain a large body.
    const refuse = (status: number, message: string) => new AppError(status, message, undefined, { Connection: 'close' });
    const header = req.headers['content-length'];
    if (header === undefined) {
      throw refuse(411, 'Send the file with a Content-Length header equal to its registered size (chunked uploads are not accepted).');
    }
    if (!req.is('application/octet-stream')) {
      throw refuse(415, 'Send the encrypted stream as the raw request body with Content-Type: application/octet-stream.');
    }
    if (!/^\d{1,16}$/.test(header)) throw refuse(400, 'The Content-Length header must be a number of bytes.');
    const result = await storeFileContent({ pool, blobs }, caseId, actor, fileId, Number(header), req);
    if (!result.ok) {
      const error = fromDomainError(result.error);
      throw req.complete ? error : refuse(error.status, error.message);
    }
    res.status(204).end();
  };

  const download = (scope: Scope): RequestHandler => async (req, res) => {
    const { caseId } = await scope(req, res);
    const result = await openFileContent({ pool, blobs }, caseId, fileIdOf(req));
    if (!result.ok) throw fromDomainError(result.error);
    res.status(200);
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(result.value.size));
    res.setHeader('Content-Disposition', 'attachment');
    try {
      await pipeline(result.value.stream, res);
    } catch (error) {
      // The response is cut short (the client sees fewer bytes than Content-Length); nothing else to say.
      log.warn({ err: { type: (error as Error).name, code: (error as { code?: string }).code } }, 'file download did not complete');
    }
  };

  const reporter = requireReporter(deps);
  router.post('/reporter/case/files', reporter, requireJson, json, register(reporterScope));
  router.put('/reporter/case/files/:fileId/content', reporter, upload(reporterScope));
  router.get('/reporter/case/files/:fileId/content', reporter, download(reporterScope));

  const staff = requireStaff(deps);
  router.get('/staff/cases/:caseId/files', staff, list(staffScope));
  router.post('/staff/cases/:caseId/files', staff, requireJson, json, register(staffScope));
  router.put('/staff/cases/:caseId/files/:fileId/content', staff, upload(staffScope));
  router.get('/staff/cases/:caseId/files/:fileId/content', staff, download(staffScope));
  return router;
}
