import { isUuidV4 } from '@sauti/core';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { AppError, fromDomainError } from '../http/errors';
import { requireStaff, staffOf } from '../http/staff-auth';
import { listFiles } from '../services/files';
import { CASE_NOT_FOUND, viewCase } from '../services/staff-cases';

/**
 * GET /api/v1/staff/cases/:id/export — everything a holder may see of a case, as one JSON
 * document of ciphertexts (the holder's own key wrap included), for the holder's client to decrypt
 * and archive or hand over. The server exports what it stores: nothing readable. Audited.
 */
export function staffExportRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/cases/:id/export', requireStaff(deps), async (req, res) => {
    const id = req.params.id;
    if (typeof id !== 'string' || !isUuidV4(id)) throw new AppError(404, CASE_NOT_FOUND);
    const view = await viewCase(deps.pool, staffOf(res), id, 'export');
    if (!view.ok) throw fromDomainError(view.error);
    const files = await listFiles(deps.pool, id);
    const reference = String(view.value.reference ?? id).replace(/[^A-Za-z0-9-]/g, '');
    res.setHeader('Content-Disposition', `attachment; filename="sauti-case-${reference}.json"`);
    res.json({ format: 'sauti-case-export/1', protocol: 'SIP/1', exportedAt: new Date().toISOString(), case: view.value, files });
  });
  return router;
}
