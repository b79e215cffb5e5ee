import { z } from 'zod';
import { uuidV4 } from './common';
import type { ReporterMessage } from './reporter';
import type { StaffMessage } from './staff-cases';

/**
 * Message lists come in pages, newest page first (docs/protocol.md §5, docs/staff-api.md): a case
 * view carries the newest page and `olderMessages`, the cursor for the page before it; GET
 * …/messages?before=<cursor>&limit=<n> returns that page and the next cursor (null: none older).
 * A page stops early once it holds MESSAGE_PAGE_MAX_BYTES of ciphertext, so no answer grows with
 * the dialogue.
 */
export const MESSAGE_PAGE_DEFAULT = 30;
export const MESSAGE_PAGE_MAX = 100;
export const MESSAGE_PAGE_MAX_BYTES = 1024 * 1024;

export const messagePageQuerySchema = z.strictObject({
  before: uuidV4.optional(),
  limit: z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(MESSAGE_PAGE_MAX, { error: `must be at most ${MESSAGE_PAGE_MAX}` })
    .default(MESSAGE_PAGE_DEFAULT),
});
export type MessagePageQuery = z.infer<typeof messagePageQuerySchema>;

/** GET /api/v1/reporter/case/messages: oldest first; `older` is the `before` of the page before this one. */
export type ReporterMessagePage = { messages: ReporterMessage[]; older: string | null };

/** GET /api/v1/staff/cases/:id/messages. */
export type StaffMessagePage = { messages: StaffMessage[]; older: string | null };
