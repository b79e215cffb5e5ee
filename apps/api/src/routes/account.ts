import { activationSchema, activationStartSchema, passwordChangeSchema, recoveryCompleteSchema, recoveryStartSchema } from '@sauti/core';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { orThrow } from '../http/errors';
import { requireStaff, staffOf } from '../http/guards';
import { jsonBody } from '../http/security';
import { parseBody } from '../http/validate';
import { presentMe } from '../presenters/staff';
import { PowService, spendProof } from '../services/pow';
import { addressPow } from '../services/auth';
import { authDeps } from './auth';
import { changePassword, completeActivation, completeRecovery, ownAccount, startActivation, startRecovery } from '../services/account';

/**
 * A person's own account (docs/protocol.md §3): activation from an invitation, password change,
 * recovery with the recovery key, and GET /staff/me (behind the staff guard on /api/v1/staff).
 */
export function accountRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool } = deps;
  const auth = authDeps(deps);
  const pow = new PowService(deps.deployment.serverSecret, () => deps.config.POW_DIFFICULTY, deps.config.POW_TTL_SECONDS);
  const json = jsonBody(16 * 1024);
  const { limits } = deps;
  const signInBucket = limits.middleware('login');

  router.get('/staff/me', async (_req, res) => {
    res.json(presentMe(orThrow(await ownAccount(pool, staffOf(res).userId))));
  });

  // Looking up an invitation: a proof of work first, like the other account-facing endpoints (§6).
  router.post('/auth/activation/start', signInBucket, ...json, async (req, res) => {
    const { pow: proof, token } = parseBody(activationStartSchema, req.body);
    orThrow(await spendProof(pool, pow, proof));
    res.json(orThrow(await startActivation(auth, token)));
  });

  // Both hash a new password with Argon2id: a proof of work first, spent before anything is looked
  // up (so a known and an unknown address pay the same, and the answer still cannot tell them apart).
  router.post('/auth/activation', signInBucket, ...json, async (req, res) => {
    const { pow: proof, ...input } = parseBody(activationSchema, req.body);
    orThrow(await spendProof(pool, pow, proof));
    res.status(201).json(orThrow(await completeActivation(auth, input)));
  });

  router.post('/auth/password', requireStaff(deps), ...json, async (req, res) => {
    const staff = staffOf(res);
    res.json(orThrow(await changePassword(auth, { userId: staff.userId, sessionDigestHex: staff.sessionId }, parseBody(passwordChangeSchema, req.body))));
  });

  // Recovery needs only an address and a TOTP code: besides the delay after failures, a hard
  // limit per address (fails closed) keeps code guessing out of reach.
  router.post('/auth/recovery/start', signInBucket, ...json, async (req, res) => {
    const { pow: proof, ...input } = parseBody(recoveryStartSchema, req.body);
    orThrow(await spendProof(pool, pow, proof, await addressPow(auth, input.email)));
    await limits.consume('recoveryAccount', limits.keyOf('email', input.email.toLowerCase()));
    res.json(orThrow(await startRecovery(auth, input)));
  });

  router.post('/auth/recovery/complete', signInBucket, ...json, async (req, res) => {
    const { pow: proof, ...input } = parseBody(recoveryCompleteSchema, req.body);
    orThrow(await spendProof(pool, pow, proof));
    res.json(orThrow(await completeRecovery(auth, input)));
  });

  return router;
}
