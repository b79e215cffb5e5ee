import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The release keys pinned in this repository (a reviewed file; docs/release.md). */
export const PINNED_KEYS_FILE = path.resolve(__dirname, '..', 'release-keys.json');

/** Reads a keys file: { "keys": [ { "publicKey": "<base64>", ... } ] } or a list of base64 strings. */
export function loadPinnedKeys(file: string = PINNED_KEYS_FILE): string[] {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { keys?: unknown };
  const keys = Array.isArray(doc) ? doc : Array.isArray(doc.keys) ? doc.keys : null;
  if (!keys) throw new Error(`${file}: expected {"keys": [...]}`);
  // A retired key stays in the file for history; it no longer makes a release valid.
  return keys.filter((k: unknown) => typeof k === 'string' || !(k as { retired?: unknown })?.retired).map((k: unknown) => {
    const value = typeof k === 'string' ? k : (k as { publicKey?: unknown })?.publicKey;
    if (typeof value !== 'string' || Buffer.from(value, 'base64').length !== 32) throw new Error(`${file}: every key must be a 32-byte Ed25519 public key in base64`);
    return value;
  });
}
