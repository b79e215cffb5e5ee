const B64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Decoded length of an unpadded base64url string, or null when it is not one. Pure so that the api
 * and the web app can check sizes without decoding.
 */
export function base64urlByteLength(value: string): number | null {
  if (!B64URL.test(value) || value.length % 4 === 1) return null;
  return Math.floor((value.length * 3) / 4);
}
