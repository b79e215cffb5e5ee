import {
  FILE_CHUNK,
  FileDecryptor,
  FileEncryptor,
  aeadEncrypt,
  bytesEqual,
  concatBytes,
  decryptFile,
  decryptFileMeta,
  encryptFile,
  encryptFileMeta,
  encryptedFileSize,
  fileKeygen,
  randomBytes,
  randomUuid,
  ready,
  utf8,
} from './index';
import { failure } from './spec-helpers';

beforeAll(ready);

const C = FILE_CHUNK + 17; // one encrypted chunk
const caseId = '6f1c2a9e-3b4d-4c5e-8f70-a1b2c3d4e5f6';
const fileId = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';

/** Deterministic pseudo-random plaintext, cheaper than randombytes for large sizes. */
function plaintext(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Encrypts through the streaming API, the way the browser reads a File. */
function encryptStreaming(plain: Uint8Array, key: Uint8Array, ids = { caseId, fileId }): Uint8Array {
  const enc = new FileEncryptor(ids.caseId, ids.fileId, key, plain.length);
  const parts = [enc.header];
  let i = 0;
  do {
    parts.push(enc.push(plain.subarray(i, Math.min(i + FILE_CHUNK, plain.length))));
    i += FILE_CHUNK;
  } while (!enc.done);
  return concatBytes(...parts);
}

/** Feeds the stream in slices whose sizes cycle through `sizes`. */
function decryptSliced(stream: Uint8Array, key: Uint8Array, sizes: number[], withSize: boolean, ids = { caseId, fileId }): Uint8Array {
  const dec = new FileDecryptor(ids.caseId, ids.fileId, key, withSize ? stream.length : undefined);
  const out: Uint8Array[] = [];
  for (let o = 0, n = 0; o < stream.length; n++) {
    const size = sizes[n % sizes.length]!;
    out.push(...dec.push(stream.subarray(o, o + size)));
    o += size;
  }
  dec.finish();
  return concatBytes(...out);
}

function swap(stream: Uint8Array, a: number, b: number): Uint8Array {
  const s = stream.slice();
  s.set(stream.subarray(24 + a * C, 24 + (a + 1) * C), 24 + b * C);
  s.set(stream.subarray(24 + b * C, 24 + (b + 1) * C), 24 + a * C);
  return s;
}

describe('encrypted files (§7)', () => {
  const SIZES_UNDER_TEST = [0, 1, 65535, 65536, 65537, 200000];

  it.each(SIZES_UNDER_TEST)('%i bytes: streams round-trip through odd slice sizes, with and without the length', (n) => {
    const key = fileKeygen();
    const plain = plaintext(n, n + 1);
    const stream = encryptStreaming(plain, key);
    expect(stream).toHaveLength(encryptedFileSize(n));
    const known = [[1], [7], [1000, 1], [C], [C + 1], [131071], [stream.length], [3, 65550, 17, 99991]];
    for (const sizes of known) expect(bytesEqual(decryptSliced(stream, key, sizes, true), plain)).toBe(true);
    // Without the length each partial slice costs a trial decryption, so tiny slices only for tiny files.
    const unknown = [[1000], [4099, 61], [C - 1], [C], [C + 1], [100003], [stream.length]];
    if (n <= 1) unknown.push([1], [7]);
    for (const sizes of unknown) expect(bytesEqual(decryptSliced(stream, key, sizes, false), plain)).toBe(true);
    expect(bytesEqual(decryptFile(caseId, fileId, key, encryptFile(caseId, fileId, key, plain)), plain)).toBe(true);
  });

  it('returns each plaintext chunk as soon as its encrypted chunk is complete', () => {
    const key = fileKeygen();
    const plain = plaintext(200000);
    const stream = encryptStreaming(plain, key);
    const dec = new FileDecryptor(caseId, fileId, key);
    expect(dec.push(stream.subarray(0, 24 + C - 1))).toEqual([]);
    const first = dec.push(stream.subarray(24 + C - 1, 24 + C));
    expect(first).toHaveLength(1);
    expect(bytesEqual(first[0]!, plain.subarray(0, FILE_CHUNK))).toBe(true);
    const rest = dec.push(stream.subarray(24 + C));
    expect(rest.map((p) => p.length)).toEqual([FILE_CHUNK, FILE_CHUNK, 200000 - 3 * FILE_CHUNK]);
    dec.finish();
  });

  it('sizes: an empty file is one empty final chunk; an exact multiple gets no extra chunk', () => {
    expect([0, 1, 65536, 65537, 131072, 200000].map(encryptedFileSize)).toEqual([41, 42, 65577, 65595, 131130, 200092]);
    const key = fileKeygen();
    expect(encryptFile(caseId, fileId, key, new Uint8Array(0))).toHaveLength(41);
    expect(encryptFile(caseId, fileId, key, plaintext(65536))).toHaveLength(24 + C);
    expect(encryptFile(caseId, fileId, key, plaintext(131072))).toHaveLength(24 + 2 * C);
    expect(failure(() => encryptedFileSize(-1)).code).toBe('bad_length');
  });

  it('FileEncryptor insists on full chunks except the last, and nothing after it', () => {
    const key = fileKeygen();
    const enc = new FileEncryptor(caseId, fileId, key, 70000);
    expect(enc.header).toHaveLength(24);
    expect(failure(() => enc.push(new Uint8Array(1000))).code).toBe('bad_length');
    expect(enc.push(new Uint8Array(FILE_CHUNK))).toHaveLength(C);
    expect(enc.done).toBe(false);
    expect(failure(() => enc.push(new Uint8Array(FILE_CHUNK))).code).toBe('bad_length');
    expect(enc.push(new Uint8Array(70000 - FILE_CHUNK))).toHaveLength(70000 - FILE_CHUNK + 17);
    expect(enc.done).toBe(true);
    expect(failure(() => enc.push(new Uint8Array(0))).code).toBe('bad_length');
    const empty = new FileEncryptor(caseId, fileId, key, 0);
    expect(empty.push(new Uint8Array(0))).toHaveLength(17);
    expect(failure(() => new FileEncryptor(caseId, fileId, key, -5)).code).toBe('bad_length');
    expect(failure(() => new FileEncryptor(caseId, fileId, randomBytes(16), 5)).code).toBe('bad_length');
  });

  describe('refuses damaged streams', () => {
    let key: Uint8Array;
    let plain: Uint8Array;
    let stream: Uint8Array; // 4 chunks: 3 full, 1 short
    beforeAll(() => {
      key = fileKeygen();
      plain = plaintext(200000, 7);
      stream = encryptStreaming(plain, key);
    });
    const both = (s: Uint8Array, code: string, ids = { caseId, fileId }, k?: Uint8Array): void => {
      for (const withSize of [true, false]) {
        for (const sizes of [[s.length || 1], [5000, 3]]) {
          const e = failure(() => decryptSliced(s, k ?? key, sizes, withSize, ids));
          expect([withSize, sizes, e.code]).toEqual([withSize, sizes, code]);
        }
      }
    };

    it('truncated at a chunk boundary: truncated_stream, "final part is missing"', () => {
      for (const cut of [0, 10, 24, 24 + C, 24 + 3 * C]) both(stream.subarray(0, cut), 'truncated_stream');
      const e = failure(() => decryptFile(caseId, fileId, key, stream.subarray(0, 24 + 2 * C)));
      expect(e.message).toBe('file is incomplete: its final part is missing');
    });

    it('cut inside a chunk: decrypt_failed, because what arrived does not authenticate', () => {
      for (const cut of [24 + 1, 24 + 16, 24 + 17, 24 + 40000, 24 + 3 * C + 100, stream.length - 1]) both(stream.subarray(0, cut), 'decrypt_failed');
    });

    it('known length but the connection dropped: truncated_stream', () => {
      const dec = new FileDecryptor(caseId, fileId, key, stream.length);
      expect(dec.push(stream.subarray(0, 24 + C + 500))).toHaveLength(1);
      expect(failure(() => dec.finish()).code).toBe('truncated_stream');
      const more = new FileDecryptor(caseId, fileId, key, 100);
      expect(failure(() => more.push(stream.subarray(0, 101))).code).toBe('decrypt_failed');
    });

    it('any flipped bit: decrypt_failed', () => {
      for (const at of [0, 23, 24, 25, 24 + C - 1, 24 + C, 24 + 2 * C + 7, stream.length - 17, stream.length - 1]) {
        const t = stream.slice();
        t[at]! ^= 1;
        both(t, 'decrypt_failed');
      }
    });

    it('chunks reordered, dropped or duplicated: decrypt_failed', () => {
      both(swap(stream, 1, 2), 'decrypt_failed');
      both(swap(stream, 0, 1), 'decrypt_failed');
      both(concatBytes(stream.subarray(0, 24 + C), stream.subarray(24 + 2 * C)), 'decrypt_failed');
      both(concatBytes(stream.subarray(0, 24 + C), stream.subarray(24, 24 + C), stream.subarray(24 + C)), 'decrypt_failed');
    });

    it('after a failure nothing more is released', () => {
      const t = swap(stream, 1, 2);
      const dec = new FileDecryptor(caseId, fileId, key);
      expect(dec.push(t.subarray(0, 24 + C))).toHaveLength(1);
      expect(failure(() => dec.push(t.subarray(24 + C, 24 + 2 * C))).code).toBe('decrypt_failed');
      expect(failure(() => dec.push(t.subarray(24 + 2 * C))).code).toBe('decrypt_failed');
      expect(failure(() => dec.finish()).code).toBe('decrypt_failed');
    });

    it('data after the final chunk: decrypt_failed', () => {
      both(concatBytes(stream, Uint8Array.of(0)), 'decrypt_failed');
      both(concatBytes(stream, stream.subarray(stream.length - 100)), 'decrypt_failed');
      const dec = new FileDecryptor(caseId, fileId, key);
      dec.push(stream);
      expect(dec.push(new Uint8Array(0))).toEqual([]);
      const e = failure(() => dec.push(Uint8Array.of(1)));
      expect([e.code, e.message]).toEqual(['decrypt_failed', 'file has extra data after its final part']);
    });

    it('chunks swapped between two files under the same key: decrypt_failed', () => {
      const other = encryptStreaming(plaintext(200000, 8), key); // same key, case and file id; other header
      const mixed = stream.slice();
      mixed.set(other.subarray(24 + C, 24 + 2 * C), 24 + C);
      both(mixed, 'decrypt_failed');
      both(concatBytes(other.subarray(0, 24), stream.subarray(24)), 'decrypt_failed');
      const otherId = { caseId, fileId: randomUuid() };
      const third = encryptStreaming(plaintext(200000, 9), key, otherId);
      const mixed2 = stream.slice();
      mixed2.set(third.subarray(24 + 3 * C), 24 + 3 * C); // final chunk from another file
      both(mixed2, 'decrypt_failed');
    });

    it('a stream moved to another case or file, or opened with another key: decrypt_failed', () => {
      both(stream, 'decrypt_failed', { caseId: randomUuid(), fileId });
      both(stream, 'decrypt_failed', { caseId, fileId: randomUuid() });
      both(stream, 'decrypt_failed', { caseId, fileId }, fileKeygen());
      const e = failure(() => decryptFile(randomUuid(), fileId, key, stream));
      expect(e.message).toMatch(/^file could not be decrypted/);
    });
  });
});

describe('file meta (§7)', () => {
  it('round-trips name, type, size and key under the case key', () => {
    const caseKey = randomBytes(32);
    const meta = { name: 'rapport final (v2) — ضريبة.pdf', type: 'application/pdf', size: 123456, key: fileKeygen() };
    const c = encryptFileMeta(caseKey, caseId, fileId, meta);
    const back = decryptFileMeta(caseKey, caseId, fileId, c);
    expect({ ...back, key: Array.from(back.key) }).toEqual({ ...meta, key: Array.from(meta.key) });
    expect(failure(() => decryptFileMeta(caseKey, caseId, randomUuid(), c)).code).toBe('decrypt_failed');
    expect(failure(() => decryptFileMeta(caseKey, randomUuid(), fileId, c)).code).toBe('decrypt_failed');
    expect(failure(() => decryptFileMeta(randomBytes(32), caseId, fileId, c)).code).toBe('decrypt_failed');
    expect(failure(() => encryptFileMeta(caseKey, caseId, fileId, { ...meta, key: randomBytes(16) })).code).toBe('bad_length');
  });

  it('refuses authenticated meta of the wrong shape', () => {
    const caseKey = randomBytes(32);
    const ad = `sip1/filemeta/${caseId}/${fileId}`;
    const key = 'A'.repeat(43);
    for (const json of [
      '{}',
      `{"name":"a","type":"b","size":-1,"key":"${key}"}`,
      `{"name":"a","type":"b","size":1.5,"key":"${key}"}`,
      `{"name":"a","type":"b","size":"1","key":"${key}"}`,
      `{"name":1,"type":"b","size":1,"key":"${key}"}`,
      '{"name":"a","type":"b","size":1,"key":"AAAA"}',
      '{"name":"a","type":"b","size":1,"key":"not base64!"}',
      'null',
      'not json',
    ]) {
      expect(failure(() => decryptFileMeta(caseKey, caseId, fileId, aeadEncrypt(caseKey, utf8(json), ad))).code).toBe('bad_encoding');
    }
  });
});
