import { generateKeyPair, randomUuid, ready, sealSurveyResponse, toB64 } from '@sauti/crypto';
import type { SurveyResponsesPage } from '@sauti/core';
import { openResponses } from './surveys';
import type { StaffSession } from './staff-session';

/**
 * The analyst's side of §10.4 against an api stand-in that serves pages the way the real one does
 * (id order, `after` and `limit`, `next` while more remain), to see the paging, the request kept
 * ahead of decryption, the progress counts and cancelling; the real api is in test/surveys.test.ts.
 */
describe('openResponses', () => {
  beforeAll(() => ready());

  const TOTAL = 2_100;
  let iterationId: string;
  let analyst: ReturnType<typeof generateKeyPair>;
  let rows: SurveyResponsesPage['responses'];
  beforeAll(() => {
    iterationId = randomUuid();
    analyst = generateKeyPair();
    rows = Array.from({ length: TOTAL }, (_, i) => {
      const id = randomUuid();
      const sealed = sealSurveyResponse({ iterationId, responseId: id, body: { i }, analysts: [{ id: 'a', publicKey: analyst.publicKey }] });
      return { id, ciphertext: toB64(sealed.ciphertext), sealedKey: toB64(sealed.keyWraps[0]!.sealedKey) };
    }).sort((a, b) => (a.id < b.id ? -1 : 1));
    // One damaged response: it reads as null and the others still open.
    const damaged = rows[1500]!;
    rows[1500] = { ...damaged, ciphertext: damaged.ciphertext.slice(0, -4) + (damaged.ciphertext.endsWith('AAAA') ? 'BBBB' : 'AAAA') };
  });

  function standIn(events: string[]) {
    const send = async (method: string, path: string): Promise<SurveyResponsesPage> => {
      const url = new URL(path, 'http://api.invalid');
      expect([method, url.pathname]).toEqual(['GET', `/api/v1/staff/survey-iterations/${iterationId}/responses`]);
      const after = url.searchParams.get('after');
      const limit = Number(url.searchParams.get('limit'));
      events.push(`request after ${after === null ? 'start' : rows.findIndex((r) => r.id === after) + 1}`);
      await new Promise((r) => setTimeout(r, 5));
      const from = after === null ? 0 : rows.findIndex((r) => r.id === after) + 1;
      const responses = rows.slice(from, from + limit);
      return { responses, next: from + limit < rows.length ? responses[responses.length - 1]!.id : null };
    };
    return { kp: () => analyst, transport: { send } } as unknown as StaffSession;
  }

  it('opens every page in id order, asks for the next page before opening this one, and counts progress', async () => {
    const events: string[] = [];
    const bodies = await openResponses(standIn(events), iterationId, (n) => events.push(`progress ${n}`));
    expect(bodies).toHaveLength(TOTAL);
    expect(bodies.filter((b) => b === null)).toHaveLength(1);
    expect(bodies[1500]).toBeNull();
    expect(bodies[0]).toEqual({ i: expect.any(Number) as number });
    expect(new Set(bodies.filter((b) => b !== null).map((b) => (b as { i: number }).i)).size).toBe(TOTAL - 1);
    expect(events).toEqual([
      'request after start',
      'request after 1000',
      'progress 250', 'progress 500', 'progress 750', 'progress 1000',
      'request after 2000',
      'progress 1250', 'progress 1500', 'progress 1750', 'progress 2000',
      'progress 2100',
    ]);
  });

  it('stops when cancelled, between pages, with an AbortError', async () => {
    const events: string[] = [];
    const stop = new AbortController();
    const done = openResponses(standIn(events), iterationId, (n) => {
      if (n === 1000) stop.abort();
    }, stop.signal);
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    expect(events).toEqual(['request after start', 'request after 1000']);
  });
});
