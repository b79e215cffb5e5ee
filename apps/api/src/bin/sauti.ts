import { applyEnvFile } from '@sauti/config';
import { createPool, ensureDeployment, migrate } from '@sauti/db';
import { createProducerConnection } from '@sauti/jobs';
import { BACKUP_USAGE, runBackupCommand } from '../ops/backup';
import { OPERATOR_USAGE, runOperatorCommand } from '../services/operator';
import { loadCliConfig } from './cli-config';

/** Operator command line: `npm run sauti -- <command>` (after `npm run build`). Reads the same env as the api. */
async function main(): Promise<number> {
  const command = process.argv[2];
  if (!command || command === 'help' || command === '--help') {
    console.log(`${OPERATOR_USAGE}\n${BACKUP_USAGE}`);
    return command ? 0 : 2;
  }
  applyEnvFile();
  const config = loadCliConfig();
  if (!config) return 2;
  // Before any migration: backup copies the database as it is, restore needs an empty one.
  if (['backup', 'restore', 'backup-keygen'].includes(command)) {
    return runBackupCommand(process.argv.slice(2), { config, out: (line) => console.log(line) });
  }
  const pool = createPool(config.DATABASE_URL);
  try {
    await migrate(pool);
    const deployment = await ensureDeployment(pool);
    return await runOperatorCommand(process.argv.slice(2), {
      pool, serverSecret: deployment.serverSecret, config, redis: () => createProducerConnection(config.REDIS_URL), out: (line) => console.log(line),
    });
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`sauti: ${error.message}`);
    process.exit(1);
  },
);
