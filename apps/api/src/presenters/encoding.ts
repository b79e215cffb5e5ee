import type { B64, IsoDate } from '@sauti/core';

/** How bytes and times travel: base64url without padding, ISO-8601 strings. */
export const b64 = (v: Uint8Array): B64 => Buffer.from(v).toString('base64url');
export const b64OrNull = (v: Uint8Array | null): B64 | null => (v ? b64(v) : null);
export const iso = (d: Date): IsoDate => d.toISOString();
export const isoOrNull = (d: Date | null): IsoDate | null => (d ? d.toISOString() : null);
