import { AEAD_OVERHEAD, b64Bytes, isUuidV4, MAX_FEEDBACK_DAYS } from '@sauti/core';
import express, { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { AppError, fromDomainError } from '../http/errors';
import { requireJson } from '../http/security';
import { requireStaff, staffOf } from '../http/staff-auth';
import { parseBody } from '../http/validate';
import { extendFeedbackDeadline } from '../services/feedback-extension';

const extensionSchema = z.strictObject({
  days: z.number({ error: 'must be a number of days' }).int({ error: 'must be a whole number of days' })
    .min(1).max(MAX_FEEDBACK_DAYS, { error: `must be at most ${MAX_FEEDBACK_DAYS} (six months after acknowledgement, the legal limit)` }),
  reason: b64Bytes({ min: AEAD_OVERHEAD, max: 16 * 1024 }),
});

/** POST /api/v1/staff/cases/:id/feedback-extension — see services/feedback-extension.ts. */
export function staffDeadlineRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.post('/cases/:id/feedback-extension', requireStaff(deps), requireJson, express.json({ limit: 32 * 1024, strict: true }), async (req, res) => {
    const id = req.params.id;
    if (typeof id !== 'string' || !isUuidV4(id)) throw new AppError(404, 'There is no case with this id that you can see.');
    const body = parseBody(extensionSchema, req.body);
    const result = await extendFeedbackDeadline(deps.pool, staffOf(res).userId, id, { days: body.days, reason: Buffer.from(body.reason, 'base64url') });
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });
  return router;
}
