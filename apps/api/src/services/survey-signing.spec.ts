import { readFileSync } from 'node:fs';
import path from 'node:path';
import { blindSign } from './survey-signing';

type File = { keys: Record<string, { publicKeyB64: string; privateKeyB64: string }>; vectors: { name: string; kind: string; input: Record<string, string>; expected: Record<string, string> }[] };
const file = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'packages', 'crypto', 'survey-vectors.json'), 'utf8')) as File;
const key = (name: string) => ({ sk: Buffer.from(file.keys[name]!.privateKeyB64, 'base64url'), pk: Buffer.from(file.keys[name]!.publicKeyB64, 'base64url') });

describe("the server's BlindSign (RFC 9474 §4.3 with OpenSSL)", () => {
  it('when run on the §10.6 vectors, then it gives the same blind signatures as the reference implementation', () => {
    const vectors = file.vectors.filter((v) => v.kind === 'survey_blind_sign');
    expect(vectors.length).toBeGreaterThan(0);
    for (const v of vectors) {
      const { sk, pk } = key(v.input.key!);
      expect(blindSign(sk, pk, Buffer.from(v.input.blindedMessage!, 'hex'))!.toString('hex')).toBe(v.expected.blindSignature);
    }
  });

  it('when the blinded message is not below the modulus or has the wrong length, then it is refused', () => {
    const { sk, pk } = key('iteration');
    expect(blindSign(sk, pk, Buffer.alloc(256, 0xff))).toBeNull();
    expect(blindSign(sk, pk, Buffer.alloc(255, 1))).toBeNull();
  });
});
