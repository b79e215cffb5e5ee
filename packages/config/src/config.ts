import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { error: `must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')}` },
  );

const intIn = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

/** A rate "points/seconds", e.g. "30/600": at most 30 in any 600-second window. */
const rate = (example: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,6}\/[1-9]\d{0,6}$/, { error: `must be "count/seconds", e.g. "${example}"` })
    .transform((v) => {
      const [points, seconds] = v.split('/').map(Number) as [number, number];
      return { points, seconds };
    });

/** Every environment variable Sauti reads, with its default. Parsed once at boot. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: intIn(0, 65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://sauti@127.0.0.1:5432/sauti'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  SMTP_URL: url(['smtp:', 'smtps:']).default('smtp://127.0.0.1:2525'),
  SMTP_FROM: z.string().default('Sauti <no-reply@sauti.invalid>'),
  PUBLIC_URL: url(['http:', 'https:']).default('http://localhost:8080'),
  POW_DIFFICULTY: intIn(0, 32).default(18),
  // Adaptive difficulty: above POW_QUIET_PER_MINUTE challenges in the last minute (per api process),
  // each doubling of the rate adds one bit, up to POW_DIFFICULTY_MAX; it falls back when quiet.
  POW_DIFFICULTY_MAX: intIn(0, 32).default(24),
  POW_QUIET_PER_MINUTE: intIn(1, 1_000_000).default(120),
  // The same, per intake context (challenges naming it, reports in it with unbound challenges): a
  // flood on one context raises its difficulty before the global rate notices.
  POW_CONTEXT_QUIET_PER_MINUTE: intIn(1, 1_000_000).default(30),
  POW_TTL_SECONDS: intIn(10, 86_400).default(600),
  REPORT_MAX_BYTES: intIn(1024, 16 * 1024 * 1024).default(1024 * 1024),
  // A sealed survey response (docs/protocol.md §10.3), ciphertext bytes.
  SURVEY_RESPONSE_MAX_BYTES: intIn(1024, 1024 * 1024).default(64 * 1024),
  REPORTER_SESSION_IDLE_SECONDS: intIn(60, 86_400).default(1800),
  // Evidence files (docs/protocol.md §7): per file (plaintext bytes), per case (stored bytes) and per case count.
  FILE_MAX_BYTES: intIn(1, 64 * 1024 ** 3).default(100 * 1024 * 1024),
  CASE_FILES_MAX_BYTES: intIn(1, 1024 ** 4).default(500 * 1024 * 1024),
  CASE_FILES_MAX_COUNT: intIn(1, 100_000).default(100),
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9:_-]+$/i, { error: 'may contain only letters, digits, : _ -' }).default('sauti'),
  OUTBOX_POLL_MS: intIn(10, 60_000).default(500),
  // E-mails wait a random time up to this, so their time does not reveal a submission's; requests
  // for one person within the wait are sent as one digest.
  NOTIFY_DELAY_MAX_MS: intIn(0, 86_400_000).default(300_000),
  NOTIFY_ATTEMPTS: intIn(1, 50).default(8),
  SWEEP_INTERVAL_MS: intIn(1_000, 3_600_000).default(60_000),
  STALE_DIGEST_SECONDS: intIn(1, 86_400).default(120),
  // A case still untriaged this long after receipt is handed to the queue again (a Redis that lost
  // its data loses no case; triage is idempotent).
  STALE_TRIAGE_SECONDS: intIn(1, 86_400).default(300),
  WORKER_CONCURRENCY: intIn(1, 64).default(4),
  // How long a job stays locked to a worker that stopped answering before another takes it over.
  WORKER_LOCK_MS: intIn(1_000, 600_000).default(30_000),
  // The audit sealer (one worker at a time) links entries into the hash chain every interval, in batches.
  AUDIT_SEAL_INTERVAL_MS: intIn(50, 600_000).default(1_000),
  AUDIT_SEAL_BATCH: intIn(1, 100_000).default(5_000),
  // Signed checkpoints (length, head, time) for witnesses outside the database; 0 turns them off.
  AUDIT_CHECKPOINT_INTERVAL_MS: intIn(0, 7 * 86_400_000).default(3_600_000),
  // An append-only directory the worker writes each checkpoint into (one new file each).
  AUDIT_WITNESS_DIR: z.string().min(1).optional(),
  // Auditors who receive each checkpoint by e-mail (comma-separated), through the outbox.
  AUDIT_AUDITOR_EMAILS: z
    .string()
    .transform((v) => v.split(',').map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(z.email({ error: 'must be e-mail addresses separated by commas' })))
    .optional(),
  // A PKCS#8 PEM Ed25519 private key to sign checkpoints; unset: a key generated once into the database.
  AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  // When set, GET /metrics needs Authorization: Bearer <token>.
  METRICS_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  // Abuse resistance (docs/threat-model.md "Abuse"). Rate limits live in Redis under QUEUE_PREFIX and
  // are keyed by account, case, reporter lookup or route — never by address or user agent.
  RATE_POW_GLOBAL: rate('600/60').default({ points: 600, seconds: 60 }),
  RATE_REPORTS_GLOBAL: rate('120/60').default({ points: 120, seconds: 60 }),
  RATE_REPORTER_SESSION_GLOBAL: rate('300/60').default({ points: 300, seconds: 60 }),
  RATE_REPORTER_SESSION_LOOKUP: rate('20/600').default({ points: 20, seconds: 600 }),
  RATE_CASE_MESSAGES: rate('30/600').default({ points: 30, seconds: 600 }),
  RATE_CASE_FILES: rate('20/600').default({ points: 20, seconds: 600 }),
  RATE_LOGIN_GLOBAL: rate('300/60').default({ points: 300, seconds: 60 }),
  RATE_RECOVERY_ACCOUNT: rate('10/3600').default({ points: 10, seconds: 3600 }),
  RATE_STAFF_ACCOUNT: rate('600/60').default({ points: 600, seconds: 60 }),
  // Failed sign-ins per address: the first LOGIN_FREE_FAILURES cost nothing extra; then each attempt
  // waits 2^(n − free) seconds (at most LOGIN_PENALTY_MAX_SECONDS) — slower, never refused.
  LOGIN_FREE_FAILURES: intIn(1, 100).default(5),
  LOGIN_PENALTY_MAX_SECONDS: intIn(1, 300).default(30),
  // …and needs a proof of work one bit longer per further failure (twice the expected work), at most
  // this many bits above POW_DIFFICULTY (and never above POW_DIFFICULTY_MAX): a cost an attacker can
  // impose on someone else's sign-in stays bounded (3 bits: 8 × the usual work).
  LOGIN_POW_EXTRA_BITS: intIn(0, 16).default(3),
  LOGIN_FAILURE_WINDOW_SECONDS: intIn(60, 86_400).default(3600),
  // Argon2 verifications at once per process, and how long one may wait for its turn before a 503.
  ARGON2_CONCURRENCY: intIn(1, 64).default(2),
  ARGON2_QUEUE_MS: intIn(10, 60_000).default(3000),
  // Reporter sessions: at most this many live per case (the oldest ends), and a lifetime that no activity extends.
  REPORTER_SESSIONS_PER_CASE: intIn(1, 100).default(5),
  REPORTER_SESSION_ABSOLUTE_SECONDS: intIn(300, 7 * 86_400).default(4 * 3600),
  // Messages per case (both sides), by count and stored bytes.
  CASE_MESSAGES_MAX_COUNT: intIn(1, 1_000_000).default(2000),
  CASE_MESSAGES_MAX_BYTES: intIn(1024, 1024 ** 3).default(50 * 1024 * 1024),
  // /metrics answers with a snapshot taken at most once per window (aligned to the clock), so that its
  // counters show how many reports arrived in a window, never when one did (0: live, for development).
  METRICS_WINDOW_SECONDS: intIn(0, 86_400).default(900),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SERVE_WEB: bool.default(true),
  // Integrity monitoring (issue 14): counts below this are shown as "fewer than N" (at least 3).
  STATISTICS_MIN_CELL: intIn(3, 1000).default(5),
  // How often the worker refreshes the statistics view the dashboard reads (its freshness).
  STATISTICS_REFRESH_MS: intIn(10_000, 86_400_000).default(300_000),
  // The public transparency page (GET /api/v1/transparency and /transparency): off unless turned on.
  TRANSPARENCY_PAGE: bool.default(false),
  // The built web app to serve (default apps/web/dist); in production it must match its signed manifest.
  WEB_DIR: z.string().min(1).optional(),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming each bad variable. Empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        return `${name}=${JSON.stringify(cleaned[name] ?? '')}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}
