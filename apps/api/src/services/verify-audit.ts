import { sealPendingIfNoSealer, verifyAuditChain, verifyAuditWitness, type AuditVerification, type Db } from '@sauti/db';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function backlogLine(v: AuditVerification): string {
  if (v.unsealed === 0) return 'Every entry is sealed.';
  return `${v.unsealed} entr${v.unsealed === 1 ? 'y is' : 'ies are'} not sealed yet (the oldest for ${Math.round(v.oldestUnsealedSeconds ?? 0)} s): a running transaction or the sealer's interval holds them back.`;
}

/** `verify-audit [--witness DIR] [--public-key HEX]`: 0 intact, 1 broken or contradicted by a witness, 2 usage. */
export async function verifyAuditCommand(pool: Db, args: string[], out: (line: string) => void): Promise<number> {
  const witness = option(args, '--witness');
  if (args.includes('--witness') && !witness) {
    out('verify-audit: --witness needs the directory that holds the checkpoint files');
    return 2;
  }
  const sealed = await sealPendingIfNoSealer(pool);
  if (sealed) out(`No worker was sealing: sealed ${sealed} final entr${sealed === 1 ? 'y' : 'ies'} first.`);
  if (!witness) {
    const result = await verifyAuditChain(pool);
    if (!result.ok) {
      out(`Audit log BROKEN at entry ${result.firstBadSeq}: ${result.problem}.`);
      return 1;
    }
    out(`Audit log intact: ${result.entries} entries, every one linked to the one before.`);
    out(backlogLine(result));
    return 0;
  }
  let report;
  try {
    report = await verifyAuditWitness(pool, witness, { publicKey: option(args, '--public-key') });
  } catch (error) {
    out(`verify-audit: cannot read the witness directory ${witness}: ${(error as Error).message}`);
    return 1;
  }
  const { chain } = report;
  if (chain.ok) out(`Audit log intact: ${chain.entries} entries, every one linked to the one before.`);
  else out(`Audit log BROKEN at entry ${chain.firstBadSeq}: ${chain.problem}.`);
  out(backlogLine(chain));
  out(`Witness ${witness}: ${report.checkpoints} signed checkpoint(s)${report.newest ? `, the newest for ${report.newest.length} entries at ${report.newest.at}` : ''}.`);
  for (const f of report.findings) out(`${f.kind.toUpperCase()}: ${f.message}.`);
  if (report.findings.length === 0 && chain.ok) out('Every witnessed checkpoint lies on this chain: no truncation, rewrite or fork.');
  return chain.ok && report.findings.length === 0 ? 0 : 1;
}
