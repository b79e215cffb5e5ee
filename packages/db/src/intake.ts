import type { IntakeContext, IntakePerson, UiLanguage } from '@sauti/core';
import type { Queryable } from './pool';

/** A recipient or custodian as stored: the wire's IntakePerson with the raw public key. */
export type IntakePersonRow = Omit<IntakePerson, 'publicKey'> & { publicKey: Buffer };

/** An open context as stored: the wire's IntakeContext before encoding (questions as stored, raw keys). */
export type IntakeContextRow = Omit<IntakeContext, 'questions' | 'recipients' | 'custodians' | 'translations'> & {
  questions: unknown[];
  translations: unknown;
  /** Active recipients with keys: exactly the set a submission must wrap to, less exclusions. */
  recipients: IntakePersonRow[];
  custodians: IntakePersonRow[];
};

const PEOPLE_SQL = (table: 'context_recipients' | 'context_custodians') => `
  SELECT x.context_id, u.id, u.display_name, un.name AS unit, u.public_key
    FROM ${table} x
    JOIN staff_users u ON u.id = x.user_id
    LEFT JOIN units un ON un.id = u.unit_id
   WHERE u.status = 'active' AND u.public_key IS NOT NULL AND x.context_id = ANY($1)
   ORDER BY un.name NULLS LAST, u.display_name, u.id`;

/** Active contexts with everything a client needs to seal a report for them. */
export async function listIntakeContexts(db: Queryable, onlyId?: string): Promise<IntakeContextRow[]> {
  const { rows } = await db.query<{
    id: string; slug: string; name: string; channel: 'public' | 'internal'; description: string;
    max_exclusions: number; acknowledge_days: number; feedback_days: number; questions: unknown[];
    default_language: UiLanguage; translations: unknown;
  }>(
    `SELECT id, slug, name, channel, description, max_exclusions, acknowledge_days, feedback_days, questions, default_language, translations
       FROM contexts WHERE active AND ($1::uuid IS NULL OR id = $1::uuid) ORDER BY position, name`,
    [onlyId ?? null],
  );
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [categories, regions, recipients, custodians] = await Promise.all([
    db.query<{ context_id: string; id: string; label: string }>(
      'SELECT context_id, id, label FROM context_categories WHERE context_id = ANY($1) ORDER BY position, id', [ids]),
    db.query<{ context_id: string; id: string; label: string }>(
      'SELECT context_id, id, label FROM context_regions WHERE context_id = ANY($1) ORDER BY position, id', [ids]),
    db.query<PersonRow>(PEOPLE_SQL('context_recipients'), [ids]),
    db.query<PersonRow>(PEOPLE_SQL('context_custodians'), [ids]),
  ]);
  const person = (p: PersonRow): IntakePersonRow => ({ id: p.id, displayName: p.display_name, unit: p.unit, publicKey: p.public_key });
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    channel: r.channel,
    description: r.description,
    maxExclusions: r.max_exclusions,
    acknowledgeDays: r.acknowledge_days,
    feedbackDays: r.feedback_days,
    questions: r.questions,
    defaultLanguage: r.default_language,
    translations: r.translations,
    categories: categories.rows.filter((c) => c.context_id === r.id).map(({ id, label }) => ({ id, label })),
    regions: regions.rows.filter((c) => c.context_id === r.id).map(({ id, label }) => ({ id, label })),
    recipients: recipients.rows.filter((p) => p.context_id === r.id).map(person),
    custodians: custodians.rows.filter((p) => p.context_id === r.id).map(person),
  }));
}

type PersonRow = { context_id: string; id: string; display_name: string; unit: string | null; public_key: Buffer };
