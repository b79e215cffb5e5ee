import { z } from 'zod';
import { AEAD_OVERHEAD, b64Bytes, MESSAGE_MAX_BYTES, uuidV4, type B64, type IsoDate } from './common';
import type { FileEntry } from './files';
import { powProofSchema } from './reports';

/** docs/protocol.md §5: the reporter's follow-up with the receipt's keys. */

/** §5: a session costs a proof of work (§6), like a report, so receipts cannot be tried in bulk cheaply. */
export const reporterSessionSchema = z.strictObject({ authKey: b64Bytes({ exact: 32 }), pow: powProofSchema });

export const reporterMessageSchema = z.strictObject({
  id: uuidV4,
  body: b64Bytes({ max: MESSAGE_MAX_BYTES, min: AEAD_OVERHEAD }),
});

/** POST /api/v1/reporter/session → 201. */
export type ReporterSessionAnswer = { token: string; expiresAt: IsoDate };

export type ReporterMessage = { id: string; author: 'reporter' | 'staff'; body: B64; createdAt: IsoDate };

/** GET /api/v1/reporter/case: ciphertexts and the reporter's sealed keys. Staff names never appear. */
export type ReporterCase = {
  id: string;
  reference: string;
  status: string;
  statusHistory: { status: string; at: IsoDate }[];
  receivedAt: IsoDate;
  acknowledgedAt: IsoDate | null;
  feedbackDueAt: IsoDate | null;
  /** The acknowledgement deadline set at triage (the context's or a routing rule's); null before triage. */
  acknowledgeDueAt?: IsoDate | null;
  report: B64;
  reporterSealedKey: B64;
  identity: null | { ciphertext: B64; reporterSealedKey: B64 };
  /** When a custodian let the handling team see the reporter's identity; null if never. */
  identityDisclosedAt?: IsoDate | null;
  /** The newest page of messages, oldest first (see messages.ts). */
  messages: ReporterMessage[];
  /** Cursor for GET …/messages?before=: the page before `messages`; null when these are all. */
  olderMessages: string | null;
  files: FileEntry[];
};

/** Answer to POST …/messages (201 new, 200 the same message again), reporter or staff. */
export type PostedMessage = { id: string; author: 'reporter' | 'staff'; createdAt: IsoDate };
