import { z } from 'zod';
import { AEAD_OVERHEAD, b64Bytes, uuidV4, type B64, type IsoDate } from './common';

/** docs/protocol.md §7: encrypted files, the same for a reporter and for staff. */

/** name, type, size and key, JSON-encoded and sealed: a few hundred bytes; this leaves room for long names. */
export const FILE_META_MAX_BYTES = 4096;

/** The registration body; `minStreamBytes` is the encrypted stream of an empty file. */
export function fileRegistrationSchema(minStreamBytes: number) {
  return z.strictObject({
    id: uuidV4,
    meta: b64Bytes({ max: FILE_META_MAX_BYTES, min: AEAD_OVERHEAD }),
    size: z
      .number({ error: 'must be the length of the encrypted stream in bytes' })
      .int({ error: 'must be a whole number of bytes' })
      .min(minStreamBytes, { error: `must be at least ${minStreamBytes} bytes (the encrypted stream of an empty file)` }),
  });
}

export type FileRegistration = { id: string; meta: B64; size: number };

/** One listed file (GET …/files, and `files` in the reporter's case). */
export type FileEntry = { id: string; meta: B64; size: number; author: 'reporter' | 'staff'; createdAt: IsoDate };

/** GET /api/v1/staff/cases/:id/files. */
export type FileList = { files: FileEntry[] };
