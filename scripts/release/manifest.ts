// npm run release:manifest [-- --web-dir DIR --keys FILE --commit SHA]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { currentCommit, DEFAULT_WEB_DIR, loadPinnedKeys, ROOT, writeReleaseManifest } from './release-files';

const { values } = parseArgs({ options: { 'web-dir': { type: 'string' }, keys: { type: 'string' }, commit: { type: 'string' } } });
const webDir = path.resolve(values['web-dir'] ?? DEFAULT_WEB_DIR);
const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
let commit = values.commit;
if (!commit) {
  const head = currentCommit();
  if (head.dirty) console.warn('warning: the working tree has uncommitted changes; a release is built from a clean checkout of its commit');
  commit = head.commit;
}
try {
  const { manifest, bytes } = writeReleaseManifest(webDir, { version, commit, releaseKeys: loadPinnedKeys(values.keys) });
  console.log(`manifest for ${manifest.version} (${manifest.commit}): ${Object.keys(manifest.files).length} files, ${Object.keys(manifest.headers).length} headers, ${bytes.length} bytes`);
  for (const [p, f] of Object.entries(manifest.files)) console.log(`  ${f.sha256}  ${String(f.size).padStart(8)}  ${p}`);
  console.log('next: npm run release:sign -- --key-file <private key>');
} catch (error) {
  console.error(`release:manifest: ${(error as Error).message}`);
  process.exit(1);
}
