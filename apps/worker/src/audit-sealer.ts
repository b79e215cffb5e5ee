import {
  AUDIT_SEALER_LOCK,
  chainHead,
  lastCheckpoint,
  loadCheckpointKey,
  recordCheckpoint,
  sealAuditBatch,
  signCheckpoint,
  withTransaction,
  writeCheckpointFile,
  type CheckpointKey,
  type Db,
} from '@sauti/db';
import type { Logger } from '@sauti/log';
import { Client } from 'pg';

export type AuditSealerOptions = {
  pool: Db;
  databaseUrl: string;
  log: Logger;
  intervalMs: number;
  batch: number;
  /** 0: no checkpoints. */
  checkpointIntervalMs: number;
  witnessDir?: string;
  mailAuditors: boolean;
  signingKeyFile?: string;
};

/**
 * The one audit sealer of a deployment. Every worker runs one; the one whose connection holds the
 * session advisory lock seals, the others try again each interval — so when the leader's process
 * dies, Postgres drops its lock with its connection and another worker takes over within one
 * interval. Sealing runs on the connection that holds the lock: a leader that lost it cannot seal.
 */
export class AuditSealer {
  private client: Client | null = null;
  private leader = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  private key: CheckpointKey | null = null;
  private failures = 0;
  /** Entries sealed by this process (for logs and the benchmark). */
  sealedTotal = 0;

  constructor(private readonly o: AuditSealerOptions) {}

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = null;
        this.schedule(this.o.intervalMs);
      });
    }, delay);
    this.timer.unref();
  }

  /** One round: become leader if nobody is, then seal until nothing final is left, then checkpoint if due. */
  async tick(): Promise<number> {
    let sealed = 0;
    try {
      if (!(await this.lead())) return 0;
      for (;;) {
        const result = await sealAuditBatch(this.client!, this.o.batch);
        sealed += result.sealed;
        if (result.sealed < this.o.batch || this.stopped) break;
      }
      this.sealedTotal += sealed;
      await this.checkpointIfDue();
      this.failures = 0;
    } catch (error) {
      this.failures++;
      if (this.failures === 1 || this.failures % 20 === 0) {
        this.o.log.warn({ err: { type: (error as Error).name, message: (error as Error).message }, failures: this.failures }, 'audit sealer could not seal; will retry');
      }
      this.drop();
    }
    return sealed;
  }

  private async lead(): Promise<boolean> {
    if (this.leader && this.client) return true;
    if (!this.client) {
      const client = new Client({ connectionString: this.o.databaseUrl, application_name: 'sauti-audit-sealer' });
      client.on('error', () => this.drop());
      await client.connect();
      this.client = client;
    }
    const { rows } = await this.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [AUDIT_SEALER_LOCK]);
    this.leader = rows[0]?.locked === true;
    if (this.leader) this.o.log.info('this worker seals the audit log');
    return this.leader;
  }

  /** Forget the connection (and with it the lock); the next tick competes again. */
  private drop(): void {
    const client = this.client;
    this.client = null;
    this.leader = false;
    void client?.end().catch(() => undefined);
  }

  private async checkpointIfDue(): Promise<void> {
    if (this.o.checkpointIntervalMs <= 0) return;
    const head = await chainHead(this.client!);
    if (head.length === 0) return;
    const last = await lastCheckpoint(this.client!);
    if (last && (last.length === head.length || Date.now() - last.at.getTime() < this.o.checkpointIntervalMs)) return;
    this.key ??= await loadCheckpointKey(this.o.pool, this.o.signingKeyFile);
    const checkpoint = signCheckpoint(this.key, head, new Date());
    // The witness file first: a checkpoint recorded in the database but not witnessed proves nothing.
    if (this.o.witnessDir) await writeCheckpointFile(this.o.witnessDir, checkpoint);
    await withTransaction(this.o.pool, (tx) => recordCheckpoint(tx, checkpoint, this.o.mailAuditors));
    this.o.log.info({ length: checkpoint.length, witnessed: Boolean(this.o.witnessDir), mailed: this.o.mailAuditors }, 'audit checkpoint signed');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    const client = this.client;
    this.client = null;
    this.leader = false;
    await client?.end().catch(() => undefined);
  }
}
