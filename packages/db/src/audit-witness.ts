import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { verifyAuditChain, type AuditVerification } from './audit';
import { checkpointSignatureValid, type AuditCheckpoint } from './audit-seal';
import type { Queryable } from './pool';

/** The file a checkpoint is witnessed in: sortable by length, then time; never overwritten. */
export function checkpointFileName(c: AuditCheckpoint): string {
  return `checkpoint-${String(c.length).padStart(12, '0')}-${c.at.replace(/[-:.]/g, '')}.json`;
}

/**
 * Appends a checkpoint to a witness directory: a new read-only file, created exclusively, so an
 * existing one is never replaced (mount the directory append-only, e.g. `chattr +a`, or sync it away).
 */
export async function writeCheckpointFile(dir: string, c: AuditCheckpoint): Promise<string> {
  const file = path.join(dir, checkpointFileName(c));
  await writeFile(file, `${JSON.stringify(c)}\n`, { flag: 'wx', mode: 0o444 });
  return file;
}

export type WitnessFinding = { kind: 'truncation' | 'rewrite' | 'fork' | 'forged'; message: string };
export type WitnessReport = { chain: AuditVerification; checkpoints: number; newest: AuditCheckpoint | null; findings: WitnessFinding[] };

type Witnessed = AuditCheckpoint & { file: string };

async function readCheckpoints(dir: string, findings: WitnessFinding[], publicKey?: string): Promise<Witnessed[]> {
  const out: Witnessed[] = [];
  let pinned = publicKey?.toLowerCase();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    let c: Witnessed;
    try {
      const raw = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as AuditCheckpoint;
      c = { ...raw, file };
      if (c.version !== 1 || !Number.isSafeInteger(c.length) || typeof c.head !== 'string' || typeof c.at !== 'string') throw new Error('shape');
    } catch {
      findings.push({ kind: 'forged', message: `${file} is not a checkpoint this version can read` });
      continue;
    }
    if (!checkpointSignatureValid(c)) {
      findings.push({ kind: 'forged', message: `${file}: the signature does not verify, so it was not made as written` });
      continue;
    }
    pinned ??= c.publicKey;
    if (c.publicKey !== pinned) {
      findings.push({ kind: 'forged', message: `${file} is signed by key ${c.publicKey.slice(0, 16)}…, not the deployment key ${pinned.slice(0, 16)}…` });
      continue;
    }
    out.push(c);
  }
  return out.sort((a, b) => a.length - b.length || a.at.localeCompare(b.at));
}

const describe = (c: Witnessed) => `${c.file} (length ${c.length}, ${c.at})`;

/**
 * Checks the sealed chain against the checkpoints witnessed in `dir`:
 * - truncation: a checkpoint vouches for more entries than the chain has (the newest were removed);
 * - rewrite: the chain's hash at a checkpoint's length is not the witnessed head (history changed,
 *   even if every later hash was recomputed);
 * - fork: two checkpoints that cannot both lie on one chain — same length and different heads, or
 *   an older checkpoint the chain no longer matches while a newer one signs the chain as it is now
 *   (history was rewritten and the rewritten chain was signed again).
 */
export async function verifyAuditWitness(db: Queryable, dir: string, options: { publicKey?: string } = {}): Promise<WitnessReport> {
  const findings: WitnessFinding[] = [];
  const checkpoints = await readCheckpoints(dir, findings, options.publicKey);
  const wanted = new Set(checkpoints.map((c) => c.length));
  const hashAt = new Map<number, string>();
  const chain = await verifyAuditChain(db, (pos, hash) => {
    if (wanted.has(pos)) hashAt.set(pos, hash.toString('hex'));
  });
  const sealedLength = chain.ok ? chain.entries : null;

  for (let i = 0; i < checkpoints.length; i++) {
    for (let j = i + 1; j < checkpoints.length && checkpoints[j]!.length === checkpoints[i]!.length; j++) {
      if (checkpoints[j]!.head !== checkpoints[i]!.head) {
        findings.push({ kind: 'fork', message: `${describe(checkpoints[i]!)} and ${describe(checkpoints[j]!)} sign different heads for the same length: two histories were signed` });
      }
    }
  }
  const matches = (c: Witnessed) => hashAt.get(c.length) === c.head;
  for (const c of checkpoints) {
    const known = hashAt.get(c.length);
    if (known === undefined) {
      if (sealedLength !== null && c.length > sealedLength) {
        findings.push({ kind: 'truncation', message: `${describe(c)} vouches for ${c.length} entries but the chain has ${sealedLength} sealed: the newest ${c.length - sealedLength} were removed` });
      }
      continue; // behind a broken link: the chain check has already named it
    }
    if (known === c.head) continue;
    const later = checkpoints.find((d) => d.length > c.length && matches(d));
    findings.push(
      later
        ? { kind: 'fork', message: `${describe(c)} no longer matches the chain, yet ${describe(later)} signs the chain as it is now: history up to entry ${c.length} was rewritten and signed again` }
        : { kind: 'rewrite', message: `${describe(c)} does not match the chain's hash at position ${c.length}: entries up to there were rewritten` },
    );
  }
  return { chain, checkpoints: checkpoints.length, newest: checkpoints.at(-1) ?? null, findings };
}
