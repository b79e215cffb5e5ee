import { Client } from 'pg';
import { listIntakeContexts, type IntakeContextRow } from './intake';
import type { Db } from './pool';

/** The channel the intake triggers (migration 006) notify on, at commit, after any admin change. */
export const INTAKE_CHANNEL = 'sauti_intake';

/**
 * The open contexts as intake needs them (five queries), read once and kept until an admin change
 * commits: triggers on the context, people and unit tables NOTIFY, and the listener drops the copy.
 * While the listener is not connected nothing is cached, so a missed notification cannot leave a
 * stale recipient set in use.
 */
export class IntakeContextCache {
  private listener: Client | null = null;
  private cached: Promise<IntakeContextRow[]> | null = null;
  private generation = 0;
  private stopped = false;
  private reconnect: NodeJS.Timeout | null = null;

  constructor(private readonly pool: Db, private readonly databaseUrl: string) {}

  async start(): Promise<void> {
    if (this.listener || this.stopped) return;
    try {
      const client = new Client({ connectionString: this.databaseUrl, application_name: 'sauti-intake-cache' });
      client.on('error', () => this.lost());
      client.on('end', () => this.lost());
      client.on('notification', () => this.invalidate());
      await client.connect();
      await client.query(`LISTEN ${INTAKE_CHANNEL}`);
      this.listener = client;
      this.invalidate(); // anything changed while not listening
    } catch {
      this.lost();
    }
  }

  private lost(): void {
    const had = this.listener;
    this.listener = null;
    this.invalidate();
    void had?.end().catch(() => undefined);
    if (this.stopped || this.reconnect) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = null;
      void this.start();
    }, 1_000);
    this.reconnect.unref();
  }

  invalidate(): void {
    this.generation++;
    this.cached = null;
  }

  /** Every open context, or only `contextId`'s (empty when it is not open). */
  async get(contextId?: string): Promise<IntakeContextRow[]> {
    if (!this.listener) return listIntakeContexts(this.pool, contextId);
    if (!this.cached) {
      const generation = this.generation;
      const loading = listIntakeContexts(this.pool);
      this.cached = loading;
      // A change notified while loading may not be in what was read: do not keep it.
      loading.then(
        () => (generation !== this.generation && this.cached === loading ? (this.cached = null) : undefined),
        () => (this.cached === loading ? (this.cached = null) : undefined),
      );
    }
    const all = await this.cached;
    return contextId === undefined ? all : all.filter((c) => c.id === contextId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    const client = this.listener;
    this.listener = null;
    this.cached = null;
    await client?.end().catch(() => undefined);
  }
}
