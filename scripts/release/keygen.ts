// npm run release:keygen -- --out FILE   (run on the offline release machine; docs/release.md)
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateReleaseKey, keyIdOf } from '../../packages/verify/src';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
if (!values.out) {
  console.error('release:keygen: give --out FILE for the private key (it never leaves the release machine)');
  process.exit(2);
}
if (existsSync(values.out)) {
  console.error(`release:keygen: ${values.out} exists; refusing to overwrite a key`);
  process.exit(1);
}
const key = generateReleaseKey();
writeFileSync(values.out, `${key.privateKey}\n`, { mode: 0o600 });
const entry = { publicKey: key.publicKey, keyId: keyIdOf(key.publicKey), holder: '<name>', added: new Date().toISOString().slice(0, 10) };
console.log(`private key written to ${values.out} (mode 600)`);
console.log('add this entry to packages/verify/release-keys.json "keys" in a reviewed commit:');
console.log(JSON.stringify(entry, null, 2));
