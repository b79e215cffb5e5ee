import {
  activationSchema,
  activationStartSchema,
  loginRequestSchema,
  passwordChangeSchema,
  recoveryCompleteSchema,
  recoveryStartSchema,
  saltRequestSchema,
} from '@sauti/core';
import express, { Router } from 'express';
import type { ApiDeps } from '../deps';
import { clearStaffCookie, setStaffCookie } from '../http/cookies';
import { fromDomainError } from '../http/errors';
import { requireJson } from '../http/security';
import { requireStaff, STAFF_ABSOLUTE_SECONDS, STAFF_IDLE_SECONDS, staffOf } from '../http/staff-auth';
import { parseBody } from '../http/validate';
import { changePassword, completeActivation, completeRecovery, login, logout, saltFor, startActivation, startRecovery } from '../services/auth-service';

/** Staff accounts (PROTOCOL.md §3): salt, sign-in, activation, password change, recovery. */
export function authRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool, config } = deps;
  const auth = { pool, serverSecret: deps.deployment.serverSecret };
  const small = [requireJson, express.json({ limit: 16 * 1024, strict: true })];
  const session = requireStaff(deps);

  router.post('/auth/salt', ...small, async (req, res) => {
    const { email } = parseBody(saltRequestSchema, req.body);
    res.json({ salt: await saltFor(auth, email) });
  });

  router.post('/auth/login', ...small, async (req, res) => {
    const result = await login(auth, parseBody(loginRequestSchema, req.body));
    if (!result.ok) throw fromDomainError(result.error);
    const s = result.value;
    setStaffCookie(res, config.PUBLIC_URL, s.sessionId, STAFF_ABSOLUTE_SECONDS);
    res.json({
      userId: s.userId, displayName: s.displayName, roles: s.roles, csrfToken: s.csrfToken,
      expiresAt: s.expiresAt.toISOString(), idleTimeoutSeconds: STAFF_IDLE_SECONDS,
    });
  });

  router.post('/auth/logout', session, async (_req, res) => {
    const staff = staffOf(res);
    await logout(pool, staff.userId, staff.sessionId);
    clearStaffCookie(res, config.PUBLIC_URL);
    res.status(204).end();
  });

  router.post('/auth/activation/start', ...small, async (req, res) => {
    const result = await startActivation(auth, parseBody(activationStartSchema, req.body).token);
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  router.post('/auth/activation', ...small, async (req, res) => {
    const result = await completeActivation(auth, parseBody(activationSchema, req.body));
    if (!result.ok) throw fromDomainError(result.error);
    res.status(201).json(result.value);
  });

  router.post('/auth/password', session, ...small, async (req, res) => {
    const staff = staffOf(res);
    const result = await changePassword(pool, { userId: staff.userId, sessionDigestHex: staff.sessionId }, parseBody(passwordChangeSchema, req.body));
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  router.post('/auth/recovery/start', ...small, async (req, res) => {
    const result = await startRecovery(auth, parseBody(recoveryStartSchema, req.body));
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  router.post('/auth/recovery/complete', ...small, async (req, res) => {
    const result = await completeRecovery(auth, parseBody(recoveryCompleteSchema, req.body));
    if (!result.ok) throw fromDomainError(result.error);
    res.json(result.value);
  });

  return router;
}
