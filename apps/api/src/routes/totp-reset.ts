import { totpResetCompleteSchema, totpResetStartSchema } from '@sauti/core';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { orThrow } from '../http/errors';
import { staffOf } from '../http/guards';
import { uuidParam } from '../http/params';
import { jsonBody } from '../http/security';
import { parseBody } from '../http/validate';
import { presentTotpResetCreated } from '../presenters/admin';
import { PowService, spendProof } from '../services/pow';
import { completeTotpResetFlow, resetStaffTotp, startTotpReset } from '../services/totp-reset';

/**
 * A lost authenticator. The admin's side (POST /admin/staff/:id/totp-reset, behind the admin guard)
 * and the person's side (no session: the old authenticator no longer signs in): the one-time
 * link's token plus the password's loginKey plus the new app's first code.
 */
export function totpResetRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool } = deps;
  const json = jsonBody(16 * 1024);
  // Only checks challenges (stateless, signed); POST /pow issues them.
  const pow = new PowService(deps.deployment.serverSecret, () => deps.config.POW_DIFFICULTY, deps.config.POW_TTL_SECONDS);

  router.post('/admin/staff/:id/totp-reset', async (req, res) => {
    const userId = uuidParam(req, 'id', 'There is no staff member with this id.');
    const reset = orThrow(await resetStaffTotp({ pool, serverSecret: deps.deployment.serverSecret }, staffOf(res).userId, userId));
    res.status(201).json(presentTotpResetCreated(reset));
  });

  router.post('/auth/totp-reset/start', ...json, async (req, res) => {
    res.json(orThrow(await startTotpReset(pool, parseBody(totpResetStartSchema, req.body).token)));
  });

  // Checks the password (Argon2id) and counts failures: a proof of work first, spent before the link is looked up (§6).
  router.post('/auth/totp-reset/complete', ...json, async (req, res) => {
    const { pow: proof, ...input } = parseBody(totpResetCompleteSchema, req.body);
    orThrow(await spendProof(pool, pow, proof));
    res.json(orThrow(await completeTotpResetFlow({ pool }, input)));
  });

  return router;
}
