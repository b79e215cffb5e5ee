import type { Config } from '@sauti/config';
import type { BlobStore, Db, Deployment, IntakeContextCache } from '@sauti/db';
import type { Logger } from '@sauti/log';
import type IORedis from 'ioredis';

export type ApiDeps = {
  config: Config;
  pool: Db;
  /** Used only by /readyz: accepting a report never touches Redis. */
  redis: IORedis;
  log: Logger;
  deployment: Deployment;
  /** Where encrypted file streams live; Postgres chunk rows (PgBlobStore) when not given. */
  blobs?: BlobStore;
  /** Intake's contexts, kept until an admin change is notified; read straight from the database when not given. */
  intake?: IntakeContextCache;
};
