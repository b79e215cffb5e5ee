import { z } from 'zod';

/**
 * The one schema for human-written text that staff and admins send in clear (names, labels,
 * descriptions, filters). It refuses what Postgres or a later reader cannot store faithfully:
 * NUL (Postgres `text` cannot hold U+0000; it used to answer 500) and lone UTF-16 surrogates
 * (they would be stored as U+FFFD, silently changing the text). A refusal is a 400 that names the
 * field, like every other validation issue.
 */

/** A surrogate half without its other half (JS strings are UTF-16 code units). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when the text has neither NUL nor a lone surrogate. */
export const isStorableText = (value: string): boolean => !value.includes('\u0000') && !LONE_SURROGATE.test(value);

export const STORABLE_TEXT_MESSAGE = 'must not contain a NUL character (\\u0000) or a broken character (a lone UTF-16 surrogate)';

export type TextOptions = {
  /** Longest accepted length, in characters after trimming. */
  max: number;
  /** Shortest accepted length after trimming; 1 (not empty) unless given. */
  min?: number;
  /** How the value is named in the "must be …" message when it is not a string. */
  what?: string;
};

/** Trimmed text between `min` and `max` characters, without NUL or lone surrogates. */
export function safeText({ max, min = 1, what = 'text' }: TextOptions) {
  let schema = z.string({ error: `must be ${what}` }).trim();
  if (min > 0) schema = schema.min(min, { error: min === 1 ? 'must not be empty' : `must be at least ${min} characters` });
  return schema.max(max, { error: `must be at most ${max} characters` }).refine(isStorableText, { error: STORABLE_TEXT_MESSAGE });
}
