import { inviteSchema, isUuidV4, staffUpdateSchema, unitSchema, unitUpdateSchema } from '@sauti/core';
import { listStaff, listUnits } from '@sauti/db';
import express, { Router, type Request } from 'express';
import type { ApiDeps } from '../deps';
import { AppError, fromDomainError } from '../http/errors';
import { requireJson } from '../http/security';
import { requireRole, requireStaff, staffOf } from '../http/staff-auth';
import { parseBody } from '../http/validate';
import { createStaffUnit, disableStaff, enableStaff, updateStaffMember, updateStaffUnit } from '../services/staff-admin';
import { createStaffInvite } from '../services/staff-invites';

function idParam(req: Request, what: string): string {
  const value = req.params.id;
  if (typeof value !== 'string' || !isUuidV4(value)) throw new AppError(404, `There is no ${what} with this id.`);
  return value;
}

/** Administration: invitations, people, roles, units. Admins only. */
export function adminRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool } = deps;
  const json = [requireJson, express.json({ limit: 16 * 1024, strict: true })];
  router.use(requireStaff(deps), requireRole('admin'));

  router.get('/staff', async (_req, res) => {
    const people = await listStaff(pool);
    res.json({
      items: people.map((p) => ({
        id: p.id, email: p.email, displayName: p.displayName, unitId: p.unitId, unitName: p.unitName, roles: p.roles, status: p.status,
        createdAt: p.createdAt.toISOString(), activatedAt: p.activatedAt ? p.activatedAt.toISOString() : null,
      })),
    });
  });

  router.post('/invites', ...json, async (req, res) => {
    const result = await createStaffInvite({ pool, serverSecret: deps.deployment.serverSecret }, parseBody(inviteSchema, req.body), staffOf(res).userId);
    if (!result.ok) throw fromDomainError(result.error);
    // The link goes only to the invitee's mailbox, never back to the admin.
    res.status(201).json({ userId: result.value.userId, inviteId: result.value.inviteId, expiresAt: result.value.expiresAt.toISOString() });
  });

  router.patch('/staff/:id', ...json, async (req, res) => {
    const userId = idParam(req, 'staff member');
    const result = await updateStaffMember(pool, staffOf(res).userId, userId, parseBody(staffUpdateSchema, req.body));
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  router.post('/staff/:id/disable', async (req, res) => {
    const result = await disableStaff(pool, staffOf(res).userId, idParam(req, 'staff member'));
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  router.post('/staff/:id/enable', async (req, res) => {
    const result = await enableStaff(pool, staffOf(res).userId, idParam(req, 'staff member'));
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  router.get('/units', async (_req, res) => {
    res.json({ items: await listUnits(pool) });
  });

  router.post('/units', ...json, async (req, res) => {
    const result = await createStaffUnit(pool, staffOf(res).userId, parseBody(unitSchema, req.body));
    if (!result.ok) throw fromDomainError(result.error);
    res.status(201).json(result.value);
  });

  router.patch('/units/:id', ...json, async (req, res) => {
    const unitId = idParam(req, 'unit');
    const result = await updateStaffUnit(pool, staffOf(res).userId, unitId, parseBody(unitUpdateSchema, req.body));
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  return router;
}
