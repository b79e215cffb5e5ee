import { pipeline } from 'node:stream/promises';
import { fileRegistrationSchema, isUuidV4, type FileList } from '@sauti/core';
import { PgBlobStore } from '@sauti/db';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { ApiDeps } from '../deps';
import { AppError, fromDomainError, orThrow } from '../http/errors';
import { reporterOf, requireReporter, staffOf } from '../http/guards';
import { requireJson } from '../http/security';
import { parseBody } from '../http/validate';
import { presentFile } from '../presenters/reporter';
import { checkHandler } from '../services/staff-cases';
import { listFiles, MIN_FILE_STREAM_BYTES, openFileContent, registerFile, staffFileAccess, storeFileContent, type FileActor } from '../services/files';

const registrationSchema = fileRegistrationSchema(MIN_FILE_STREAM_BYTES);

/** Which case a request acts on, and as whom. */
type Scope = (req: Request, res: Response) => Promise<{ caseId: string; actor: FileActor }>;

const reporterScope: Scope = async (_req, res) => ({ caseId: reporterOf(res).caseId, actor: { kind: 'reporter' } });

function fileIdOf(req: Request): string {
  const id = req.params.fileId;
  if (typeof id !== 'string' || !isUuidV4(id)) throw new AppError(400, 'The file id in the address must be a lowercase UUID v4.');
  return id;
}

/**
 * docs/protocol.md §7, for reporters under /reporter/case and mirrored for staff under
 * /staff/cases/:caseId (behind the staff guard app.ts mounts on /api/v1/staff). Content goes in
 * and out as a stream: it is never parsed or buffered whole.
 */
export function fileRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool, config, log } = deps;
  const blobs = deps.blobs ?? new PgBlobStore(pool);
  const limits = { fileMaxBytes: config.FILE_MAX_BYTES, caseMaxBytes: config.CASE_FILES_MAX_BYTES, caseMaxCount: config.CASE_FILES_MAX_COUNT };
  const json = express.json({ limit: 16 * 1024, strict: true });

  const staffScope: Scope = async (req, res) => {
    const caseId = req.params.caseId;
    if (typeof caseId !== 'string' || !isUuidV4(caseId)) throw new AppError(404, 'There is no case with this id that you hold the keys for.');
    return { caseId, actor: orThrow(await staffFileAccess(pool, staffOf(res).userId, caseId)) };
  };

  // Adding files changes the case: like messages and status, it needs a role that handles cases
  // (an analyst who still holds a key may read them, not add to them).
  const staffHandlerScope: Scope = async (req, res) => {
    const scoped = await staffScope(req, res);
    orThrow(await checkHandler(pool, staffOf(res), scoped.caseId));
    return scoped;
  };

  const list = (scope: Scope): RequestHandler => async (req, res) => {
    const { caseId } = await scope(req, res);
    const body: FileList = { files: (await listFiles(pool, caseId)).map(presentFile) };
    res.json(body);
  };

  const register = (scope: Scope): RequestHandler => async (req, res) => {
    const { caseId, actor } = await scope(req, res);
    const input = parseBody(registrationSchema, req.body);
    await deps.limits.consume('caseFiles', caseId);
    const { created, file } = orThrow(await registerFile({ pool, limits }, caseId, actor, input));
    res.status(created ? 201 : 200).json(presentFile(file));
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
    const { size, stream } = orThrow(await openFileContent({ pool, blobs }, caseId, fileIdOf(req)));
    res.status(200);
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(size));
    res.setHeader('Content-Disposition', 'attachment');
    try {
      await pipeline(stream, res);
    } catch (error) {
      // The response is cut short (the client sees fewer bytes than Content-Length); nothing else to say.
      log.warn({ err: { type: (error as Error).name, code: (error as { code?: string }).code } }, 'file download did not complete');
    }
  };

  const reporter = requireReporter(deps);
  router.post('/reporter/case/files', reporter, requireJson, json, register(reporterScope));
  router.put('/reporter/case/files/:fileId/content', reporter, upload(reporterScope));
  router.get('/reporter/case/files/:fileId/content', reporter, download(reporterScope));

  router.get('/staff/cases/:caseId/files', list(staffScope));
  router.post('/staff/cases/:caseId/files', requireJson, json, register(staffHandlerScope));
  router.put('/staff/cases/:caseId/files/:fileId/content', upload(staffHandlerScope));
  router.get('/staff/cases/:caseId/files/:fileId/content', download(staffScope));
  return router;
}
