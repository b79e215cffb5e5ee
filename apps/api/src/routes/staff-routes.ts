import {
  caseListQuerySchema,
  grantSchema,
  identityApprovalSchema,
  identityRequestSchema,
  isUuidV4,
  may,
  noteSchema,
  staffMessageSchema,
  statusChangeSchema,
} from '@sauti/core';
import { caseStatistics, findStaffById, listStaff } from '@sauti/db';
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { AppError, fromDomainError } from '../http/errors';
import { requireJson } from '../http/security';
import { requireRole, requireStaff, staffOf } from '../http/staff-auth';
import { parseBody } from '../http/validate';
import { addNote, CASE_NOT_FOUND, changeCaseStatus, listCases, postStaffMessage, viewCase } from '../services/staff-cases';
import { grantCase, recuse, revokeGrant } from '../services/staff-grants';
import { custodianQueue, decideIdentity, requestIdentity } from '../services/staff-identity';

const b64 = (v: Buffer | null) => (v ? v.toString('base64url') : null);

/** A malformed id names nothing the caller may see: the same 404 as a case it may not see. */
function idParam(req: Request, name: string, notFound = CASE_NOT_FOUND): string {
  const value = req.params[name];
  if (typeof value !== 'string' || !isUuidV4(value)) throw new AppError(404, notFound);
  return value;
}

const requestStatusQuery = z.strictObject({ status: z.enum(['pending', 'approved', 'denied', 'all'], { error: 'must be pending, approved, denied or all' }).default('pending') });

/** The staff workspace API. Every route needs a session; case routes answer 404 for cases the caller does not hold. */
export function staffRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool } = deps;
  const json = [requireJson, express.json({ limit: 128 * 1024, strict: true })];
  router.use(requireStaff(deps));

  router.get('/me', async (_req, res) => {
    const me = await findStaffById(pool, staffOf(res).userId);
    if (!me) throw new AppError(401, 'Your account no longer exists. Sign in again.');
    res.json({
      id: me.id, email: me.email, displayName: me.displayName, roles: me.roles, unitId: me.unitId, publicKey: b64(me.publicKey),
      encryptedPrivateKey: b64(me.encryptedPrivateKey), recoveryEncryptedPrivateKey: b64(me.recoveryEncryptedPrivateKey),
    });
  });

  /** Colleagues a case can be granted to, with their public keys. */
  router.get('/directory', async (_req, res) => {
    const people = await listStaff(pool, { activeWithKeysOnly: true });
    res.json({
      items: people.map((p) => ({
        id: p.id, displayName: p.displayName, unitId: p.unitId, unitName: p.unitName, roles: p.roles, publicKey: b64(p.publicKey),
        canHandleCases: may(p.roles, 'handleCases'),
      })),
    });
  });

  router.get('/stats', requireRole('analyst', 'supervisor', 'admin'), async (_req, res) => {
    res.json(await caseStatistics(pool));
  });

  router.get('/cases', async (req, res) => {
    const query = caseListQuerySchema.safeParse(req.query);
    if (!query.success) throw new AppError(400, 'Some filters are not valid; see issues.', query.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(query)', message: i.message })));
    res.json(await listCases(pool, staffOf(res), query.data));
  });

  router.get('/cases/:id', async (req, res) => {
    const result = await viewCase(pool, staffOf(res), idParam(req, 'id'));
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  router.post('/cases/:id/status', ...json, async (req, res) => {
    const caseId = idParam(req, 'id');
    const result = await changeCaseStatus(pool, staffOf(res), caseId, parseBody(statusChangeSchema, req.body));
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  router.post('/cases/:id/messages', ...json, async (req, res) => {
    const caseId = idParam(req, 'id');
    const result = await postStaffMessage(pool, staffOf(res), caseId, parseBody(staffMessageSchema, req.body));
    if (!result.ok) throw fromDomainError(result.error);
    res.status(result.value.created ? 201 : 200).json(result.value.message);
  });

  router.post('/cases/:id/notes', ...json, async (req, res) => {
    const caseId = idParam(req, 'id');
    const result = await addNote(pool, staffOf(res), caseId, parseBody(noteSchema, req.body));
    if (!result.ok) throw fromDomainError(result.error);
    res.status(result.value.created ? 201 : 200).json(result.value.note);
  });

  router.post('/cases/:id/grants', ...json, async (req, res) => {
    const caseId = idParam(req, 'id');
    const result = await grantCase(pool, staffOf(res), caseId, parseBody(grantSchema, req.body));
    if (!result.ok) throw fromDomainError(result.error);
    res.status(201).json(result.value);
  });

  router.delete('/cases/:id/grants/:userId', async (req, res) => {
    const caseId = idParam(req, 'id');
    const userId = idParam(req, 'userId', 'This person does not hold the case.');
    const result = await revokeGrant(pool, staffOf(res), caseId, userId);
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  router.post('/cases/:id/recusal', async (req, res) => {
    const result = await recuse(pool, staffOf(res), idParam(req, 'id'));
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  router.post('/cases/:id/identity-requests', ...json, async (req, res) => {
    const caseId = idParam(req, 'id');
    const result = await requestIdentity(pool, staffOf(res), caseId, parseBody(identityRequestSchema, req.body));
    if (!result.ok) throw fromDomainError(result.error);
    res.status(201).json(result.value);
  });

  router.get('/identity-requests', requireRole('custodian'), async (req, res) => {
    const query = requestStatusQuery.safeParse(req.query);
    if (!query.success) throw new AppError(400, 'status must be pending, approved, denied or all.');
    res.json(await custodianQueue(pool, staffOf(res), query.data.status === 'all' ? null : query.data.status));
  });

  const REQUEST_NOT_FOUND = 'There is no identity request with this id that you may decide.';

  router.post('/identity-requests/:id/approve', requireRole('custodian'), ...json, async (req, res) => {
    const requestId = idParam(req, 'id', REQUEST_NOT_FOUND);
    const { sealedKey } = parseBody(identityApprovalSchema, req.body);
    const result = await decideIdentity(pool, staffOf(res), requestId, { approve: true, sealedKey });
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  router.post('/identity-requests/:id/deny', requireRole('custodian'), async (req, res) => {
    const result = await decideIdentity(pool, staffOf(res), idParam(req, 'id', REQUEST_NOT_FOUND), { approve: false });
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  return router;
}
