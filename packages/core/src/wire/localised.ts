import { z } from 'zod';
import { UI_LANGUAGES } from '../localised';
import { safeText } from './text';

export const uiLanguageSchema = z.enum(UI_LANGUAGES, { error: `must be one of ${UI_LANGUAGES.join(', ')}` });

/** A translation: non-empty once trimmed, storable (no NUL, no lone surrogate), no longer than the text it translates may be. */
export const translationText = (max: number) => safeText({ max, what: 'text' });

/** `byLang` of a Localised as sent and stored: UI language → text. */
export const byLangSchema = (max: number) =>
  z.partialRecord(uiLanguageSchema, translationText(max), { error: 'must map UI languages (en, fr, ar, es, pt, sw) to text' });
