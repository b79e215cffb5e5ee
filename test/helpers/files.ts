import { createHash, randomBytes as nodeRandomBytes } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import {
  encryptedFileSize,
  encryptFileMeta,
  FILE_CHUNK,
  FileDecryptor,
  FileEncryptor,
  fileKeygen,
  generateKeyPair,
  hash,
  randomBytes,
  randomUuid,
  toB64,
} from '../../packages/crypto/src';
import { prepareReport, ReporterClient, type Intake, type IntakeContext } from '../../packages/client/src';

/** A reporter signed in to a fresh case, holding its case key as a browser would. */
export type ReporterOnCase = { caseId: string; caseKey: Uint8Array; client: ReporterClient; auth: Record<string, string> };

/** Submits a cheap report (no Argon2id: a random authKey stands in for the receipt's) and signs in. */
export async function reporterWithCase(baseUrl: string, intake: Intake, context: IntakeContext, exclude: string[] = []): Promise<ReporterOnCase> {
  const client = new ReporterClient(baseUrl);
  const authKey = randomBytes(32);
  const prepared = prepareReport(intake, {
    context, body: { text: 'files test' }, category: 'other', exclude,
    reporterKeys: { authKey, lookup: hash(authKey), keyPair: generateKeyPair() },
  });
  const submitted = await client.submit({ ...prepared.request, pow: await client.proofOfWork() });
  if (submitted.status !== 201) throw new Error(`report answered ${submitted.status}`);
  const session = await client.call<{ token: string }>('POST', '/api/v1/reporter/session', { authKey: toB64(authKey), pow: await client.proofOfWork() });
  if (session.status !== 201) throw new Error(`session answered ${session.status}`);
  client.token = session.body.token;
  return { caseId: prepared.request.id, caseKey: prepared.caseKey, client, auth: { authorization: `Bearer ${session.body.token}` } };
}

/** What a browser prepares before uploading: ids, key, sealed meta and the stream's length. */
export type PreparedFile = { id: string; key: Uint8Array; meta: string; size: number; plainSize: number; registration: { id: string; meta: string; size: number } };

export function prepareFile(caseId: string, caseKey: Uint8Array, plainSize: number, name = 'evidence.bin', type = 'application/octet-stream'): PreparedFile {
  const id = randomUuid();
  const key = fileKeygen();
  const meta = toB64(encryptFileMeta(caseKey, caseId, id, { name, type, size: plainSize, key }));
  const size = encryptedFileSize(plainSize);
  return { id, key, meta, size, plainSize, registration: { id, meta, size } };
}

/**
 * The encrypted stream of a file whose plaintext is produced chunk by chunk (random bytes), so that
 * large files never sit in memory; `digest()` gives the SHA-256 of the plaintext once consumed.
 */
export function encryptedStream(caseId: string, file: PreparedFile, plain?: Uint8Array): { chunks: AsyncIterable<Uint8Array>; digest: () => string } {
  const sha = createHash('sha256');
  let digest = '';
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const enc = new FileEncryptor(caseId, file.id, file.key, file.plainSize);
    yield enc.header;
    for (let off = 0; !enc.done; off += FILE_CHUNK) {
      const n = Math.min(FILE_CHUNK, file.plainSize - off);
      const piece = plain ? plain.subarray(off, off + n) : nodeRandomBytes(n);
      sha.update(piece);
      yield enc.push(piece);
    }
    digest = sha.digest('hex');
  }
  return { chunks: chunks(), digest: () => digest };
}

export async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

export type RawAnswer = { status: number; headers: http.IncomingHttpHeaders; json: { error?: string } & Record<string, unknown> };

async function answerOf(res: IncomingMessage): Promise<RawAnswer> {
  const text = (await collect(res)).toString();
  let json: RawAnswer['json'] = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { error: text };
  }
  return { status: res.statusCode ?? 0, headers: res.headers, json };
}

/**
 * PUT with a raw body over node:http, so that tests control Content-Length exactly (null: send
 * chunked, without one) and the body streams with backpressure.
 */
export function putRaw(
  url: string,
  headers: Record<string, string>,
  body: AsyncIterable<Uint8Array> | Uint8Array,
  options: { contentLength?: number | null; contentType?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const h: Record<string, string> = { ...headers, 'content-type': options.contentType ?? 'application/octet-stream' };
    const length = options.contentLength === undefined ? (body instanceof Uint8Array ? body.length : undefined) : options.contentLength;
    if (length !== null && length !== undefined) h['content-length'] = String(length);
    const req = http.request(url, { method: 'PUT', headers: h });
    req.on('response', (res) => answerOf(res).then(resolve, reject));
    req.on('error', reject);
    void (async () => {
      if (body instanceof Uint8Array) {
        req.end(body);
        return;
      }
      for await (const c of body) {
        if (!req.write(c)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })().catch((error: unknown) => req.destroy(error as Error));
  });
}

/** Starts a PUT and hands back the request, so a test can cut the connection mid-body. */
export function startPut(url: string, headers: Record<string, string>, contentLength: number): http.ClientRequest {
  const req = http.request(url, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(contentLength) },
  });
  req.on('error', () => undefined);
  return req;
}

export function getRaw(url: string, headers: Record<string, string>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, resolve);
    req.on('error', reject);
  });
}

/**
 * Downloads and decrypts as a browser would: slice by slice, holding at most one chunk. Returns
 * the plaintext's SHA-256 and length, and the plaintext itself when `keep` (small files).
 */
export async function downloadAndDecrypt(
  url: string,
  headers: Record<string, string>,
  caseId: string,
  fileId: string,
  key: Uint8Array,
  options: { keep?: boolean } = {},
): Promise<{ status: number; contentLength: number; digest: string; bytes: number; plain: Buffer | null }> {
  const res = await getRaw(url, headers);
  if (res.statusCode !== 200) {
    res.resume();
    return { status: res.statusCode ?? 0, contentLength: -1, digest: '', bytes: 0, plain: null };
  }
  const contentLength = Number(res.headers['content-length']);
  const dec = new FileDecryptor(caseId, fileId, key, contentLength);
  const sha = createHash('sha256');
  const kept: Uint8Array[] = [];
  let bytes = 0;
  for await (const slice of res) {
    for (const plain of dec.push(new Uint8Array(slice as Buffer))) {
      sha.update(plain);
      bytes += plain.length;
      if (options.keep) kept.push(plain);
    }
  }
  dec.finish();
  return { status: 200, contentLength, digest: sha.digest('hex'), bytes, plain: options.keep ? Buffer.concat(kept) : null };
}
