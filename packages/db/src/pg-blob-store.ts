import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { BlobLengthError, type BlobStore } from './blob-store';

/** Bytes per chunk row: big enough to keep per-row overhead small, small enough to hold a few. */
export const BLOB_ROW_BYTES = 256 * 1024;
/** Rows fetched per query while reading: 512 KiB of data (and its hex text) in flight per download. */
const ROWS_PER_READ = 2;
/**
 * Rows are read back in slices of this size. pg hands bytea over as hex text; a 256 KiB row would
 * be a 512 KiB string in V8's large-object space, freed only by a major GC, and a download would
 * pile them up. 32 KiB slices make 64 KiB strings that die young. (Binary results are no way out:
 * pg's protocol parser decodes every field as UTF-8.) Uncompressed storage lets Postgres fetch
 * only the TOAST pieces a slice needs.
 */
const READ_SLICE_BYTES = 32 * 1024;


/**
 * Blobs as chunk rows in Postgres (migrations/002_files.sql). An upload is staged: rows are
 * written as they arrive (each in its own short statement, so no connection is held while the
 * client is slow), and the blob becomes readable only when all bytes are in.
 */
export class PgBlobStore implements BlobStore {
  constructor(
    private readonly pool: Pool,
    private readonly rowBytes = BLOB_ROW_BYTES,
  ) {}

  async put(source: AsyncIterable<Uint8Array>, expectedSize: number): Promise<string> {
    const id = randomUUID();
    await this.pool.query('INSERT INTO blobs (id, size) VALUES ($1, $2)', [id, expectedSize]);
    try {
      let seq = 0;
      let received = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async () => {
        const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        await this.pool.query('INSERT INTO blob_chunks (blob_id, seq, data) VALUES ($1, $2, $3)', [id, seq++, data]);
      };
      // for await pulls the next piece only after the previous row is written: backpressure.
      for await (const piece of source) {
        const bytes = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
        received += bytes.length;
        if (received > expectedSize) throw new BlobLengthError(expectedSize, received, true);
        for (let off = 0; off < bytes.length; ) {
          const n = Math.min(this.rowBytes - pendingBytes, bytes.length - off);
          pending.push(bytes.subarray(off, off + n));
          pendingBytes += n;
          off += n;
          if (pendingBytes === this.rowBytes) await flush();
        }
      }
      if (received !== expectedSize) throw new BlobLengthError(expectedSize, received);
      if (pendingBytes > 0) await flush();
      await this.pool.query('UPDATE blobs SET complete = true WHERE id = $1', [id]);
      return id;
    } catch (error) {
      // Best effort: if this fails too, housekeeping (purgeAbandonedFileUploads) removes the rows.
      await this.delete(id).catch(() => undefined);
      throw error;
    }
  }

  async get(id: string): Promise<Readable | null> {
    const { rows } = await this.pool.query<{ size: string }>('SELECT size FROM blobs WHERE id = $1 AND complete', [id]);
    if (!rows[0]) return null;
    const size = Number(rows[0].size);
    const pool = this.pool;
    // Keyset pages: each query is short and independent, so memory stays flat and no
    // connection is held while the client reads slowly.
    async function* pages(): AsyncGenerator<Buffer> {
      let seq = 0;
      let sent = 0;
      for (;;) {
        const page = await pool.query<{ seq: number; data: Buffer }>(
          `SELECT c.seq, substring(c.data FROM s.o FOR $4) AS data
             FROM (SELECT seq, data FROM blob_chunks WHERE blob_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3) c
             CROSS JOIN LATERAL generate_series(1, greatest(length(c.data), 1), $4) AS s(o)
            ORDER BY c.seq, s.o`,
          [id, seq, ROWS_PER_READ, READ_SLICE_BYTES],
        );
        let rows = 0;
        let last = -1;
        for (const slice of page.rows) {
          if (slice.seq !== last) {
            rows++;
            last = slice.seq;
          }
          sent += slice.data.length;
          if (slice.data.length > 0) yield slice.data;
        }
        if (rows < ROWS_PER_READ) break;
        seq = last + 1;
      }
      // Deleted while being read, or damaged: never let a short stream pass as a whole one.
      if (sent !== size) throw new Error(`blob ${id} ended after ${sent} of ${size} bytes`);
    }
    return Readable.from(pages(), { objectMode: false });
  }

  async delete(id: string): Promise<void> {
    await this.pool.query('DELETE FROM blobs WHERE id = $1', [id]);
  }
}
