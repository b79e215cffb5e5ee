import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { createStaffSession, insertStaffUser, type Db } from '../packages/db/src';
import { createApp } from '../apps/api/src/app';
import { STAFF_COOKIE, tokenDigest } from '../apps/api/src/auth';
import { startStack, type TestStack } from './helpers/stack';

jest.setTimeout(120_000);

/**
 * The staff guard is mounted once per prefix (/api/v1/staff, /api/v1/admin): however many
 * routers a request passes, its session is read (and its idle clock moved) once. The api here
 * runs on the real database through a pool that counts the session look-ups it is asked for.
 */
let stack: TestStack;
let app: Express;
let sessionReads = 0;

function countingPool(pool: Db): Db {
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (...args: Parameters<Db['query']>) => {
          const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text ?? '';
          if (/UPDATE staff_sessions/.test(text)) sessionReads += 1;
          return (target.query as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function sessionFor(roles: string[]): Promise<string> {
  const id = randomUUID();
  await insertStaffUser(stack.pool, { id, email: `s.${id.slice(0, 8)}@test.sauti.invalid`, displayName: roles.join(' '), unitId: null, roles, status: 'active' });
  const sessionId = randomBytes(32).toString('base64url');
  await createStaffSession(stack.pool, { idDigest: tokenDigest(sessionId), userId: id, csrfDigest: tokenDigest(randomBytes(32)), absoluteSeconds: 3600 });
  return `${STAFF_COOKIE}=${sessionId}`;
}

beforeAll(async () => {
  stack = await startStack({ worker: false });
  app = createApp({ ...stack.api.deps, pool: countingPool(stack.api.deps.pool) });
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => {
  sessionReads = 0;
});

describe('one session read per request', () => {
  it('when an admin lists contexts (the last of several admin routers), then the session is read once', async () => {
    const cookie = await sessionFor(['admin']);
    sessionReads = 0;
    const answer = await request(app).get('/api/v1/admin/contexts').set('Cookie', cookie);
    expect(answer.status).toBe(200);
    expect(Array.isArray(answer.body.items)).toBe(true);
    expect(sessionReads).toBe(1);
  });

  it('when an admin lists failed notifications and units, then each request reads the session once', async () => {
    const cookie = await sessionFor(['admin']);
    sessionReads = 0;
    expect((await request(app).get('/api/v1/admin/notifications/failed').set('Cookie', cookie)).status).toBe(200);
    expect(sessionReads).toBe(1);
    expect((await request(app).get('/api/v1/admin/units').set('Cookie', cookie)).status).toBe(200);
    expect(sessionReads).toBe(2);
  });

  it('when a staff member asks for the export of a case it does not hold, then the answer is 404 after one session read', async () => {
    const cookie = await sessionFor(['investigator']);
    sessionReads = 0;
    const answer = await request(app).get(`/api/v1/staff/cases/${randomUUID()}/export`).set('Cookie', cookie);
    expect(answer.status).toBe(404);
    expect(sessionReads).toBe(1);
  });

  it('when a non-admin calls an admin route, then it is refused with 403 after one session read', async () => {
    const cookie = await sessionFor(['investigator']);
    sessionReads = 0;
    const answer = await request(app).get('/api/v1/admin/contexts').set('Cookie', cookie);
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatch(/admin/);
    expect(sessionReads).toBe(1);
  });

  it('when there is no session cookie, then the answer is 401 and no session is looked up', async () => {
    const answer = await request(app).get('/api/v1/admin/contexts');
    expect(answer.status).toBe(401);
    expect(sessionReads).toBe(0);
  });
});
