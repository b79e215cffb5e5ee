export type Strength = 'tooShort' | 'weak' | 'fair' | 'strong';

export const MIN_PASSWORD_LENGTH = 12;

/**
 * A rough guide, not a gate beyond the minimum length: long passphrases of ordinary words are
 * strong; short passwords of one kind of character, or with many repeats, are weak.
 */
export function passwordStrength(password: string): Strength {
  const chars = [...password];
  if (chars.length < MIN_PASSWORD_LENGTH) return 'tooShort';
  const distinct = new Set(chars).size;
  const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\p{N}/u, /[^\p{L}\p{N}]/u].filter((r) => r.test(password)).length;
  if (distinct < 6 || (kinds === 1 && chars.length < 16)) return 'weak';
  if (chars.length >= 20 || (chars.length >= 16 && kinds >= 2 && distinct >= 10)) return 'strong';
  return 'fair';
}
