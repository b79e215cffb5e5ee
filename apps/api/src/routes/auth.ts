import { loginRequestSchema, saltRequestSchema } from '@sauti/core';
import { Router } from 'express';
import { STAFF_ABSOLUTE_SECONDS } from '../auth';
import type { ApiDeps } from '../deps';
import { clearStaffCookie, setStaffCookie } from '../http/cookies';
import { orThrow } from '../http/errors';
import { requireStaff, staffOf } from '../http/guards';
import { jsonBody } from '../http/security';
import { parseBody } from '../http/validate';
import { presentLogin, presentSalt } from '../presenters/auth';
import { addressPow, login, logout, saltFor, type AuthDeps } from '../services/auth';
import { PowService, spendProof } from '../services/pow';

/** Staff sessions (docs/protocol.md §3): salt, sign-in, sign-out. */
export function authRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool, config } = deps;
  const auth = authDeps(deps);
  const pow = new PowService(deps.deployment.serverSecret, () => config.POW_DIFFICULTY, config.POW_TTL_SECONDS);
  const json = jsonBody(16 * 1024);
  // A global bucket for unauthenticated account endpoints; it fails closed (see http/rate-limit.ts).
  const signInBucket = deps.limits.middleware('login');

  router.post('/auth/salt', signInBucket, ...json, async (req, res) => {
    const { email } = parseBody(saltRequestSchema, req.body);
    res.json(presentSalt(await saltFor(auth, email)));
  });

  router.post('/auth/login', signInBucket, ...json, async (req, res) => {
    const { pow: proof, ...input } = parseBody(loginRequestSchema, req.body);
    // §6.1: after failures for this address, a longer proof of work (naming the address) as well as the delay.
    orThrow(await spendProof(pool, pow, proof, await addressPow(auth, input.email)));
    const session = orThrow(await login(auth, input));
    setStaffCookie(res, config.PUBLIC_URL, session.sessionId, STAFF_ABSOLUTE_SECONDS);
    res.json(presentLogin(session));
  });

  router.post('/auth/logout', requireStaff(deps), async (_req, res) => {
    const staff = staffOf(res);
    await logout(pool, staff.userId, staff.sessionId);
    clearStaffCookie(res, config.PUBLIC_URL);
    res.status(204).end();
  });

  return router;
}

/** What the account services need: the pool, the deployment secret and the failure counter. */
export function authDeps(deps: ApiDeps): AuthDeps {
  return {
    pool: deps.pool,
    serverSecret: deps.deployment.serverSecret,
    failures: deps.failures,
    notifyAfterFailures: deps.config.LOGIN_FREE_FAILURES,
    pow: { base: deps.config.POW_DIFFICULTY, max: Math.min(deps.config.POW_DIFFICULTY_MAX, deps.config.POW_DIFFICULTY + deps.config.LOGIN_POW_EXTRA_BITS) },
  };
}
