import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The env file that scripts/run.sh and scripts/test.sh write when they set up PostgreSQL (mode 0600,
 * gitignored): `.local/sauti.env` at the repository root, or SAUTI_ENV_FILE.
 */
export function envFilePath(env: Record<string, string | undefined> = process.env): string {
  return env.SAUTI_ENV_FILE || path.resolve(__dirname, '..', '..', '..', '.local', 'sauti.env');
}

/** KEY=VALUE lines (# comments, blank lines and optional single or double quotes allowed); {} when the file is missing. */
export function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const values: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    values[match[1]!] = value;
  }
  return values;
}

/** Fills variables that are not set in `env` from the env file; what is set in the environment wins. Returns the names it filled. */
export function applyEnvFile(env: Record<string, string | undefined> = process.env): string[] {
  const filled: string[] = [];
  for (const [key, value] of Object.entries(readEnvFile(envFilePath(env)))) {
    if (env[key] === undefined || env[key] === '') {
      env[key] = value;
      filled.push(key);
    }
  }
  return filled;
}
