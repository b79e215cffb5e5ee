import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RELEASE_DIR, type FileEntry } from './manifest';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Every file of a built web app as the server serves it: URL path → hash and size, sorted by path.
 * The release's own metadata (.well-known/sauti) is not part of the list.
 */
export function listServedFiles(dir: string): Record<string, FileEntry> {
  const found: [string, FileEntry][] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (child === RELEASE_DIR) continue;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) {
        const bytes = readFileSync(path.join(dir, child));
        found.push([`/${child}`, { sha256: sha256Hex(bytes), size: bytes.length }]);
      }
    }
  };
  walk('');
  found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(found);
}
