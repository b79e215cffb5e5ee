import { CryptoError } from './errors';
import { expectLength, utf8 } from './encoding';
import { SIZES } from './primitives';
import {
  streamInitPull,
  streamInitPush,
  streamKeygen,
  streamPull,
  streamPush,
  streamTagFinal,
  streamTagMessage,
  type StreamState,
} from './sodium';

/** §7: plaintext chunk size. */
export const FILE_CHUNK = 65536;
export const FILE_HEADER = 24;
export const FILE_CHUNK_OVERHEAD = 17;
/** One full encrypted chunk: the most a decryptor ever has to hold. */
export const FILE_CIPHER_CHUNK = FILE_CHUNK + FILE_CHUNK_OVERHEAD;

export const fileAd = (caseId: string, fileId: string): string => `sip1/file/${caseId}/${fileId}`;

export function fileKeygen(): Uint8Array {
  return streamKeygen();
}

/** Number of chunks: an empty file is still one (empty, FINAL) chunk; no empty chunk follows a full one. */
function chunkCount(plainSize: number): number {
  return Math.max(1, Math.ceil(plainSize / FILE_CHUNK));
}

function checkSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new CryptoError('bad_length', `${what} must be a whole number of bytes, got ${n}`);
}

/** Length of the stream the server will store, i.e. the `size` of POST …/files. */
export function encryptedFileSize(plainSize: number): number {
  checkSize(plainSize, 'file size');
  return FILE_HEADER + plainSize + FILE_CHUNK_OVERHEAD * chunkCount(plainSize);
}

/**
 * Encrypts a file of known size chunk by chunk, so large files never sit in
 * memory twice. Feed exactly FILE_CHUNK bytes per push except the last; the
 * chunk that completes plainSize is tagged FINAL.
 */
export class FileEncryptor {
  readonly header: Uint8Array;
  private readonly state: StreamState;
  private readonly ad: Uint8Array;
  private pushed = 0;
  private finished = false;

  constructor(caseId: string, fileId: string, key: Uint8Array, private readonly plainSize: number) {
    expectLength(key, SIZES.key, 'file key');
    checkSize(plainSize, 'file size');
    this.ad = utf8(fileAd(caseId, fileId));
    const { state, header } = streamInitPush(key);
    this.state = state;
    this.header = header;
  }

  /** True once the FINAL chunk has been produced. */
  get done(): boolean {
    return this.finished;
  }

  push(plainChunk: Uint8Array): Uint8Array {
    if (this.finished) throw new CryptoError('bad_length', 'the file is already complete: nothing more can be added');
    const expected = Math.min(FILE_CHUNK, this.plainSize - this.pushed);
    if (!(plainChunk instanceof Uint8Array) || plainChunk.length !== expected) {
      throw new CryptoError(
        'bad_length',
        `file chunks must be ${FILE_CHUNK} bytes except the last; expected ${expected} bytes here, got ${plainChunk?.length}`,
      );
    }
    this.pushed += plainChunk.length;
    this.finished = this.pushed === this.plainSize;
    return streamPush(this.state, plainChunk, this.ad, this.finished ? streamTagFinal() : streamTagMessage());
  }
}

const DAMAGED = 'file could not be decrypted: wrong key, or it was altered, reordered or belongs to another file or case';
const LAST_PART = 'file could not be decrypted: its last part is incomplete or was altered';
const INCOMPLETE = 'file is incomplete: its final part is missing';

/**
 * Decrypts a stream delivered in slices of any size (e.g. from fetch), holding
 * at most one encrypted chunk. Pass `streamSize` (the file's `size`) when known:
 * the final, shorter chunk is then recognised exactly. Without it, every slice
 * that leaves a partial chunk triggers a trial decryption of that chunk (a
 * failed check leaves the stream state untouched), which costs more CPU when
 * slices are tiny.
 *
 * Errors: decrypt_failed when bytes that arrived do not authenticate (tampering,
 * wrong key, case or file, reordering, a chunk cut short, data after FINAL);
 * truncated_stream when everything that arrived authenticated but FINAL did not
 * (a cut at a chunk boundary, or fewer bytes than streamSize).
 */
export class FileDecryptor {
  private readonly ad: Uint8Array;
  private readonly key: Uint8Array;
  private readonly header = new Uint8Array(FILE_HEADER);
  private readonly buf = new Uint8Array(FILE_CIPHER_CHUNK);
  private state: StreamState | null = null;
  private headerFill = 0;
  private fill = 0;
  private received = 0;
  private finalSeen = false;
  private broken: CryptoError | null = null;

  constructor(caseId: string, fileId: string, key: Uint8Array, private readonly streamSize?: number) {
    expectLength(key, SIZES.key, 'file key');
    if (streamSize !== undefined) checkSize(streamSize, 'stream size');
    this.key = key.slice();
    this.ad = utf8(fileAd(caseId, fileId));
  }

  /** Returns the plaintext chunks completed by these bytes (possibly none). */
  push(cipherBytes: Uint8Array): Uint8Array[] {
    if (this.broken) throw this.broken;
    try {
      return this.take(cipherBytes);
    } catch (e) {
      // Once a stream is known bad, nothing more from it may be released.
      if (e instanceof CryptoError) this.broken = e;
      throw e;
    }
  }

  /** Call after the last byte: throws unless the FINAL chunk was seen. */
  finish(): void {
    if (this.broken) throw this.broken;
    if (this.finalSeen) return;
    const cutShort = this.streamSize !== undefined && this.received < this.streamSize;
    // Leftover bytes of a known-complete stream are a last chunk that never authenticated.
    this.broken = this.fill > 0 && !cutShort ? new CryptoError('decrypt_failed', LAST_PART) : new CryptoError('truncated_stream', INCOMPLETE);
    throw this.broken;
  }

  private take(bytes: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    if (this.streamSize !== undefined && this.received + bytes.length > this.streamSize) {
      throw new CryptoError('decrypt_failed', `file is longer than the expected ${this.streamSize} bytes`);
    }
    this.received += bytes.length;
    let off = 0;
    while (off < bytes.length) {
      if (this.finalSeen) throw new CryptoError('decrypt_failed', 'file has extra data after its final part');
      if (!this.state) {
        const n = Math.min(FILE_HEADER - this.headerFill, bytes.length - off);
        this.header.set(bytes.subarray(off, off + n), this.headerFill);
        this.headerFill += n;
        off += n;
        if (this.headerFill === FILE_HEADER) this.state = streamInitPull(this.header, this.key);
        continue;
      }
      const n = Math.min(FILE_CIPHER_CHUNK - this.fill, bytes.length - off);
      this.buf.set(bytes.subarray(off, off + n), this.fill);
      this.fill += n;
      off += n;
      // A full-size chunk is complete whatever its tag: non-final chunks are never shorter.
      if (this.fill === FILE_CIPHER_CHUNK) out.push(this.pull(true));
    }
    if (!this.finalSeen && this.fill > 0) {
      if (this.streamSize === undefined) {
        const last = this.pull(false);
        if (last) out.push(last);
      } else if (this.received === this.streamSize) {
        out.push(this.pull(true));
      }
    }
    return out;
  }

  /** Decrypts the buffered chunk. With `mustSucceed` false, a failed check means "not complete yet". */
  private pull(mustSucceed: true): Uint8Array;
  private pull(mustSucceed: false): Uint8Array | null;
  private pull(mustSucceed: boolean): Uint8Array | null {
    const full = this.fill === FILE_CIPHER_CHUNK;
    // libsodium rejects anything shorter than a tag outright; that is just a failed check here.
    const r = this.fill < FILE_CHUNK_OVERHEAD ? null : streamPull(this.state!, this.buf.subarray(0, this.fill), this.ad);
    if (!r) {
      if (mustSucceed) throw new CryptoError('decrypt_failed', full ? DAMAGED : LAST_PART);
      return null;
    }
    if (r.tag === streamTagFinal()) this.finalSeen = true;
    else if (r.tag !== streamTagMessage() || !full) {
      // SIP/1 only uses MESSAGE then FINAL; a short non-final chunk means a broken writer.
      throw new CryptoError('decrypt_failed', DAMAGED);
    }
    this.fill = 0;
    return r.message;
  }
}

/** Convenience for data already in memory; output length is encryptedFileSize(plain.length). */
export function encryptFile(caseId: string, fileId: string, key: Uint8Array, plain: Uint8Array): Uint8Array {
  const enc = new FileEncryptor(caseId, fileId, key, plain.length);
  const out = new Uint8Array(encryptedFileSize(plain.length));
  out.set(enc.header);
  let o = FILE_HEADER;
  for (let i = 0; !enc.done; i += FILE_CHUNK) {
    const c = enc.push(plain.subarray(i, Math.min(i + FILE_CHUNK, plain.length)));
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export function decryptFile(caseId: string, fileId: string, key: Uint8Array, stream: Uint8Array): Uint8Array {
  const dec = new FileDecryptor(caseId, fileId, key, stream.length);
  const parts = dec.push(stream);
  dec.finish();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
