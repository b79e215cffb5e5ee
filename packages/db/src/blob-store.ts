import type { Readable } from 'node:stream';

/**
 * Where opaque byte streams (encrypted files) live. Postgres by default (PgBlobStore); an
 * S3-compatible store can implement the same three calls later.
 */
export interface BlobStore {
  /**
   * Stores exactly `expectedSize` bytes read from `source` and returns the new blob's id. Rejects
   * with BlobLengthError when the source holds another number of bytes, or with the source's own
   * error when it breaks off; either way nothing is kept.
   */
  put(source: AsyncIterable<Uint8Array>, expectedSize: number): Promise<string>;
  /** The complete blob as a stream, or null when there is no complete blob with this id. */
  get(id: string): Promise<Readable | null>;
  delete(id: string): Promise<void>;
}

/** A stream that ended short of, or went past, the size it was declared with. */
export class BlobLengthError extends Error {
  constructor(
    readonly expected: number,
    /** Bytes received; when `more` is true the source had at least this many and was cut off there. */
    readonly received: number,
    readonly more = false,
  ) {
    super(`expected ${expected} bytes, ${more ? 'got more than' : 'got'} ${more ? expected : received}`);
    this.name = 'BlobLengthError';
  }
}
