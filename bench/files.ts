/**
 * npm run bench:files — a 200 MB encrypted file up and down through a real api process.
 *
 * Starts the compiled api (apps/api/dist) as a child process against a fresh
 * `sauti_bench_files_<random>` database and the machine's Redis, so that its memory is measured apart from this
 * client: VmRSS from /proc/<pid>/status every 50 ms. Prints upload and download MB/s next to the
 * raw secretstream encryption speed measured in the same run, and the api's peak RSS above idle
 * (must stay under 30 MB). MB = 10^6 bytes throughout.
 */
import { createHash, randomBytes as nodeRandomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { encryptedFileSize, encryptFileMeta, FILE_CHUNK, FileEncryptor, fileKeygen, generateKeyPair, hash, randomUuid, ready, solvePow, toB64 } from '@sauti/crypto';
import { prepareReport, ReporterClient } from '@sauti/client';
import { createPool, insertContext, insertStaffUser, insertUnit } from '@sauti/db';
import { startApiProcess } from '../test/helpers/processes';
import { dropDatabase, freshDatabase, BENCH_UNLIMITED } from './lib';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
// A name of this run's own: two runs at once must not drop each other's database.
const DATABASE = `sauti_bench_files_${nodeRandomBytes(3).toString('hex')}`;
const FILE_BYTES = Number(process.env.BENCH_FILE_MB ?? 200) * 1_000_000;
const RSS_LIMIT_MB = 30;
const MB = 1_000_000;

const mbps = (bytes: number, ms: number) => bytes / MB / (ms / 1000);

function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** Samples VmRSS every 50 ms; `peak` since the last reset. */
function rssSampler(pid: number) {
  const samples: number[] = [];
  let peak = 0;
  const timer = setInterval(() => {
    const v = rssBytes(pid);
    samples.push(v);
    peak = Math.max(peak, v);
  }, 50);
  return {
    reset: () => ((samples.length = 0), (peak = 0)),
    mean: () => samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length),
    peak: () => peak,
    stop: () => clearInterval(timer),
  };
}

function put(url: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'PUT', headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(body.length) } });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    void (async () => {
      // Write in 1 MiB slices with backpressure, as a browser's stream would.
      for (let off = 0; off < body.length; off += 1 << 20) {
        if (!req.write(body.subarray(off, Math.min(off + (1 << 20), body.length)))) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })();
  });
}

function download(url: string, headers: Record<string, string>): Promise<{ status: number; bytes: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const sha = createHash('sha256');
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          sha.update(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, sha256: sha.digest('hex') }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Encrypts `plainSize` bytes as one SIP/1 stream into memory; returns it and the time spent in secretstream. */
function encryptStream(caseId: string, fileId: string, key: Uint8Array, plainSize: number): { stream: Buffer; ms: number } {
  const plainChunk = new Uint8Array(nodeRandomBytes(FILE_CHUNK));
  const stream = Buffer.allocUnsafe(encryptedFileSize(plainSize));
  const started = performance.now();
  const enc = new FileEncryptor(caseId, fileId, key, plainSize);
  stream.set(enc.header);
  let o = enc.header.length;
  for (let off = 0; !enc.done; off += FILE_CHUNK) {
    const c = enc.push(plainChunk.subarray(0, Math.min(FILE_CHUNK, plainSize - off)));
    stream.set(c, o);
    o += c.length;
  }
  return { stream, ms: performance.now() - started };
}

async function main(): Promise<void> {
  await ready();
  const databaseUrl = await freshDatabase(DATABASE);
  const api = await startApiProcess({
    NODE_ENV: 'production', DATABASE_URL: databaseUrl, REDIS_URL, POW_DIFFICULTY: '0', QUEUE_PREFIX: 'sauti-bench-files', ...BENCH_UNLIMITED,
    FILE_MAX_BYTES: String(FILE_BYTES), CASE_FILES_MAX_BYTES: String(4 * FILE_BYTES),
  });
  const { child, url } = api;
  const sampler = rssSampler(child.pid!);
  try {
    // A context with one investigator, and a case whose reporter is signed in.
    const pool = createPool(databaseUrl);
    const unitId = randomUuid();
    const staffId = randomUuid();
    const contextId = randomUuid();
    await insertUnit(pool, { id: unitId, name: 'Bench unit' });
    await insertStaffUser(pool, { id: staffId, email: 'bench@sauti.invalid', displayName: 'Bench', unitId, roles: ['investigator'], status: 'active', publicKey: generateKeyPair().publicKey });
    await insertContext(pool, {
      id: contextId, slug: 'bench', name: 'Bench', channel: 'public', maxExclusions: 0, categories: [{ id: 'other', label: 'Other' }], regions: [],
      recipientIds: [staffId], custodianIds: [],
    });
    await pool.end();
    const client = new ReporterClient(url);
    const intake = await client.intake();
    const authKey = nodeRandomBytes(32);
    const prepared = prepareReport(intake, {
      context: intake.contexts[0]!, body: { text: 'bench' }, category: 'other',
      reporterKeys: { authKey, lookup: hash(authKey), keyPair: generateKeyPair() },
    });
    const pow = await client.call<{ challenge: string; difficulty: number }>('POST', '/api/v1/pow');
    const submitted = await client.submit({ ...prepared.request, pow: { challenge: pow.body.challenge, nonce: solvePow(pow.body.challenge, pow.body.difficulty) } });
    if (submitted.status !== 201) throw new Error(`report answered ${submitted.status}`);
    const session = await client.call<{ token: string }>('POST', '/api/v1/reporter/session', { authKey: toB64(authKey), pow: await client.proofOfWork() });
    client.token = session.body.token;
    const auth = { authorization: `Bearer ${session.body.token}` };
    const caseId = prepared.request.id;

    const sendFile = async (plainSize: number) => {
      const id = randomUuid();
      const key = fileKeygen();
      const meta = toB64(encryptFileMeta(prepared.caseKey, caseId, id, { name: 'bench.bin', type: 'application/octet-stream', size: plainSize, key }));
      const { stream, ms: encryptMs } = encryptStream(caseId, id, key, plainSize);
      const registered = await client.call('POST', '/api/v1/reporter/case/files', { id, meta, size: stream.length });
      if (registered.status !== 201) throw new Error(`registration answered ${registered.status}: ${JSON.stringify(registered.body)}`);
      const contentUrl = `${url}/api/v1/reporter/case/files/${id}/content`;
      let t = performance.now();
      sampler.reset();
      const status = await put(contentUrl, auth, stream);
      const uploadMs = performance.now() - t;
      const uploadPeak = sampler.peak();
      sampler.reset();
      if (status !== 204) throw new Error(`upload answered ${status}`);
      t = performance.now();
      const got = await download(contentUrl, auth);
      const downloadMs = performance.now() - t;
      const downloadPeak = sampler.peak();
      if (got.status !== 200 || got.bytes !== stream.length || got.sha256 !== createHash('sha256').update(stream).digest('hex')) {
        throw new Error(`download did not return the stored stream (status ${got.status}, ${got.bytes} of ${stream.length} bytes)`);
      }
      return { streamBytes: stream.length, encryptMs, uploadMs, downloadMs, uploadPeak, downloadPeak };
    };

    // Warm up (JIT, pool connections, first allocations), then let the api settle and measure idle.
    await sendFile(4 * MB);
    await new Promise((r) => setTimeout(r, 2000));
    sampler.reset();
    await new Promise((r) => setTimeout(r, 1000));
    const idle = sampler.mean();
    const run = await sendFile(FILE_BYTES);
    const peak = Math.max(run.uploadPeak, run.downloadPeak);

    const encrypt = mbps(FILE_BYTES, run.encryptMs);
    const upload = mbps(run.streamBytes, run.uploadMs);
    const downloadRate = mbps(run.streamBytes, run.downloadMs);
    const growth = (peak - idle) / MB;
    const rows: [string, string][] = [
      [`raw secretstream encryption (${FILE_BYTES / MB} MB, in this client)`, `${encrypt.toFixed(0)} MB/s`],
      ['upload through the api (PUT …/content)', `${upload.toFixed(0)} MB/s`],
      ['download through the api (GET …/content)', `${downloadRate.toFixed(0)} MB/s`],
      ['api RSS, idle', `${(idle / MB).toFixed(1)} MB`],
      ['api RSS, peak during upload', `${(run.uploadPeak / MB).toFixed(1)} MB`],
      ['api RSS, peak during download', `${(run.downloadPeak / MB).toFixed(1)} MB`],
      [`api RSS growth above idle (limit ${RSS_LIMIT_MB} MB)`, `${growth.toFixed(1)} MB`],
    ];
    const width = Math.max(...rows.map((r) => r[0].length));
    console.log(`\nFiles benchmark — ${os.cpus().length} CPUs (nproc), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, node ${process.version}`);
    console.log(`| ${'measure'.padEnd(width)} | value      |`);
    console.log(`|${'-'.repeat(width + 2)}|------------|`);
    for (const [k, v] of rows) console.log(`| ${k.padEnd(width)} | ${v.padEnd(10)} |`);
    console.log(`\nratios: upload / encryption = ${(upload / encrypt).toFixed(2)}, download / encryption = ${(downloadRate / encrypt).toFixed(2)}`);
    if (growth >= RSS_LIMIT_MB) {
      console.log(`FAIL: the api grew by ${growth.toFixed(1)} MB, over the ${RSS_LIMIT_MB} MB budget`);
      process.exitCode = 1;
    }
  } finally {
    sampler.stop();
    await api.kill('SIGTERM');
    await dropDatabase(DATABASE);
  }
}

main().catch((error: Error) => {
  console.error(`bench:files failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
