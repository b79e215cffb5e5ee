// npm run release:sign [-- --web-dir DIR] --key-file FILE   (or SAUTI_RELEASE_KEY in the environment)
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_WEB_DIR, readPrivateKey, signRelease } from './release-files';

const { values } = parseArgs({ options: { 'web-dir': { type: 'string' }, 'key-file': { type: 'string' } } });
try {
  const key = readPrivateKey({ keyFile: values['key-file'], env: process.env.SAUTI_RELEASE_KEY });
  const { keyId, manifestSha256 } = signRelease(path.resolve(values['web-dir'] ?? DEFAULT_WEB_DIR), key);
  console.log(`signed manifest (sha256 ${manifestSha256}) with release key ${keyId}`);
} catch (error) {
  console.error(`release:sign: ${(error as Error).message}`);
  process.exit(1);
}
