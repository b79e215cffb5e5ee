import { randomBytes as nodeRandomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  decryptFile,
  decryptFileMeta,
  encryptFile,
  FILE_CHUNK,
  FILE_CIPHER_CHUNK,
  FILE_HEADER,
  fromB64,
  isCryptoError,
  ready,
} from '../packages/crypto/src';
import { ReporterClient, type Intake, type IntakeContext } from '../packages/client/src';
import { BlobLengthError, PgBlobStore, purgeAbandonedFileUploads } from '../packages/db/src';
import {
  collect,
  downloadAndDecrypt,
  encryptedStream,
  getRaw,
  prepareFile,
  putRaw,
  reporterWithCase,
  startPut,
  type PreparedFile,
  type ReporterOnCase,
} from './helpers/files';
import { seedOrganisation } from './helpers/fixtures';
import { startStack, type TestStack } from './helpers/stack';
import { waitFor, waitForCount } from './helpers/wait';

// Jest applies no per-project testTimeout here; 50 MB round trips need more than the 5 s default.
jest.setTimeout(120_000);

/** Plaintext for tests: Node's generator (the crypto package's is slow for megabytes). */
const randomBytes = (n: number) => new Uint8Array(nodeRandomBytes(n));

let stack: TestStack;
let intake: Intake;
let context: IntakeContext;

beforeAll(async () => {
  await ready();
  stack = await startStack({ worker: false });
  const org = await seedOrganisation(stack.pool, { investigators: 2 });
  intake = await new ReporterClient(stack.api.url).intake();
  context = intake.contexts.find((c) => c.id === org.contextId)!;
});

afterAll(async () => {
  await stack?.stop();
});

const filesUrl = () => `${stack.api.url}/api/v1/reporter/case/files`;
const contentUrl = (fileId: string) => `${filesUrl()}/${fileId}/content`;

async function register(r: ReporterOnCase, file: PreparedFile) {
  return r.client.call<{ id: string; size: number; author: string; createdAt: string; error?: string }>('POST', '/api/v1/reporter/case/files', file.registration);
}

/** Registers and uploads bytes already in memory (the stream, possibly altered by the test). */
async function upload(r: ReporterOnCase, file: PreparedFile, stream: Uint8Array) {
  expect((await register(r, file)).status).toBe(201);
  return putRaw(contentUrl(file.id), r.auth, stream);
}

async function listedFiles(r: ReporterOnCase) {
  const view = await r.client.getCase();
  expect(view.status).toBe(200);
  return view.body.files as { id: string; meta: string; size: number; author: string; createdAt: string }[];
}

const chunkRows = async () => (await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM blob_chunks')).rows[0]!.n;

describe('encrypted files: round trips through the api and Postgres', () => {
  let r: ReporterOnCase;
  beforeAll(async () => {
    r = await reporterWithCase(stack.api.url, intake, context);
  });

  it.each([0, 1, 65_536, 65_537])(
    'when a reporter uploads a file of %i bytes, then it is listed with its sealed meta and downloads byte for byte as stored',
    async (plainSize) => {
      const plain = randomBytes(plainSize);
      const file = prepareFile(r.caseId, r.caseKey, plainSize, `receipt-${plainSize}.jpg`, 'image/jpeg');
      const stream = encryptFile(r.caseId, file.id, file.key, plain);
      expect(stream.length).toBe(file.size);

      const registered = await register(r, file);
      expect(registered.status).toBe(201);
      expect(registered.body).toMatchObject({ id: file.id, size: file.size, author: 'reporter' });
      // Registered but without content: not listed, not downloadable.
      expect((await listedFiles(r)).map((f) => f.id)).not.toContain(file.id);
      expect((await getRaw(contentUrl(file.id), r.auth)).statusCode).toBe(404);

      const put = await putRaw(contentUrl(file.id), r.auth, stream);
      expect(put.status).toBe(204);

      const listed = (await listedFiles(r)).find((f) => f.id === file.id)!;
      expect(listed).toMatchObject({ id: file.id, size: file.size, author: 'reporter', createdAt: registered.body.createdAt });
      const meta = decryptFileMeta(r.caseKey, r.caseId, file.id, fromB64(listed.meta));
      expect(meta).toMatchObject({ name: `receipt-${plainSize}.jpg`, type: 'image/jpeg', size: plainSize });

      const raw = await getRaw(contentUrl(file.id), r.auth);
      expect(raw.statusCode).toBe(200);
      expect(raw.headers['content-type']).toBe('application/octet-stream');
      expect(raw.headers['content-length']).toBe(String(file.size));
      expect((await collect(raw)).equals(Buffer.from(stream))).toBe(true);

      const down = await downloadAndDecrypt(contentUrl(file.id), r.auth, r.caseId, file.id, meta.key, { keep: true });
      expect(down.plain!.equals(Buffer.from(plain))).toBe(true);
    },
  );

  it('when a 50 MB file is streamed up and down, then it decrypts to the same bytes', async () => {
    const file = prepareFile(r.caseId, r.caseKey, 50 * 1000 * 1000);
    expect((await register(r, file)).status).toBe(201);
    const source = encryptedStream(r.caseId, file);
    const put = await putRaw(contentUrl(file.id), r.auth, source.chunks, { contentLength: file.size });
    expect(put.status).toBe(204);
    const { rows } = await stack.pool.query<{ n: number; max: number }>(
      'SELECT count(*)::int AS n, max(length(data))::int AS max FROM blob_chunks c JOIN case_files f ON f.blob_id = c.blob_id WHERE f.id = $1',
      [file.id],
    );
    expect(rows[0]).toEqual({ n: Math.ceil(file.size / (256 * 1024)), max: 256 * 1024 });

    const down = await downloadAndDecrypt(contentUrl(file.id), r.auth, r.caseId, file.id, file.key);
    expect(down.contentLength).toBe(file.size);
    expect(down.bytes).toBe(file.plainSize);
    expect(down.digest).toBe(source.digest());
  });

  it('when the same registration is sent again, then the answer is 200 with the first answer; another meta under that id is 409', async () => {
    const file = prepareFile(r.caseId, r.caseKey, 10);
    const first = await register(r, file);
    expect(first.status).toBe(201);
    const again = await register(r, file);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = prepareFile(r.caseId, r.caseKey, 10);
    const conflict = await r.client.call('POST', '/api/v1/reporter/case/files', { ...other.registration, id: file.id });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatch(/different file was already registered with this id/);
  });

  it('when content is sent for a file that already has it, then the answer is 409 and the stored stream is unchanged', async () => {
    const file = prepareFile(r.caseId, r.caseKey, 100);
    const stream = encryptFile(r.caseId, file.id, file.key, randomBytes(100));
    expect((await upload(r, file, stream)).status).toBe(204);
    const again = await putRaw(contentUrl(file.id), r.auth, new Uint8Array(file.size));
    expect(again.status).toBe(409);
    expect(again.json.error).toMatch(/already stored/);
    expect((await collect(await getRaw(contentUrl(file.id), r.auth))).equals(Buffer.from(stream))).toBe(true);
  });
});

describe('encrypted files: whatever was altered fails to decrypt with a clear error', () => {
  let r: ReporterOnCase;
  beforeAll(async () => {
    r = await reporterWithCase(stack.api.url, intake, context);
  });

  const threeChunks = 3 * FILE_CHUNK - 100;

  async function expectDecryptError(file: PreparedFile, caseId: string, code: 'decrypt_failed' | 'truncated_stream', message: RegExp) {
    const error = await downloadAndDecrypt(contentUrl(file.id), r.auth, caseId, file.id, file.key).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isCryptoError(error, code)).toBe(true);
    expect((error as Error).message).toMatch(message);
  }

  it('when a byte of a stored chunk is changed in the database, then the download fails to decrypt', async () => {
    const file = prepareFile(r.caseId, r.caseKey, threeChunks);
    expect((await upload(r, file, encryptFile(r.caseId, file.id, file.key, randomBytes(threeChunks)))).status).toBe(204);
    // Flip one byte in the middle of the second encrypted chunk, where it lies in the first row.
    const at = FILE_HEADER + FILE_CIPHER_CHUNK + 1000;
    await stack.pool.query(
      `UPDATE blob_chunks c SET data = set_byte(data, $2, get_byte(data, $2) # 1)
        FROM case_files f WHERE f.id = $1 AND c.blob_id = f.blob_id AND c.seq = 0`,
      [file.id, at],
    );
    await expectDecryptError(file, r.caseId, 'decrypt_failed', /file could not be decrypted: wrong key, or it was altered, reordered or belongs to another file or case/);
  });

  it('when the final chunk is missing from the stream, then decryption says the file is incomplete', async () => {
    const plainSize = threeChunks;
    const file = prepareFile(r.caseId, r.caseKey, plainSize);
    const full = encryptFile(r.caseId, file.id, file.key, randomBytes(plainSize));
    const withoutFinal = full.subarray(0, FILE_HEADER + 2 * FILE_CIPHER_CHUNK);
    const cut = { ...file, size: withoutFinal.length, registration: { ...file.registration, size: withoutFinal.length } };
    expect((await upload(r, cut, withoutFinal)).status).toBe(204);
    await expectDecryptError(cut, r.caseId, 'truncated_stream', /file is incomplete: its final part is missing/);
  });

  it('when a chunk of one file is swapped into another, then the download fails to decrypt', async () => {
    const a = prepareFile(r.caseId, r.caseKey, threeChunks);
    const b = prepareFile(r.caseId, r.caseKey, threeChunks);
    const streamA = encryptFile(r.caseId, a.id, a.key, randomBytes(threeChunks));
    const streamB = encryptFile(r.caseId, b.id, b.key, randomBytes(threeChunks));
    const mixed = Buffer.from(streamA);
    const second = FILE_HEADER + FILE_CIPHER_CHUNK;
    Buffer.from(streamB).copy(mixed, second, second, second + FILE_CIPHER_CHUNK);
    expect((await upload(r, a, mixed)).status).toBe(204);
    expect((await upload(r, b, streamB)).status).toBe(204);
    await expectDecryptError(a, r.caseId, 'decrypt_failed', /altered, reordered or belongs to another file or case/);
    // B itself is intact.
    expect((await downloadAndDecrypt(contentUrl(b.id), r.auth, r.caseId, b.id, b.key)).bytes).toBe(threeChunks);
  });

  it('when the server moves a file to another case, then neither its meta nor its stream decrypts there', async () => {
    const file = prepareFile(r.caseId, r.caseKey, 5000);
    expect((await upload(r, file, encryptFile(r.caseId, file.id, file.key, randomBytes(5000)))).status).toBe(204);
    const other = await reporterWithCase(stack.api.url, intake, context);
    await stack.pool.query('UPDATE case_files SET case_id = $2 WHERE id = $1', [file.id, other.caseId]);

    const listed = (await listedFiles(other)).find((f) => f.id === file.id)!;
    expect(() => decryptFileMeta(other.caseKey, other.caseId, file.id, fromB64(listed.meta))).toThrow(
      /file details could not be decrypted: wrong key, or they belong to another file or case/,
    );
    // Even someone who knows the file key cannot make the stream pass as the other case's.
    const stream = await collect(await getRaw(contentUrl(file.id), other.auth));
    expect(stream.length).toBe(file.size);
    expect(() => decryptFile(other.caseId, file.id, file.key, stream)).toThrow(/file could not be decrypted/);
    expect(decryptFile(r.caseId, file.id, file.key, stream).length).toBe(5000);
  });
});

describe('encrypted files: one reporter cannot reach another case', () => {
  it("when a reporter asks for another case's file, then it is not listed, not downloadable and cannot be written to", async () => {
    const a = await reporterWithCase(stack.api.url, intake, context);
    const b = await reporterWithCase(stack.api.url, intake, context);
    const file = prepareFile(a.caseId, a.caseKey, 10);
    expect((await upload(a, file, encryptFile(a.caseId, file.id, file.key, randomBytes(10)))).status).toBe(204);
    const pending = prepareFile(a.caseId, a.caseKey, 10);
    expect((await register(a, pending)).status).toBe(201);

    expect(await listedFiles(b)).toEqual([]);
    const fetched = await getRaw(contentUrl(file.id), b.auth);
    expect(fetched.statusCode).toBe(404);
    fetched.resume();
    const written = await putRaw(contentUrl(pending.id), b.auth, new Uint8Array(pending.size));
    expect(written.status).toBe(404);
    // B reusing A's file id is a conflict, never a way in.
    expect((await b.client.call('POST', '/api/v1/reporter/case/files', pending.registration)).status).toBe(409);
    expect((await getRaw(contentUrl(file.id), {})).statusCode).toBe(401);
  });
});

describe('encrypted files: interrupted and malformed uploads', () => {
  let r: ReporterOnCase;
  beforeAll(async () => {
    r = await reporterWithCase(stack.api.url, intake, context);
  });

  it('when the connection breaks off mid-body, then nothing is listed, no chunk is left after cleanup, and the same id uploads again', async () => {
    const file = prepareFile(r.caseId, r.caseKey, 4 * 1024 * 1024);
    expect((await register(r, file)).status).toBe(201);
    const stream = encryptFile(r.caseId, file.id, file.key, randomBytes(file.plainSize));
    const before = await chunkRows();

    const req = startPut(contentUrl(file.id), r.auth, file.size);
    req.write(stream.subarray(0, 2 * 1024 * 1024));
    await waitForCount('chunk rows of the upload', chunkRows, before + 1);
    req.destroy();

    await waitFor('the broken-off upload to be dropped', async () => (await chunkRows()) === before);
    await purgeAbandonedFileUploads(stack.pool, { staleSeconds: 0 });
    expect(await chunkRows()).toBe(before);
    const { rows } = await stack.pool.query('SELECT blob_id FROM case_files WHERE id = $1', [file.id]);
    expect(rows).toEqual([{ blob_id: null }]);
    expect((await listedFiles(r)).map((f) => f.id)).not.toContain(file.id);

    expect((await putRaw(contentUrl(file.id), r.auth, stream)).status).toBe(204);
    expect((await listedFiles(r)).map((f) => f.id)).toContain(file.id);
    expect((await downloadAndDecrypt(contentUrl(file.id), r.auth, r.caseId, file.id, file.key)).bytes).toBe(file.plainSize);
  });

  it('when Content-Length is missing, differs from the registered size, or the type is not octet-stream, then the upload is refused with 411/400/415 and nothing is kept', async () => {
    const file = prepareFile(r.caseId, r.caseKey, 1000);
    expect((await register(r, file)).status).toBe(201);
    const stream = encryptFile(r.caseId, file.id, file.key, randomBytes(1000));
    const before = await chunkRows();

    const chunked = await putRaw(contentUrl(file.id), r.auth, Readable.from([Buffer.from(stream)]), { contentLength: null });
    expect(chunked.status).toBe(411);
    expect(chunked.json.error).toMatch(/Content-Length/);

    const short = await putRaw(contentUrl(file.id), r.auth, stream.subarray(0, stream.length - 1));
    expect(short.status).toBe(400);
    expect(short.json.error).toMatch(new RegExp(`body is ${file.size - 1} bytes, but the file was registered with size ${file.size}`));

    const long = await putRaw(contentUrl(file.id), r.auth, Buffer.concat([stream, Buffer.alloc(1)]));
    expect(long.status).toBe(400);

    const json = await putRaw(contentUrl(file.id), r.auth, stream, { contentType: 'application/json' });
    expect(json.status).toBe(415);

    expect(await chunkRows()).toBe(before);
    expect((await listedFiles(r)).map((f) => f.id)).not.toContain(file.id);
    expect((await putRaw(contentUrl(file.id), r.auth, stream)).status).toBe(204);
  });

  it('when a registration is malformed, then the answer is 400 naming the field', async () => {
    const file = prepareFile(r.caseId, r.caseKey, 10);
    const cases: [unknown, string][] = [
      [{ ...file.registration, id: 'not-a-uuid' }, 'id'],
      [{ ...file.registration, size: 12.5 }, 'size'],
      [{ ...file.registration, size: 40 }, 'size'],
      [{ ...file.registration, meta: '***' }, 'meta'],
      [{ ...file.registration, extra: 1 }, '(body)'],
    ];
    for (const [body, field] of cases) {
      const answer = await r.client.call<{ issues: { field: string }[] }>('POST', '/api/v1/reporter/case/files', body);
      expect(answer.status).toBe(400);
      expect(answer.body.issues.map((i) => i.field)).toContain(field);
    }
    const badId = await putRaw(`${filesUrl()}/nope/content`, r.auth, new Uint8Array(41));
    expect(badId.status).toBe(400);
    expect(badId.json.error).toMatch(/UUID v4/);
  });

  it('when a file is larger than the default 100 MiB, then registration is refused with 413 naming the limit', async () => {
    const file = prepareFile(r.caseId, r.caseKey, 100 * 1024 * 1024 + 1);
    const answer = await register(r, file);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatch(/file is larger than 100 MiB/);
    // Exactly 100 MiB of plaintext is allowed: the limit is on the file, not on SIP/1's overhead.
    expect((await register(r, prepareFile(r.caseId, r.caseKey, 100 * 1024 * 1024))).status).toBe(201);
  });
});

describe('encrypted files: storage', () => {
  it('when the blob store is given a stream of the wrong length, then it rejects and keeps nothing', async () => {
    const blobs = new PgBlobStore(stack.pool, 1000);
    const count = async () => (await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM blobs')).rows[0]!.n;
    const before = { blobs: await count(), chunks: await chunkRows() };
    const pieces = (n: number) => Readable.from([Buffer.alloc(n / 2, 1), Buffer.alloc(n / 2, 2)]);
    await expect(blobs.put(pieces(2400), 2500)).rejects.toBeInstanceOf(BlobLengthError);
    await expect(blobs.put(pieces(2600), 2500)).rejects.toMatchObject({ name: 'BlobLengthError', more: true });
    expect({ blobs: await count(), chunks: await chunkRows() }).toEqual(before);

    const id = await blobs.put(pieces(2500), 2500);
    const stored = await collect((await blobs.get(id))!);
    expect(stored.equals(Buffer.concat([Buffer.alloc(1250, 1), Buffer.alloc(1250, 2)]))).toBe(true);
    await blobs.delete(id);
    expect(await blobs.get(id)).toBeNull();
  });

  it('when an api died mid-upload, then housekeeping removes its old staged rows and unlinked blobs but leaves uploads in progress alone', async () => {
    const r = await reporterWithCase(stack.api.url, intake, context);
    const pending = prepareFile(r.caseId, r.caseKey, 10);
    expect((await register(r, pending)).status).toBe(201);
    const ids = { crashed: randomUUID(), unlinked: randomUUID(), inProgress: randomUUID() };
    // What a crashed process leaves: a staged blob with chunks, a complete blob never linked to its file.
    await stack.pool.query(
      `INSERT INTO blobs (id, size, complete, created_at) VALUES
         ($1, 10, false, now() - interval '2 hours'), ($2, 10, true, now() - interval '2 hours'), ($3, 10, false, now())`,
      [ids.crashed, ids.unlinked, ids.inProgress],
    );
    await stack.pool.query(`INSERT INTO blob_chunks (blob_id, seq, data) SELECT id, 0, '\\x00' FROM blobs WHERE id = ANY($1)`, [Object.values(ids)]);
    await stack.pool.query(`UPDATE case_files SET created_at = now() - interval '25 hours' WHERE id = $1`, [pending.id]);

    expect(await purgeAbandonedFileUploads(stack.pool)).toEqual({ blobs: 2, registrations: 1 });
    const { rows } = await stack.pool.query<{ id: string }>('SELECT DISTINCT blob_id AS id FROM blob_chunks WHERE blob_id = ANY($1)', [Object.values(ids)]);
    expect(rows.map((x) => x.id)).toEqual([ids.inProgress]);
    expect((await stack.pool.query('SELECT 1 FROM case_files WHERE id = $1', [pending.id])).rowCount).toBe(0);
    await new PgBlobStore(stack.pool).delete(ids.inProgress);
  });

  it('when a case is deleted (retention purge), then its files and all their chunks go with it', async () => {
    const r = await reporterWithCase(stack.api.url, intake, context);
    const file = prepareFile(r.caseId, r.caseKey, 300_000);
    expect((await upload(r, file, encryptFile(r.caseId, file.id, file.key, randomBytes(300_000)))).status).toBe(204);
    const { rows } = await stack.pool.query<{ blob_id: string }>('SELECT blob_id FROM case_files WHERE id = $1', [file.id]);
    const blobId = rows[0]!.blob_id;
    expect((await stack.pool.query('SELECT 1 FROM blob_chunks WHERE blob_id = $1', [blobId])).rowCount).toBe(2);

    await stack.pool.query('DELETE FROM cases WHERE id = $1', [r.caseId]);
    expect((await stack.pool.query('SELECT 1 FROM case_files WHERE id = $1', [file.id])).rowCount).toBe(0);
    expect((await stack.pool.query('SELECT 1 FROM blobs WHERE id = $1', [blobId])).rowCount).toBe(0);
    expect((await stack.pool.query('SELECT 1 FROM blob_chunks WHERE blob_id = $1', [blobId])).rowCount).toBe(0);
  });
});
