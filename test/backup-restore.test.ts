import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { decryptFileMeta, fromB64, ready } from '../packages/crypto/src';
import { openReporterCase, prepareReport, ReporterClient, type Intake, type IntakeContext } from '../packages/client/src';
import { createPool, type Db } from '../packages/db/src';
import { readBackupManifest } from '../apps/api/src/ops/backup';
import { asPgAdmin, createTestDatabase, dropDatabase } from './helpers/database';
import { databaseUrl, REDIS_URL, testDatabaseName } from './helpers/env';
import { seedOrganisation } from './helpers/fixtures';
import { downloadAndDecrypt, encryptedStream, prepareFile, putRaw } from './helpers/files';
import { startApiProcess, type Proc } from './helpers/processes';
import { readyRequest } from './helpers/reports';
import { signedInStaff } from './helpers/staff';
import { startStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..');
const REPORT_TEXT = 'DRILL-canary-7a21: the scanner operator at Busia lets trucks through unscanned for cash';
const MESSAGE_TEXT = 'DRILL-message-3b9e: it happens on night shifts';
const IDENTITY = { name: 'DRILL-identity-Achieng Otieno', phone: '+254 711 000 111' };
const FILE_PLAIN = Buffer.concat([Buffer.from('DRILL-file-c44d '), randomBytes(150_000)]);

/** `npm run sauti -- …` as a real process against `databaseUrl`. */
function sauti(databaseUrlForCli: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['apps/api/dist/bin/sauti.js', ...args], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrlForCli, REDIS_URL, SAUTI_ENV_FILE: '/nonexistent' },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** An empty database of the test's own (no schema at all), as an operator makes one with createdb. */
async function emptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = testDatabaseName(`rst${randomBytes(4).toString('hex')}`);
  await asPgAdmin([`CREATE DATABASE ${name}`]);
  return { url: databaseUrl(name), drop: () => dropDatabase(name) };
}

async function tableCount(url: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
    return rows[0]!.n;
  } finally {
    await c.end();
  }
}

/** Writes a copy of a backup with its manifest changed by `edit` (header length fixed up). */
function withManifest(source: string, target: string, edit: (m: Record<string, unknown>) => void): void {
  const bytes = readFileSync(source);
  const { payloadStart } = readBackupManifest(source);
  const manifest = JSON.parse(bytes.subarray(12, payloadStart).toString('utf8')) as Record<string, unknown>;
  edit(manifest);
  const json = Buffer.from(JSON.stringify(manifest));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  writeFileSync(target, Buffer.concat([bytes.subarray(0, 8), length, json, bytes.subarray(payloadStart)]));
}

let stack: TestStack;
let org: Awaited<ReturnType<typeof seedOrganisation>>;
let intake: Intake;
let context: IntakeContext;
let dir: string;
let caseId: string;
let receipt: string;
let fileId: string;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  await ready();
  dir = mkdtempSync(path.join(tmpdir(), 'sauti-drill-'));
  stack = await startStack();
  org = await seedOrganisation(stack.pool, { investigators: 1 });
  const client = new ReporterClient(stack.api.url);
  intake = await client.intake();
  context = intake.contexts.find((c) => c.id === org.contextId)!;
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore drill', () => {
  it('when cases with messages, a file and a confidential identity exist, then `sauti backup` writes one sealed 0600 file and refuses to overwrite it', async () => {
    const investigator = org.investigators[0]!;
    // Staff accounts exist before the backup, so that they sign in to the restored copy with their own passwords.
    await signedInStaff(stack, investigator);
    await signedInStaff(stack, org.custodians[0]!);

    const reporter = new ReporterClient(stack.api.url);
    const prepared = prepareReport(intake, { context, body: { text: REPORT_TEXT }, category: 'bribery-extortion', identity: IDENTITY });
    caseId = prepared.request.id;
    receipt = prepared.receipt;
    expect((await reporter.submit({ ...prepared.request, pow: await reporter.proofOfWork() })).status).toBe(201);
    expect((await reporter.submit(await readyRequest(reporter, intake, context))).status).toBe(201);
    await waitFor('assignment of both cases', async () => {
      const { rows } = await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE assignee_id IS NOT NULL');
      return rows[0]!.n === 2;
    });

    const login = await reporter.login(receipt, intake.receiptSalt);
    expect(login.status).toBe(201);
    const opened = openReporterCase((await reporter.getCase()).body, login.keys.keyPair);
    expect((await reporter.sendMessage(opened.caseKey, caseId, MESSAGE_TEXT)).status).toBe(201);
    const file = prepareFile(caseId, opened.caseKey, FILE_PLAIN.length, 'ledger.pdf', 'application/pdf');
    fileId = file.id;
    expect((await reporter.call('POST', '/api/v1/reporter/case/files', file.registration)).status).toBe(201);
    const auth = { authorization: `Bearer ${reporter.token}` };
    const put = await putRaw(`${stack.api.url}/api/v1/reporter/case/files/${file.id}/content`, auth, encryptedStream(caseId, file, FILE_PLAIN).chunks, { contentLength: file.size });
    expect(put.status).toBe(204);

    const keygen = sauti(stack.config.DATABASE_URL, 'backup-keygen', path.join(dir, 'operator.key'));
    expect(keygen.status).toBe(0);
    const publicKey = keygen.out.trim().split('\n').at(-1)!;
    expect(statSync(path.join(dir, 'operator.key')).mode & 0o777).toBe(0o600);

    // The backup is taken with the worker stopped, so that the command seals every final entry itself
    // and the manifest's head covers them all. (Backups while a worker seals are covered by the
    // command's wait and its warning; in two CI runs the in-process sealer had sealed only the first
    // entry by now — its log is kept here for the day that recurs.)
    const sealerLog = stack.workerLogs.filter((line) => /seal|checkpoint/i.test(line));
    await stack.worker?.stop();
    stack.worker = null;
    const backup = sauti(stack.config.DATABASE_URL, 'backup', path.join(dir, 'sauti.backup'), '--seal-to', publicKey);
    // No warning first: the sealer reached every entry written so far (the warning would say what held it back).
    expect(backup.out).toMatch(/^Backup written to \S+sauti\.backup: schema \d{3}_\w+\.sql, \d+ audit entries, dump \d+ bytes, sealed to /);
    expect(backup.status).toBe(0);
    expect(statSync(path.join(dir, 'sauti.backup')).mode & 0o777).toBe(0o600);
    const { manifest } = readBackupManifest(path.join(dir, 'sauti.backup'));
    expect(manifest).toMatchObject({ format: 'sauti-backup/1', sealed: { to: publicKey } });
    expect({ moreThanFive: manifest.auditEntries > 5, sealerLog }).toEqual({ moreThanFive: true, sealerLog: expect.any(Array) });
    await stack.startWorker();

    const again = sauti(stack.config.DATABASE_URL, 'backup', path.join(dir, 'sauti.backup'));
    expect(again.status).toBe(1);
    expect(again.out).toMatch(/exists already; choose another name/);
  });

  it('when an unsealed backup is read back as SQL, then it holds no report, message, file or identity plaintext and no receipt', () => {
    const file = path.join(dir, 'plain.backup');
    expect(sauti(stack.config.DATABASE_URL, 'backup', file).status).toBe(0);
    const { payloadStart } = readBackupManifest(file);
    const dump = path.join(dir, 'plain.dump');
    writeFileSync(dump, readFileSync(file).subarray(payloadStart));
    const sql = spawnSync('pg_restore', ['--file=-', dump], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    expect(sql.status).toBe(0);
    expect(sql.stdout).toContain('COPY public.cases');
    expect(sql.stdout).toContain('COPY public.blob_chunks');
    for (const secret of [REPORT_TEXT, MESSAGE_TEXT, IDENTITY.name, 'DRILL-file-c44d', receipt]) {
      expect(sql.stdout).not.toContain(secret);
      expect(sql.stdout).not.toContain(Buffer.from(secret).toString('hex'));
    }
  });

  describe('bad input is refused before anything is written', () => {
    let target: { url: string; drop: () => Promise<void> };
    beforeAll(async () => {
      target = await emptyDatabase();
      cleanups.push(target.drop);
    });
    afterEach(async () => {
      expect(await tableCount(target.url)).toBe(0);
    });

    it('when the file is truncated, then restore says so', () => {
      const whole = readFileSync(path.join(dir, 'sauti.backup'));
      writeFileSync(path.join(dir, 'truncated.backup'), whole.subarray(0, whole.length - 1000));
      const r = sauti(target.url, 'restore', path.join(dir, 'truncated.backup'), '--key', path.join(dir, 'operator.key'));
      expect(r.status).toBe(1);
      expect(r.out).toMatch(/truncated\.backup is truncated: it holds \d+ bytes but its manifest promises \d+\. Use another copy\./);
    });

    it('when the file is not a backup at all, then restore says so', () => {
      writeFileSync(path.join(dir, 'notes.txt'), 'hello');
      const r = sauti(target.url, 'restore', path.join(dir, 'notes.txt'));
      expect(r.status).toBe(1);
      expect(r.out).toMatch(/is not a Sauti backup/);
    });

    it('when the backup comes from a newer schema, then restore names the migration it does not know', () => {
      withManifest(path.join(dir, 'sauti.backup'), path.join(dir, 'newer.backup'), (m) => {
        (m.migrations as string[]).push('999_from_the_future.sql');
        m.schemaVersion = '999_from_the_future.sql';
      });
      const r = sauti(target.url, 'restore', path.join(dir, 'newer.backup'), '--key', path.join(dir, 'operator.key'));
      expect(r.status).toBe(1);
      expect(r.out).toMatch(/comes from a newer Sauti \(schema 999_from_the_future\.sql; this one does not know 999_from_the_future\.sql\)/);
    });

    it('when the backup is sealed to another key, then restore refuses with either key file it is given', () => {
      expect(sauti(target.url, 'backup-keygen', path.join(dir, 'other.key')).status).toBe(0);
      const other = sauti(target.url, 'restore', path.join(dir, 'sauti.backup'), '--key', path.join(dir, 'other.key'));
      expect(other.status).toBe(1);
      expect(other.out).toMatch(/sauti\.backup is sealed to another key/);
      expect(sauti(target.url, 'restore', path.join(dir, 'sauti.backup')).out).toMatch(/is sealed to the operator key \S+: give its key file with --key/);
      // A manifest that claims the other key does not get past the seal either.
      const otherPublic = JSON.parse(readFileSync(path.join(dir, 'other.key'), 'utf8')).publicKey as string;
      withManifest(path.join(dir, 'sauti.backup'), path.join(dir, 'relabelled.backup'), (m) => ((m.sealed as { to: string }).to = otherPublic));
      const relabelled = sauti(target.url, 'restore', path.join(dir, 'relabelled.backup'), '--key', path.join(dir, 'other.key'));
      expect(relabelled.status).toBe(1);
      expect(relabelled.out).toMatch(/backup key could not be opened: it was sealed to another key or altered/);
    });

    it('when a byte of the sealed dump is changed, then restore finds the damage before pg_restore runs', () => {
      const bytes = Buffer.from(readFileSync(path.join(dir, 'sauti.backup')));
      bytes[bytes.length - 5000]! ^= 1;
      writeFileSync(path.join(dir, 'flipped.backup'), bytes);
      const r = sauti(target.url, 'restore', path.join(dir, 'flipped.backup'), '--key', path.join(dir, 'operator.key'));
      expect(r.status).toBe(1);
      expect(r.out).toMatch(/flipped\.backup is damaged: /);
    });
  });

  it('when the target database is not empty, then restore refuses and leaves it as it was', async () => {
    const used = await createTestDatabase();
    cleanups.push(used.drop);
    const before = await tableCount(used.url);
    const r = sauti(used.url, 'restore', path.join(dir, 'sauti.backup'), '--key', path.join(dir, 'operator.key'));
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/the database of DATABASE_URL is not empty \(\d+ tables and sequences\)\. Restore only into a new, empty database/);
    expect(await tableCount(used.url)).toBe(before);
  });

  describe('restored into a fresh database and started', () => {
    let restored: { url: string; drop: () => Promise<void> };
    let api: Proc & { url: string };
    let pool: Db;

    beforeAll(async () => {
      restored = await emptyDatabase();
      cleanups.push(restored.drop);
      copyFileSync(path.join(dir, 'sauti.backup'), path.join(dir, 'copy.backup'));
    });
    afterAll(async () => {
      await api?.kill('SIGTERM');
      await pool?.end();
    });

    it('when restore runs, then it verifies the audit chain against the manifest', () => {
      const r = sauti(restored.url, 'restore', path.join(dir, 'copy.backup'), '--key', path.join(dir, 'operator.key'));
      expect(r.out).toMatch(/Restored \S+copy\.backup \(made \S+, schema \d{3}_\w+\.sql\)\.\nAudit log intact: \d+ entries, head matches the backup's manifest\./);
      expect(r.status).toBe(0);
    });

    it('when Sauti starts on the restored database, then the reporter opens the case with the original receipt and decrypts report, message and file', async () => {
      api = await startApiProcess({ DATABASE_URL: restored.url, REDIS_URL, QUEUE_PREFIX: `sauti-drill-${Date.now()}`, POW_DIFFICULTY: '6' });
      pool = createPool(restored.url);
      const reporter = new ReporterClient(api.url);
      const restoredIntake = await reporter.intake();
      expect(restoredIntake.receiptSalt).toBe(intake.receiptSalt);
      const login = await reporter.login(receipt, restoredIntake.receiptSalt);
      expect(login.status).toBe(201);
      const view = await reporter.getCase();
      expect(view.status).toBe(200);
      const opened = openReporterCase(view.body, login.keys.keyPair);
      expect(opened.report).toMatchObject({ text: REPORT_TEXT });
      expect(opened.messages.map((m) => m.text)).toEqual([MESSAGE_TEXT]);
      const listed = (view.body.files as { id: string; meta: string }[]).find((f) => f.id === fileId)!;
      const meta = decryptFileMeta(opened.caseKey, caseId, fileId, fromB64(listed.meta));
      expect(meta).toMatchObject({ name: 'ledger.pdf', type: 'application/pdf', size: FILE_PLAIN.length });
      const download = await downloadAndDecrypt(`${api.url}/api/v1/reporter/case/files/${fileId}/content`, { authorization: `Bearer ${reporter.token}` }, caseId, fileId, meta.key, { keep: true });
      expect(download.status).toBe(200);
      expect(download.plain!.equals(FILE_PLAIN)).toBe(true);
    });

    it('when the investigator signs in to the restored copy, then she reads the report and the message, and the custodian can still disclose the identity', async () => {
      const restoredStack = { pool, api: { url: api.url } } as unknown as TestStack;
      const investigator = await signedInStaff(restoredStack, org.investigators[0]!);
      const read = await investigator.openCase<{ text: string }>(caseId);
      expect(read.report.text).toBe(REPORT_TEXT);
      expect(read.messages.map((m) => m.text)).toEqual([MESSAGE_TEXT]);
      expect((await investigator.requestIdentity(caseId, 'Drill: the reporter is a witness.')).status).toBe(201);
      const custodian = await signedInStaff(restoredStack, org.custodians[0]!);
      const item = (await custodian.listIdentityRequests()).body.items.find((i) => i.caseId === caseId)!;
      expect((await custodian.approveIdentity(item, 'Approved: the reason is specific and the interview is needed.')).status).toBe(200);
      expect(await investigator.readIdentity(caseId)).toEqual(IDENTITY);
    });

    it('when verify-audit runs on the restored copy, then the chain holds, including what happened after the restore', () => {
      const r = sauti(restored.url, 'verify-audit');
      expect(r.out).toMatch(/^Audit log intact: \d+ entries, every one linked to the one before\./m);
      expect(r.status).toBe(0);
    });
  });
});
