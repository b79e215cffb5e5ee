import type { Queryable } from './pool';

/** Inserts used by the demo organisation, the operator CLI and tests. */

export async function insertUnit(db: Queryable, unit: { id: string; name: string }): Promise<void> {
  await db.query('INSERT INTO units (id, name) VALUES ($1, $2)', [unit.id, unit.name]);
}

export type NewStaffUser = {
  id: string;
  email: string;
  displayName: string;
  unitId: string | null;
  roles: string[];
  status: 'invited' | 'active' | 'disabled';
  publicKey?: Uint8Array | null;
  encryptedPrivateKey?: Uint8Array | null;
  recoveryEncryptedPrivateKey?: Uint8Array | null;
  passwordSalt?: Uint8Array | null;
  loginKeyHash?: string | null;
};

const buf = (v: Uint8Array | null | undefined) => (v ? Buffer.from(v) : null);

export async function insertStaffUser(db: Queryable, u: NewStaffUser): Promise<void> {
  await db.query(
    `INSERT INTO staff_users (id, email, display_name, unit_id, roles, status, public_key, encrypted_private_key,
                              recovery_encrypted_private_key, password_salt, login_key_hash)
     VALUES ($1, lower($2), $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [u.id, u.email, u.displayName, u.unitId, u.roles, u.status, buf(u.publicKey), buf(u.encryptedPrivateKey),
      buf(u.recoveryEncryptedPrivateKey), buf(u.passwordSalt), u.loginKeyHash ?? null],
  );
}

export type NewContext = {
  id: string;
  slug: string;
  name: string;
  channel: 'public' | 'internal';
  description?: string;
  maxExclusions?: number;
  acknowledgeDays?: number;
  feedbackDays?: number;
  questions?: unknown[];
  position?: number;
  categories: { id: string; label: string }[];
  regions: { id: string; label: string }[];
  recipientIds: string[];
  custodianIds: string[];
};

export async function insertContext(db: Queryable, c: NewContext): Promise<void> {
  await db.query(
    `INSERT INTO contexts (id, slug, name, channel, description, max_exclusions, acknowledge_days, feedback_days, questions, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [c.id, c.slug, c.name, c.channel, c.description ?? '', c.maxExclusions ?? 1, c.acknowledgeDays ?? 7, c.feedbackDays ?? 90,
      JSON.stringify(c.questions ?? []), c.position ?? 0],
  );
  const insertList = async (table: string, items: { id: string; label: string }[]) => {
    if (items.length === 0) return;
    await db.query(
      `INSERT INTO ${table} (context_id, id, label, position) SELECT $1, id, label, pos FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(id, label, pos)`,
      [c.id, items.map((i) => i.id), items.map((i) => i.label)],
    );
  };
  await insertList('context_categories', c.categories);
  await insertList('context_regions', c.regions);
  for (const [table, ids] of [['context_recipients', c.recipientIds], ['context_custodians', c.custodianIds]] as const) {
    if (ids.length > 0) await db.query(`INSERT INTO ${table} (context_id, user_id) SELECT $1, unnest($2::uuid[])`, [c.id, ids]);
  }
}

export async function isDeploymentEmpty(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ n: string }>('SELECT (SELECT count(*) FROM staff_users) + (SELECT count(*) FROM contexts) AS n');
  return Number(rows[0]?.n ?? 0) === 0;
}
