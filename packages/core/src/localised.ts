// No zod here: the web app imports this file at run time (as @sauti/core/localised).

/**
 * Operator-written text in several UI languages (issue 13): the text as written (`default`, in the
 * owner's default language) and any translations by UI language. One small piece, reused by every
 * operator text — context names, categories, regions, questions, and later survey texts.
 */
export const UI_LANGUAGES = ['en', 'fr', 'ar', 'es', 'pt', 'sw'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

export type Localised = { default: string; byLang?: Partial<Record<UiLanguage, string>> };

export const isUiLanguage = (s: string): s is UiLanguage => (UI_LANGUAGES as readonly string[]).includes(s);

/**
 * The text for `lang`: its translation if there is a non-empty one, else the default text, which is
 * in `fallback` (the owner's default language). `lang` says which language the answer is in, so a
 * page can mark it (`lang="…"`) when it is not the page's own.
 */
export function localise(text: Localised, lang: string, fallback: UiLanguage = 'en'): { text: string; lang: string } {
  const translated = isUiLanguage(lang) && lang !== fallback ? text.byLang?.[lang]?.trim() : undefined;
  return translated ? { text: translated, lang } : { text: text.default, lang: fallback };
}

/** A context's translations: UI language → text key ("name", "category.<id>", …) → text. */
export type ContextTranslations = Partial<Record<UiLanguage, Record<string, string>>>;

/** One operator text of a context as a Localised: its default and every translation of `key`. */
export function contextText(c: { translations?: ContextTranslations }, key: string, defaultText: string): Localised {
  const byLang: Partial<Record<UiLanguage, string>> = {};
  for (const [lang, texts] of Object.entries(c.translations ?? {}) as [UiLanguage, Record<string, string>][]) {
    const text = texts[key];
    if (text) byLang[lang] = text;
  }
  return { default: defaultText, byLang };
}
