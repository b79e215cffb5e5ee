import type { Config } from '@sauti/config';
import type { BlobStore, Db, Deployment, IntakeContextCache } from '@sauti/db';
import type { Logger } from '@sauti/log';
import type IORedis from 'ioredis';
import type { FailureCounter, RateLimits } from './http/rate-limit';

export type ApiDeps = {
  config: Config;
  pool: Db;
  /** Used by /readyz and the rate limits; accepting a report never depends on Redis (its limit fails open). */
  redis: IORedis;
  /** Rate limits and the failed-sign-in counter (docs/threat-model.md "Abuse"). */
  limits: RateLimits;
  failures: FailureCounter;
  log: Logger;
  deployment: Deployment;
  /** Where encrypted file streams live; Postgres chunk rows (PgBlobStore) when not given. */
  blobs?: BlobStore;
  /** Intake's contexts, kept until an admin change is notified; read straight from the database when not given. */
  intake?: IntakeContextCache;
};
