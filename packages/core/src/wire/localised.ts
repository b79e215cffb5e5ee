import { z } from 'zod';
import { UI_LANGUAGES } from '../localised';

export const uiLanguageSchema = z.enum(UI_LANGUAGES, { error: `must be one of ${UI_LANGUAGES.join(', ')}` });

/** A translation: non-empty once trimmed, and no longer than the text it translates may be. */
export const translationText = (max: number) =>
  z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' }).max(max, { error: `must be at most ${max} characters` });

/** `byLang` of a Localised as sent and stored: UI language → text. */
export const byLangSchema = (max: number) =>
  z.partialRecord(uiLanguageSchema, translationText(max), { error: 'must map UI languages (en, fr, ar, es, pt, sw) to text' });
