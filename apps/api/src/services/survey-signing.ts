import { constants, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt } from 'node:crypto';

/**
 * RFC 9474 §4.3 BlindSign on the server with OpenSSL (CRT), instead of the JavaScript big numbers
 * of @cloudflare/blindrsa-ts: s = RSASP1(sk, m), then RSAVP1(pk, s) must give m back (the RFC's
 * guard against faults). Raw RSA without padding is exactly RSASP1/RSAVP1. Checked against the same
 * vectors as the browser's implementation (survey-signing.spec.ts).
 */
export function blindSign(privateKeyDer: Buffer, publicKeyDer: Buffer, blindedMessage: Buffer): Buffer | null {
  const sk = createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' });
  const pk = createPublicKey({ key: publicKeyDer, format: 'der', type: 'spki' });
  const k = (pk.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  if (blindedMessage.length !== k) return null;
  let s: Buffer;
  try {
    // OpenSSL refuses a message not below the modulus ("invalid input" in RFC 9474 terms).
    s = privateDecrypt({ key: sk, padding: constants.RSA_NO_PADDING }, blindedMessage);
  } catch {
    return null;
  }
  const back = publicEncrypt({ key: pk, padding: constants.RSA_NO_PADDING }, s);
  if (!back.equals(blindedMessage)) throw new Error('blind signature failed its own verification');
  return s;
}
