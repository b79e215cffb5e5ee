import { randomBytes, randomUUID } from 'node:crypto';
import { createStaffKeys, ready } from '@sauti/crypto';
import { insertContext, insertStaffUser, insertUnit, isDeploymentEmpty, replaceCategoryFactors, withTransaction, type Db } from '@sauti/db';
import { DEMO_CATEGORY_FACTORS } from '@sauti/core';
import argon2 from 'argon2';
import { base32Encode, newTotpSecret, otpauthUri } from '../services/totp';

/** Categories that fit corruption in customs administrations. */
const DEMO_CATEGORIES = [
  { id: 'bribery-extortion', label: 'Bribery or extortion at the border' },
  { id: 'undervaluation', label: 'Undervaluation or misclassification of goods' },
  { id: 'smuggling-collusion', label: 'Smuggling collusion' },
  { id: 'abuse-of-office', label: 'Abuse of office' },
  { id: 'procurement', label: 'Procurement irregularities' },
  { id: 'recruitment-favouritism', label: 'Favouritism in recruitment or promotion' },
  { id: 'leaking-information', label: 'Leaking confidential information' },
  { id: 'other', label: 'Other' },
];

const DEMO_REGIONS = [
  { id: 'namanga', label: 'Namanga One-Stop Border Post' },
  { id: 'malaba', label: 'Malaba Border Post' },
  { id: 'busia', label: 'Busia Border Post' },
  { id: 'mombasa-port', label: 'Port of Mombasa' },
  { id: 'jkia-cargo', label: 'JKIA Air Cargo Terminal' },
  { id: 'headquarters', label: 'Headquarters' },
];

const DEMO_QUESTIONS = [
  { id: 'what', kind: 'textarea', label: 'What happened?', required: true },
  { id: 'when', kind: 'text', label: 'When did it happen (approximately)?', required: false },
  { id: 'who', kind: 'text', label: 'Who was involved (names, badge numbers, companies)?', required: false },
  { id: 'amount', kind: 'text', label: 'Was money or a favour asked for or paid? How much?', required: false },
];

export type DemoPerson = {
  id: string; email: string; displayName: string; unit: string; roles: string[]; password: string; recoveryKey: string; totpSecret: string; totpUri: string;
};

function password(): string {
  // 4 groups of 5 base32-ish symbols: strong and easy to type from the printed file.
  return Array.from({ length: 4 }, () => randomBytes(4).readUInt32BE(0).toString(36).padStart(6, '0').slice(0, 5)).join('-');
}

/**
 * Creates a demo deployment on an empty database: two units, three investigators and one identity
 * custodian with real SIP/1 key pairs, a public and an internal context. Returns the people with
 * their one-time passwords (the caller writes them to a local file), or null if not empty.
 */
export async function seedDemoOrganisation(pool: Db): Promise<DemoPerson[] | null> {
  await ready();
  if (!(await isDeploymentEmpty(pool))) return null;
  const units = [
    { id: randomUUID(), name: 'Internal Affairs' },
    { id: randomUUID(), name: 'Border Operations Integrity' },
  ] as const;
  const specs = [
    { email: 'amina.investigator@demo.sauti.invalid', displayName: 'Amina Njoroge', unit: units[0], roles: ['investigator'] },
    { email: 'jean.investigator@demo.sauti.invalid', displayName: 'Jean-Baptiste Habimana', unit: units[0], roles: ['investigator'] },
    { email: 'grace.investigator@demo.sauti.invalid', displayName: 'Grace Okello', unit: units[1], roles: ['investigator'] },
    { email: 'custodian@demo.sauti.invalid', displayName: 'Identity Custodian', unit: units[0], roles: ['custodian'] },
    { email: 'fatima.supervisor@demo.sauti.invalid', displayName: 'Fatima Diallo', unit: units[1], roles: ['supervisor', 'investigator'] },
    { email: 'admin@demo.sauti.invalid', displayName: 'Sauti Administrator', unit: units[0], roles: ['admin'] },
    { email: 'analyst@demo.sauti.invalid', displayName: 'Integrity Analyst', unit: units[0], roles: ['analyst'] },
  ];
  const people: (DemoPerson & { material: ReturnType<typeof createStaffKeys>; loginKeyHash: string; unitId: string; totp: Buffer })[] = [];
  for (const spec of specs) {
    const id = randomUUID();
    const pw = password();
    const material = createStaffKeys(id, pw);
    const loginKeyHash = await argon2.hash(Buffer.from(material.loginKey), { type: argon2.argon2id });
    const totp = newTotpSecret();
    people.push({
      id, email: spec.email, displayName: spec.displayName, unit: spec.unit.name, unitId: spec.unit.id, roles: spec.roles, password: pw,
      recoveryKey: material.recoveryKeyText, material, loginKeyHash, totp, totpSecret: base32Encode(totp), totpUri: otpauthUri(totp, spec.email),
    });
  }
  await withTransaction(pool, async (tx) => {
    if (!(await isDeploymentEmpty(tx))) return;
    for (const unit of units) await insertUnit(tx, unit);
    for (const p of people) {
      await insertStaffUser(tx, {
        id: p.id, email: p.email, displayName: p.displayName, unitId: p.unitId, roles: p.roles, status: 'active',
        publicKey: p.material.keyPair.publicKey, encryptedPrivateKey: p.material.encryptedPrivateKey,
        recoveryEncryptedPrivateKey: p.material.recoveryEncryptedPrivateKey, passwordSalt: p.material.salt, loginKeyHash: p.loginKeyHash,
      });
      await tx.query('UPDATE staff_users SET totp_secret = $2, activated_at = now() WHERE id = $1', [p.id, p.totp]);
    }
    const supervisor = people.find((p) => p.roles.includes('supervisor'));
    if (supervisor) await tx.query('UPDATE units SET supervisor_id = $1 WHERE id = $2', [supervisor.id, supervisor.unitId]);
    const investigators = people.filter((p) => p.roles.includes('investigator')).map((p) => p.id);
    const custodians = people.filter((p) => p.roles.includes('custodian')).map((p) => p.id);
    const publicId = randomUUID();
    const internalId = randomUUID();
    await insertContext(tx, {
      id: publicId, slug: 'public', name: 'Report corruption (citizens and traders)', channel: 'public', position: 0,
      description: 'For travellers, traders, clearing agents and anyone who met corruption in dealings with customs.',
      maxExclusions: 1, questions: DEMO_QUESTIONS, categories: DEMO_CATEGORIES, regions: DEMO_REGIONS,
      recipientIds: investigators, custodianIds: custodians,
    });
    await insertContext(tx, {
      id: internalId, slug: 'internal', name: 'Internal report (customs staff)', channel: 'internal', position: 1,
      description: 'For customs officers and staff. You may stay anonymous or give your identity, protected by the identity custodian.',
      maxExclusions: 2, questions: DEMO_QUESTIONS, categories: DEMO_CATEGORIES, regions: DEMO_REGIONS,
      recipientIds: investigators, custodianIds: custodians,
    });
    // Integrity monitoring: the customs categories' Revised Arusha Declaration factors, and the
    // analyst sees every unit.
    const mapping = DEMO_CATEGORIES.map((c) => ({ categoryId: c.id, factors: DEMO_CATEGORY_FACTORS[c.id] ?? [] }));
    await replaceCategoryFactors(tx, [publicId, internalId].flatMap((contextId) => mapping.map((m) => ({ contextId, ...m }))));
    await tx.query("UPDATE staff_users SET statistics_all_units = true WHERE 'analyst' = ANY(roles)");
  });
  return people.map(({ id, email, displayName, unit, roles, password: pw, recoveryKey, totpSecret, totpUri }) => ({
    id, email, displayName, unit, roles, password: pw, recoveryKey, totpSecret, totpUri,
  }));
}
