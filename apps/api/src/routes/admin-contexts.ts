import {
  contextCreateSchema,
  contextPeopleSchema,
  contextUpdateSchema,
  listItemCreateSchema,
  listItemRenameSchema,
  listOrderSchema,
  type ContextListAnswer,
  type ContextListName,
  type ContextPeopleName,
  type Result,
} from '@sauti/core';
import type { AdminContext } from '@sauti/db';
import { Router, type Request, type Response } from 'express';
import type { ApiDeps } from '../deps';
import { AppError, orThrow } from '../http/errors';
import { staffOf } from '../http/guards';
import { uuidParam } from '../http/params';
import { jsonBody } from '../http/security';
import { parseBody } from '../http/validate';
import { presentContext } from '../presenters/admin';
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

const contextId = (req: Request) => uuidParam(req, 'id', 'There is no context with this id.');

function itemId(req: Request): string {
  const value = req.params.itemId;
  // Ids are short and plain (see listItemId); anything else cannot exist.
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(value)) throw new AppError(404, 'There is no such entry in this context.');
  return value;
}

function answer(res: Response, result: Result<AdminContext>, status = 200): void {
  res.status(status).json(presentContext(orThrow(result)));
}

/** /api/v1/admin/contexts, behind the admin guard: contexts with their categories, regions, recipients and custodians. */
export function adminContextRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool } = deps;
  const json = jsonBody(64 * 1024);

  router.get('/contexts', async (_req, res) => {
    const body: ContextListAnswer = { items: (await listContexts(pool)).map(presentContext) };
    res.json(body);
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

  for (const list of ['categories', 'regions'] as const satisfies readonly ContextListName[]) {
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

  for (const people of ['recipients', 'custodians'] as const satisfies readonly ContextPeopleName[]) {
    router.put(`/contexts/:id/${people}`, ...json, async (req, res) => {
      const id = contextId(req);
      answer(res, await setContextPeople(pool, staffOf(res).userId, id, people, parseBody(contextPeopleSchema, req.body).userIds));
    });
  }

  return router;
}
