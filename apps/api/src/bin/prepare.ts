import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@sauti/config';
import { createPool, ensureDeployment, migrate } from '@sauti/db';
import { seedDemoOrganisation } from '../demo/demo-organisation';

/** Migrates the database and, with --demo on an empty one, creates the demo organisation. */
async function main(): Promise<void> {
  const config = loadConfig();
  const pool = createPool(config.DATABASE_URL);
  try {
    const applied = await migrate(pool);
    await ensureDeployment(pool);
    console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date.');
    if (!process.argv.includes('--demo')) return;
    const people = await seedDemoOrganisation(pool);
    if (!people) {
      console.log('Demo organisation: the database already has staff and contexts; nothing created.');
      return;
    }
    const file = path.resolve(process.env.SAUTI_LOCAL_DIR ?? '.local', 'demo-credentials.txt');
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const lines = people.map((p) => `${p.displayName} <${p.email}> (${p.roles.join(', ')}, ${p.unit})\n  password: ${p.password}\n  TOTP secret: ${p.totpSecret}  (${p.totpUri})\n  recovery key: ${p.recoveryKey}`);
    writeFileSync(file, `Sauti demo staff accounts — created ${new Date().toISOString()}\nKeep this file private; it is shown once.\n\n${lines.join('\n\n')}\n`, { mode: 0o600 });
    console.log(`Demo organisation created. Staff credentials (also written to ${file}):\n`);
    console.log(lines.join('\n'));
  } finally {
    await pool.end();
  }
}

main().catch((error: Error) => {
  console.error(`prepare failed: ${error.message}`);
  process.exit(1);
});
