import { randomUUID } from 'node:crypto';
import { generateKeyPair, type KeyPair } from '../../packages/crypto/src';
import { insertContext, insertStaffUser, insertUnit, type Db } from '../../packages/db/src';

export type TestStaff = { id: string; email: string; displayName: string; keyPair: KeyPair };

/**
 * A small organisation for one test file: investigators with real X25519 key pairs (kept here, as a
 * staff browser would keep them), a custodian, and one context that routes to the investigators.
 */
export async function seedOrganisation(
  pool: Db,
  options: { investigators?: number; maxExclusions?: number; withCustodian?: boolean; label?: string } = {},
): Promise<{ unitId: string; contextId: string; investigators: TestStaff[]; custodians: TestStaff[] }> {
  const label = options.label ?? randomUUID().slice(0, 8);
  const unitId = randomUUID();
  await insertUnit(pool, { id: unitId, name: `Unit ${label}` });
  const make = async (role: string, i: number): Promise<TestStaff> => {
    const person = { id: randomUUID(), email: `${role}${i}.${label}@test.sauti.invalid`, displayName: `${role} ${i}`, keyPair: generateKeyPair() };
    await insertStaffUser(pool, {
      id: person.id, email: person.email, displayName: person.displayName, unitId, roles: [role], status: 'active', publicKey: person.keyPair.publicKey,
    });
    return person;
  };
  const investigators: TestStaff[] = [];
  for (let i = 0; i < (options.investigators ?? 3); i++) investigators.push(await make('investigator', i));
  const custodians = options.withCustodian === false ? [] : [await make('custodian', 0)];
  const contextId = randomUUID();
  await insertContext(pool, {
    id: contextId, slug: `ctx-${label}`, name: `Context ${label}`, channel: 'public', maxExclusions: options.maxExclusions ?? 1,
    categories: [{ id: 'bribery-extortion', label: 'Bribery' }, { id: 'other', label: 'Other' }],
    regions: [{ id: 'namanga', label: 'Namanga' }],
    recipientIds: investigators.map((p) => p.id), custodianIds: custodians.map((p) => p.id),
  });
  return { unitId, contextId, investigators, custodians };
}

/** Gives a person `n` open cases (opaque filler rows) so that assignment sees a workload. */
export async function giveOpenCases(pool: Db, contextId: string, userId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    const filler = Buffer.alloc(32, i + 1);
    await pool.query(
      `INSERT INTO cases (id, reference, context_id, channel, category_id, language, urgent, report, request_digest,
                          reporter_lookup, reporter_public_key, reporter_sealed_key, assignee_id, triaged_at)
       VALUES ($1, $2, $3, 'public', 'other', 'en', false, $4, $4, $5, $4, $6, $7, now())`,
      [id, `SA-FILL-${id.slice(0, 8)}`, contextId, filler, Buffer.concat([Buffer.from(id.replace(/-/g, ''), 'hex'), Buffer.alloc(16)]), Buffer.alloc(80, 7), userId],
    );
  }
}
