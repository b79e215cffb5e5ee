import {
  contextCreateSchema,
  contextPeopleSchema,
  contextUpdateSchema,
  isUuidV4,
  listItemCreateSchema,
  listItemRenameSchema,
  listOrderSchema,
  type Result,
} from '@sauti/core';
import type { AdminContext, ContextList, ContextPeople } from '@sauti/db';
import express, { Router, type Request, type Response } from 'express';
import type { ApiDeps } from '../deps';
import { AppError, fromDomainError } from '../http/errors';
import { requireJson } from '../http/security';
import { requireRole, requireStaff, staffOf } from '../http/staff-auth';
import { parseBody } from '../http/validate';
import {
  addContextListItem,
  createContext,
  getContext,
  listContexts,
  removeContextListItem,
  renameContextListItem,
  reorderContextList,
  setContextPeople,
  updateContext,
} from '../services/admin-contexts';
import { resetStaffTotp } from '../services/totp-reset';

function contextId(req: Request): string {
  const value = req.params.id;
  if (typeof value !== 'string' || !isUuidV4(value)) throw new AppError(404, 'There is no context with this id.');
  return value;
}

function itemId(req: Request): string {
  const value = req.params.itemId;
  // Ids are short and plain (see listItemId); anything else cannot exist.
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(value)) throw new AppError(404, 'There is no such entry in this context.');
  return value;
}

const view = (c: AdminContext) => ({ ...c, createdAt: c.createdAt.toISOString() });

function answer(res: Response, result: Result<AdminContext>, status = 200): void {
  if (!result.ok) throw fromDomainError(result.error);
  res.status(status).json(view(result.value));
}

/** Administration: contexts with their categories, regions, recipients and custodians; TOTP reset. Admins only. */
export function adminContextRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool } = deps;
  const json = [requireJson, express.json({ limit: 64 * 1024, strict: true })];
  router.use(requireStaff(deps), requireRole('admin'));

  router.get('/contexts', async (_req, res) => {
    res.json({ items: (await listContexts(pool)).map(view) });
  });

  router.post('/contexts', ...json, async (req, res) => {
    answer(res, await createContext(pool, staffOf(res).userId, parseBody(contextCreateSchema, req.body)), 201);
  });

  router.get('/contexts/:id', async (req, res) => {
    answer(res, await getContext(pool, contextId(req)));
  });

  router.patch('/contexts/:id', ...json, async (req, res) => {
    const id = contextId(req);
    answer(res, await updateContext(pool, staffOf(res).userId, id, parseBody(contextUpdateSchema, req.body)));
  });

  for (const list of ['categories', 'regions'] as const satisfies readonly ContextList[]) {
    router.post(`/contexts/:id/${list}`, ...json, async (req, res) => {
      const id = contextId(req);
      answer(res, await addContextListItem(pool, staffOf(res).userId, id, list, parseBody(listItemCreateSchema, req.body)), 201);
    });
    // Registered before "/:itemId" so that "order" is never read as an id.
    router.put(`/contexts/:id/${list}/order`, ...json, async (req, res) => {
      const id = contextId(req);
      answer(res, await reorderContextList(pool, staffOf(res).userId, id, list, parseBody(listOrderSchema, req.body).ids));
    });
    router.patch(`/contexts/:id/${list}/:itemId`, ...json, async (req, res) => {
      const id = contextId(req);
      const item = itemId(req);
      answer(res, await renameContextListItem(pool, staffOf(res).userId, id, list, item, parseBody(listItemRenameSchema, req.body).label));
    });
    router.delete(`/contexts/:id/${list}/:itemId`, async (req, res) => {
      const id = contextId(req);
      answer(res, await removeContextListItem(pool, staffOf(res).userId, id, list, itemId(req)));
    });
  }

  for (const people of ['recipients', 'custodians'] as const satisfies readonly ContextPeople[]) {
    router.put(`/contexts/:id/${people}`, ...json, async (req, res) => {
      const id = contextId(req);
      answer(res, await setContextPeople(pool, staffOf(res).userId, id, people, parseBody(contextPeopleSchema, req.body).userIds));
    });
  }

  router.post('/staff/:id/totp-reset', async (req, res) => {
    const userId = req.params.id;
    if (typeof userId !== 'string' || !isUuidV4(userId)) throw new AppError(404, 'There is no staff member with this id.');
    const result = await resetStaffTotp({ pool, serverSecret: deps.deployment.serverSecret }, staffOf(res).userId, userId);
    if (!result.ok) throw fromDomainError(result.error);
    // The link goes only to the person's mailbox, never back to the admin.
    const { inviteId, expiresAt, endedSessions } = result.value;
    res.status(201).json({ userId, inviteId, expiresAt: expiresAt.toISOString(), endedSessions });
  });

  return router;
}
