import type { DefinitionIssue, LocalizedText, SurveyDefinition, SurveyQuestion } from '../crypto/protocol';
import { LANGUAGES, t, type Language } from '../i18n';

/**
 * The survey editor's working copy (issue 15): a definition as the editor holds it — every text as
 * one field per UI language, stable keys for the screen — and how it becomes a SurveyDefinition.
 * It is kept in this tab's sessionStorage like the reporter's draft (reporter/draft-store.ts), so a
 * reload (which signs staff out) loses nothing; it is removed once saved or discarded.
 */
export const GROUPS = ['officials', 'private_sector'] as const;
export type Group = (typeof GROUPS)[number];
export const KINDS = ['agreement-5', 'single', 'multiple', 'text'] as const;
export type Kind = (typeof KINDS)[number];

export type Texts = Partial<Record<Language, string>>;
export type OptionDraft = { key: string; id: string; text: Texts };
export type QuestionDraft = { key: string; id: string; factor: string; kind: Kind; required: boolean; text: Texts; options: OptionDraft[] };
export type EditorDraft = {
  v: 1;
  /** null until the survey is first saved. */
  surveyId: string | null;
  /** The language of each text's `default`; the others are translations. */
  writtenIn: Language;
  title: Texts;
  intro: Texts;
  questions: Record<Group, QuestionDraft[]>;
};

const KEY = 'sauti.surveyEditor.v1';
const isChoice = (k: Kind) => k === 'single' || k === 'multiple';
let counter = 0;
export const newKey = (): string => `k${Date.now().toString(36)}${(counter++).toString(36)}`;

export function emptyDraft(writtenIn: Language): EditorDraft {
  return { v: 1, surveyId: null, writtenIn, title: {}, intro: {}, questions: { officials: [], private_sector: [] } };
}

/** A fresh question with an id no other question of the draft has (ids are the columns of the CSV). */
export function newQuestion(draft: EditorDraft, group: Group): QuestionDraft {
  const taken = new Set(GROUPS.flatMap((g) => draft.questions[g].map((q) => q.id)));
  const prefix = group === 'officials' ? 'official' : 'private';
  let n = draft.questions[group].length + 1;
  while (taken.has(`${prefix}-${n}`)) n++;
  return { key: newKey(), id: `${prefix}-${n}`, factor: '', kind: 'agreement-5', required: true, text: {}, options: [] };
}

export function newOption(q: QuestionDraft): OptionDraft {
  const taken = new Set(q.options.map((o) => o.id));
  let n = q.options.length + 1;
  while (taken.has(`option-${n}`)) n++;
  return { key: newKey(), id: `option-${n}`, text: {} };
}

/** A kind that takes options gets two empty ones to start with. */
export function withKind(q: QuestionDraft, kind: Kind): QuestionDraft {
  const next: QuestionDraft = { ...q, kind, required: kind === 'text' ? false : q.required };
  while (isChoice(kind) && next.options.length < 2) next.options = [...next.options, newOption(next)];
  return next;
}

// --- draft ⇄ definition ------------------------------------------------------------------------

function localizedOf(texts: Texts, writtenIn: Language): LocalizedText {
  const byLang: Record<string, string> = {};
  for (const { code } of LANGUAGES) {
    const v = texts[code]?.trim();
    // The language written in is named only when it is not English, so that a reload can tell it.
    if (v && (code !== writtenIn || code !== 'en')) byLang[code] = v;
  }
  const out: LocalizedText = { default: (texts[writtenIn] ?? '').trim() };
  if (Object.keys(byLang).length > 0) out.byLang = byLang;
  return out;
}

const hasText = (texts: Texts) => Object.values(texts).some((v) => (v ?? '').trim() !== '');

/** The definition the API receives, with the group of each questionnaire (to place issues). */
export function definitionOf(d: EditorDraft): { definition: SurveyDefinition; groups: Group[] } {
  const groups = GROUPS.filter((g) => d.questions[g].length > 0);
  const definition: SurveyDefinition = {
    title: localizedOf(d.title, d.writtenIn),
    ...(hasText(d.intro) ? { intro: localizedOf(d.intro, d.writtenIn) } : {}),
    questionnaires: groups.map((group) => ({
      group,
      questions: d.questions[group].map((q) => ({
        id: q.id,
        factor: q.factor as SurveyQuestion['factor'],
        kind: q.kind,
        text: localizedOf(q.text, d.writtenIn),
        required: q.kind === 'text' ? false : q.required,
        ...(isChoice(q.kind) ? { options: q.options.map((o) => ({ id: o.id, text: localizedOf(o.text, d.writtenIn) })) } : {}),
      })),
    })),
  };
  return { definition, groups };
}

/** The written-in language of a saved definition: the one whose translation repeats the default, else English. */
function writtenInOf(def: SurveyDefinition): Language {
  for (const { code } of LANGUAGES) if (def.title.byLang?.[code] === def.title.default) return code;
  return 'en';
}

const textsOf = (text: LocalizedText | undefined, writtenIn: Language): Texts => {
  if (!text) return {};
  const out: Texts = {};
  for (const { code } of LANGUAGES) {
    const v = text.byLang?.[code];
    if (v) out[code] = v;
  }
  out[writtenIn] = text.default;
  return out;
};

export function draftOf(surveyId: string, def: SurveyDefinition): EditorDraft {
  const writtenIn = writtenInOf(def);
  const draft = { ...emptyDraft(writtenIn), surveyId, title: textsOf(def.title, writtenIn), intro: textsOf(def.intro, writtenIn) };
  for (const qn of def.questionnaires) {
    draft.questions[qn.group] = qn.questions.map((q) => ({
      key: newKey(), id: q.id, factor: q.factor, kind: q.kind, required: q.required, text: textsOf(q.text, writtenIn),
      options: (q.options ?? []).map((o) => ({ key: newKey(), id: o.id, text: textsOf(o.text, writtenIn) })),
    }));
  }
  return draft;
}

// --- issues, placed next to their fields and said in the reader's language ---------------------

/** Ids of the editor's fields; a text field is one per language. */
export const fieldIds = {
  title: (lang: Language) => `se-title-${lang}`,
  intro: (lang: Language) => `se-intro-${lang}`,
  group: (g: Group) => `se-group-${g}`,
  questionText: (q: QuestionDraft, lang: Language) => `se-q-${q.key}-text-${lang}`,
  kind: (q: QuestionDraft) => `se-q-${q.key}-kind`,
  factor: (q: QuestionDraft) => `se-q-${q.key}-factor`,
  options: (q: QuestionDraft) => `se-q-${q.key}-options`,
  option: (q: QuestionDraft, o: OptionDraft, lang: Language) => `se-q-${q.key}-o-${o.key}-${lang}`,
};

/** An issue where the person can fix it: the field (in which language), what it is called, and why. */
export type PlacedIssue = { fieldId: string; lang: Language | null; label: string; message: string };

const languageName = (lang: Language) => LANGUAGES.find((l) => l.code === lang)?.name ?? lang;
const groupName = (g: Group) => t(`survey.group.${g}`);

export function placeIssues(d: EditorDraft, groups: Group[], issues: DefinitionIssue[]): PlacedIssue[] {
  return issues.map((issue) => placeIssue(d, groups, issue));
}

function textMessage(issue: DefinitionIssue, lang: Language): string {
  if (issue.code === 'too_big') return t('surveys.editor.error.tooLong', { n: issue.limit ?? 1000 });
  if (issue.code === 'too_small') return t('surveys.editor.error.empty', { language: languageName(lang) });
  return t('surveys.editor.error.other', { message: issue.message });
}

function placeIssue(d: EditorDraft, groups: Group[], issue: DefinitionIssue): PlacedIssue {
  const p = issue.path;
  // A text: ['default'] is the language written in, ['byLang', lang] a translation.
  const textAt = (rest: (string | number)[], id: (lang: Language) => string, label: (lang: Language) => string): PlacedIssue => {
    const lang = rest[0] === 'byLang' && typeof rest[1] === 'string' && LANGUAGES.some((l) => l.code === rest[1]) ? (rest[1] as Language) : d.writtenIn;
    return { fieldId: id(lang), lang, label: label(lang), message: textMessage(issue, lang) };
  };
  const general = (message: string): PlacedIssue => ({ fieldId: 'se-form', lang: null, label: t('surveys.editor.survey'), message });
  if (p[0] === 'title') return textAt(p.slice(1), fieldIds.title, (lang) => t('surveys.editor.title', { language: languageName(lang) }));
  if (p[0] === 'intro') return textAt(p.slice(1), fieldIds.intro, (lang) => t('surveys.editor.intro', { language: languageName(lang) }));
  if (p[0] === 'questionnaires') {
    const group = typeof p[1] === 'number' ? groups[p[1]] : undefined;
    if (!group) return general(issue.code === 'too_small' ? t('surveys.editor.error.noQuestions') : t('surveys.editor.error.other', { message: issue.message }));
    const at = { fieldId: fieldIds.group(group), lang: null, label: t('surveys.editor.questionnaire', { group: groupName(group) }) };
    const q = typeof p[3] === 'number' ? d.questions[group][p[3]] : undefined;
    if (!q) return { ...at, message: issue.code === 'too_big' ? t('surveys.editor.error.tooMany', { n: issue.limit ?? 200 }) : t('surveys.editor.error.other', { message: issue.message }) };
    const n = p[3] as number;
    const qLabel = `${groupName(group)} · ${t('surveys.editor.question', { n: n + 1 })}`;
    const rest = p.slice(4);
    if (rest[0] === 'text') return textAt(rest.slice(1), (lang) => fieldIds.questionText(q, lang), (lang) => `${qLabel} · ${t('surveys.editor.questionText', { language: languageName(lang) })}`);
    if (rest[0] === 'factor') return { fieldId: fieldIds.factor(q), lang: null, label: `${qLabel} · ${t('surveys.editor.factor')}`, message: t('surveys.editor.error.factor') };
    if (rest[0] === 'options') {
      const k = rest[1];
      const o = typeof k === 'number' ? q.options[k] : undefined;
      if (o && rest[2] === 'text') {
        return textAt(rest.slice(3), (lang) => fieldIds.option(q, o, lang), (lang) => `${qLabel} · ${t('surveys.editor.option', { n: (k as number) + 1, language: languageName(lang) })}`);
      }
      const message = issue.code === 'too_big' ? t('surveys.editor.error.tooMany', { n: issue.limit ?? 20 }) : q.options.length < 2 ? t('surveys.editor.error.twoOptions') : t('surveys.editor.error.other', { message: issue.message });
      return { fieldId: fieldIds.options(q), lang: null, label: `${qLabel} · ${t('surveys.editor.options')}`, message };
    }
    return { fieldId: fieldIds.kind(q), lang: null, label: qLabel, message: t('surveys.editor.error.other', { message: issue.message }) };
  }
  return general(t('surveys.editor.error.other', { message: issue.message }));
}

// --- this tab's copy -----------------------------------------------------------------------------

export function saveEditorDraft(d: EditorDraft): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(d));
  } catch {
    // Storage refused (quota, disabled): the draft lives as long as the page.
  }
}

const isTexts = (x: unknown): x is Texts => typeof x === 'object' && x !== null && Object.values(x).every((v) => typeof v === 'string');
const isQuestion = (x: unknown): x is QuestionDraft => {
  const q = x as QuestionDraft;
  return (
    typeof q === 'object' && q !== null && typeof q.key === 'string' && typeof q.id === 'string' && typeof q.factor === 'string' &&
    (KINDS as readonly string[]).includes(q.kind) && typeof q.required === 'boolean' && isTexts(q.text) &&
    Array.isArray(q.options) && q.options.every((o) => typeof o?.key === 'string' && typeof o.id === 'string' && isTexts(o.text))
  );
};

/** The stored draft if it is well-formed; anything else is dropped rather than half-restored. */
export function loadEditorDraft(): EditorDraft | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const d = JSON.parse(raw) as EditorDraft;
    if (d?.v !== 1 || (d.surveyId !== null && typeof d.surveyId !== 'string') || !LANGUAGES.some((l) => l.code === d.writtenIn)) return null;
    if (!isTexts(d.title) || !isTexts(d.intro) || typeof d.questions !== 'object' || d.questions === null) return null;
    if (!GROUPS.every((g) => Array.isArray(d.questions[g]) && d.questions[g].every(isQuestion))) return null;
    return d;
  } catch {
    return null;
  }
}

export function clearEditorDraft(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing was stored.
  }
}
