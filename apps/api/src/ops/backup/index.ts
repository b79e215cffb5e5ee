import type { Config } from '@sauti/config';
import { ready } from '@sauti/crypto';
import { createBackup } from './create';
import { BackupRefusal, writeOperatorKey } from './format';
import { restoreBackup } from './restore';

/*
 * Backup and restore (docs/operations.md, "Backups"): format.ts is the file format and operator
 * keys, create.ts writes a backup, restore.ts checks and restores one, postgres.ts runs the
 * PostgreSQL tools. This module is the CLI's entry.
 */
export { createBackup } from './create';
export { BACKUP_FORMAT, BACKUP_MAGIC, BackupRefusal, readBackupManifest, readOperatorKey, writeOperatorKey, type BackupManifest } from './format';
export { restoreBackup } from './restore';

export const BACKUP_USAGE = `  backup <file> [--seal-to <public key>]
      Write the whole database (cases, evidence files, staff, audit log) and a manifest to <file>
      (mode 0600). With --seal-to, encrypt it to an operator key made by backup-keygen.
  restore <file> [--key <key file>]
      Restore a backup into the empty database of DATABASE_URL, then verify the audit chain.
  backup-keygen <key file>   Make an operator key pair for sealed backups; prints the public key.`;


type Out = (line: string) => void;

/** A command's exit code: 0 done, 1 refused or failed, 2 usage. */
export async function runBackupCommand(argv: string[], deps: { config: Config; out: Out }): Promise<number> {
  const [command, ...rest] = argv;
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) positional.push(arg);
    else options[m[1]!] = m[2] ?? rest[++i] ?? '';
  }
  const file = positional[0];
  if (!file) {
    deps.out(`${command}: name the file.\n\n${BACKUP_USAGE}`);
    return 2;
  }
  await ready();
  try {
    if (command === 'backup-keygen') {
      const publicKey = writeOperatorKey(file);
      deps.out(`Wrote the private key to ${file} (mode 0600): keep it offline, away from the backups.`);
      deps.out(`Public key, for npm run sauti -- backup <file> --seal-to <public key>:\n${publicKey}`);
      return 0;
    }
    if (command === 'backup') {
      const manifest = await createBackup(deps.config.DATABASE_URL, file, { sealTo: options['seal-to'], warn: deps.out });
      deps.out(
        `Backup written to ${file}: schema ${manifest.schemaVersion}, ${manifest.auditEntries} audit entries, ` +
          `dump ${manifest.dump.bytes} bytes${manifest.sealed ? `, sealed to ${manifest.sealed.to}` : ' (not sealed)'}.`,
      );
      return 0;
    }
    if (command === 'restore') {
      const result = await restoreBackup(deps.config.DATABASE_URL, file, { keyFile: options.key });
      deps.out(`Restored ${file} (made ${result.manifest.createdAt}, schema ${result.manifest.schemaVersion}).`);
      deps.out(`Audit log intact: ${result.auditEntries} entries, head matches the backup's manifest.`);
      return 0;
    }
  } catch (error) {
    if (error instanceof BackupRefusal) {
      deps.out(`${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
  deps.out(BACKUP_USAGE);
  return 2;
}
