import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ProductionRefusal } from '@sauti/config';
import { createPool, ensureDeployment, isDeploymentEmpty, migrate } from '@sauti/db';
import { seedDemoOrganisation } from '../demo/demo-organisation';
import { loadCliConfig } from './cli-config';

/**
 * Migrates the database and, with --demo on an empty one, creates the demo organisation. With
 * NODE_ENV=production the demo organisation is only created when DEMO=true is given explicitly
 * (exit code 2 otherwise), and its credentials then go only to the 0600 file, never to stdout.
 */
async function main(): Promise<number> {
  const config = loadCliConfig();
  if (!config) return 2;
  const production = config.NODE_ENV === 'production';
  const pool = createPool(config.DATABASE_URL);
  try {
    const applied = await migrate(pool);
    await ensureDeployment(pool);
    console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date.');
    if (!process.argv.includes('--demo')) return 0;
    if (production && process.env.DEMO !== 'true' && (await isDeploymentEmpty(pool))) {
      console.error(
        new ProductionRefusal([
          'DEMO is not set: on this empty database `npm start` would create the demo organisation, whose accounts are for trying Sauti out. ' +
            'Set DEMO=false and invite your first administrator with `npm run sauti -- invite-admin <email>` (docs/operations.md, "Key ceremonies"), ' +
            'or set DEMO=true to create the demo organisation on purpose.',
        ]).message,
      );
      return 2;
    }
    const people = await seedDemoOrganisation(pool);
    if (!people) {
      console.log('Demo organisation: the database already has staff and contexts; nothing created.');
      return 0;
    }
    const file = path.resolve(process.env.SAUTI_LOCAL_DIR ?? '.local', 'demo-credentials.txt');
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const lines = people.map((p) => `${p.displayName} <${p.email}> (${p.roles.join(', ')}, ${p.unit})\n  password: ${p.password}\n  TOTP secret: ${p.totpSecret}  (${p.totpUri})\n  recovery key: ${p.recoveryKey}`);
    writeFileSync(file, `Sauti demo staff accounts — created ${new Date().toISOString()}\nKeep this file private; it is shown once.\n\n${lines.join('\n\n')}\n`, { mode: 0o600 });
    if (production) {
      // Process output ends up in journals and log collectors: in production the secrets stay in the file.
      console.log(`Demo organisation created (DEMO=true). Staff credentials are in ${file} (readable by this user only); they are not printed.`);
    } else {
      console.log(`Demo organisation created. Staff credentials (also written to ${file}):\n`);
      console.log(lines.join('\n'));
    }
    return 0;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`prepare failed: ${error.message}`);
    process.exit(1);
  },
);
