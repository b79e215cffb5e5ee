// Synthetic cases with realistic distributions for integrity monitoring (issue 14): the benchmark
// loads 1,000,000 of them; the dashboard's browser test and screenshots load a few hundred. One
// INSERT … SELECT per batch, generated inside Postgres, so a million rows need no round trips.
// The case rows are opaque filler (random bytes where ciphertext would be): statistics never read
// them. Deterministic for a given seed.
import type { Db } from '../packages/db/src';

/** Border posts are not equally busy; categories are not equally common (weights, in order). */
const REGIONS: [string, number][] = [['namanga', 22], ['malaba', 26], ['busia', 14], ['mombasa-port', 24], ['jkia-cargo', 9], ['headquarters', 5]];
const CATEGORIES: [string, number][] = [
  ['bribery-extortion', 38], ['undervaluation', 18], ['smuggling-collusion', 14], ['abuse-of-office', 10], ['procurement', 6],
  ['recruitment-favouritism', 5], ['leaking-information', 4], ['other', 5],
];
const OUTCOMES: [string, number][] = [
  ['substantiated', 22], ['partly_substantiated', 12], ['unsubstantiated', 30], ['referred_prosecution', 5], ['referred', 8], ['not_actionable', 18], ['withdrawn', 5],
];

/** A SQL CASE picking from weighted values with the uniform draw `r` (0..1). */
function weighted(values: [string, number][], r: string): string {
  const total = values.reduce((s, [, w]) => s + w, 0);
  let acc = 0;
  const arms = values.map(([v, w]) => {
    acc += w;
    return `WHEN ${r} < ${(acc / total).toFixed(6)} THEN '${v}'`;
  });
  return `(CASE ${arms.join(' ')} ELSE '${values[values.length - 1]![0]}' END)`;
}

export type SyntheticOptions = { cases: number; years?: number; seed?: number; batch?: number; onBatch?: (done: number) => void };

/**
 * Adds `cases` synthetic cases spread over the last `years` (more recent ones more frequent), over
 * the deployment's contexts and units, with lifecycle times: acknowledged after a few days (a few
 * never), feedback for most, closed for most older cases with an outcome, some reporters back.
 */
export async function loadSyntheticCases(pool: Db, options: SyntheticOptions): Promise<void> {
  const years = options.years ?? 3;
  const batch = options.batch ?? 50_000;
  await pool.query('SELECT setseed($1)', [options.seed ?? 0.42]);
  const { rows: contexts } = await pool.query<{ id: string; channel: string }>('SELECT id, channel FROM contexts ORDER BY position, id');
  const { rows: units } = await pool.query<{ id: string }>('SELECT id FROM units ORDER BY name');
  if (contexts.length === 0 || units.length === 0) throw new Error('loadSyntheticCases needs at least one context and one unit (seed the demo organisation first)');
  const { rows: offsetRow } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM cases');
  let done = 0;
  while (done < options.cases) {
    const n = Math.min(batch, options.cases - done);
    const start = Number(offsetRow[0]!.n) + done;
    // Public reports outnumber internal ones three to one.
    await pool.query(
      `WITH g AS (
         SELECT i, random() AS r_ctx, random() AS r_cat, random() AS r_reg, random() AS r_unit, random() AS r_anon, random() AS r_age,
                random() AS r_ack, random() AS r_fb, random() AS r_close, random() AS r_out, random() AS r_urg
           FROM generate_series($1::bigint + 1, $1::bigint + $2::bigint) i
       ), d AS (
         SELECT g.*,
                CASE WHEN r_ctx < 0.75 OR $5::int = 1 THEN ($3::uuid[])[1] ELSE ($3::uuid[])[2] END AS context_id,
                now() - make_interval(secs => (power(r_age, 1.4) * $6::float8 * 365 * 86400)) AS received_at,
                ($4::uuid[])[1 + floor(r_unit * array_length($4::uuid[], 1))::int] AS unit_id,
                CASE WHEN r_ack < 0.04 THEN NULL ELSE ceil(-ln(1 - r_ack * 0.999) * 3)::int END AS ack_days,
                ceil(20 + r_fb * 100)::int AS fb_days,
                ceil(30 + r_close * 300)::int AS close_days
           FROM g
       ), ins AS (
         INSERT INTO cases (id, reference, context_id, channel, category_id, region_id, language, urgent, report, request_digest, reporter_lookup,
                            reporter_public_key, reporter_sealed_key, identity_ciphertext, identity_reporter_sealed_key, status, unit_id,
                            received_at, triaged_at, acknowledge_due_at, acknowledged_at, feedback_due_at, closed_at, outcome)
         SELECT md5('case' || i)::uuid, 'SA-SYN-' || i, d.context_id, x.channel, ${weighted(CATEGORIES, 'r_cat')}, ${weighted(REGIONS, 'r_reg')}, 'en', r_urg < 0.05,
                decode(md5('r' || i), 'hex'), decode(md5('d' || i), 'hex'), sha256(('l' || i)::bytea),
                sha256(('p' || i)::bytea), sha256(('s' || i)::bytea) || sha256(('t' || i)::bytea) || decode(md5('u' || i), 'hex'),
                CASE WHEN r_anon < 0.68 THEN NULL ELSE decode(md5('i' || i), 'hex') END,
                CASE WHEN r_anon < 0.68 THEN NULL ELSE sha256(('a' || i)::bytea) || sha256(('b' || i)::bytea) || decode(md5('c' || i), 'hex') END,
                CASE WHEN ack_days IS NULL OR received_at + make_interval(days => ack_days) > now() THEN 'received'
                     WHEN received_at + make_interval(days => close_days) <= now() AND r_close < 0.85 THEN 'closed'
                     WHEN received_at + make_interval(days => fb_days) <= now() THEN 'in_progress'
                     ELSE 'acknowledged' END,
                d.unit_id, received_at, received_at + interval '1 minute', received_at + interval '7 days',
                CASE WHEN ack_days IS NULL OR received_at + make_interval(days => ack_days) > now() THEN NULL ELSE received_at + make_interval(days => ack_days) END,
                CASE WHEN ack_days IS NULL OR received_at + make_interval(days => ack_days) > now() THEN NULL ELSE received_at + make_interval(days => ack_days + 90) END,
                CASE WHEN ack_days IS NOT NULL AND received_at + make_interval(days => close_days) <= now() AND r_close < 0.85 THEN received_at + make_interval(days => close_days) END,
                CASE WHEN ack_days IS NOT NULL AND received_at + make_interval(days => close_days) <= now() AND r_close < 0.85 THEN ${weighted(OUTCOMES, 'r_out')} END
           FROM d JOIN contexts x ON x.id = d.context_id
         RETURNING id, received_at, acknowledged_at, status
       ), staff_feedback AS (
         INSERT INTO messages (id, case_id, author, body, created_at)
         SELECT md5('fb' || id::text)::uuid, id, 'staff', decode(md5('fb' || id::text), 'hex'),
                acknowledged_at + make_interval(days => (10 + (get_byte(decode(md5(id::text), 'hex'), 0) % 100)))
           FROM ins WHERE acknowledged_at IS NOT NULL AND status <> 'acknowledged' AND get_byte(decode(md5(id::text), 'hex'), 1) < 235
            AND acknowledged_at + make_interval(days => (10 + (get_byte(decode(md5(id::text), 'hex'), 0) % 100))) < now()
         RETURNING 1
       )
       INSERT INTO messages (id, case_id, author, body, created_at)
       SELECT md5('rp' || id::text)::uuid, id, 'reporter', decode(md5('rp' || id::text), 'hex'), received_at + interval '3 days'
         FROM ins WHERE get_byte(decode(md5(id::text), 'hex'), 2) < 56 AND received_at + interval '3 days' < now()`,
      [start, n, contexts.map((c) => c.id), units.map((u) => u.id), contexts.length, years],
    );
    done += n;
    options.onBatch?.(done);
  }
}
