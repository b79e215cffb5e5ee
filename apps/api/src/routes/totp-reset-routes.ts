import { totpResetCompleteSchema, totpResetStartSchema } from '@sauti/core';
import express, { Router } from 'express';
import type { ApiDeps } from '../deps';
import { fromDomainError } from '../http/errors';
import { requireJson } from '../http/security';
import { parseBody } from '../http/validate';
import { completeTotpResetFlow, startTotpReset } from '../services/totp-reset';

/**
 * The person's side of an admin's TOTP reset (no session: the old authenticator no longer signs
 * in). The one-time link's token plus the password's loginKey plus the new app's first code.
 */
export function totpResetRoutes(deps: ApiDeps): Router {
  const router = Router();
  const small = [requireJson, express.json({ limit: 16 * 1024, strict: true })];

  router.post('/auth/totp-reset/start', ...small, async (req, res) => {
    const result = await startTotpReset(deps.pool, parseBody(totpResetStartSchema, req.body).token);
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  router.post('/auth/totp-reset/complete', ...small, async (req, res) => {
    const result = await completeTotpResetFlow({ pool: deps.pool }, parseBody(totpResetCompleteSchema, req.body));
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  return router;
}
