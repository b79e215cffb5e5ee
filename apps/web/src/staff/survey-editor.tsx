import { ARUSHA_FACTOR_IDS } from '@sauti/core/arusha';
import type { Ref } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { SurveyDetail } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { LANGUAGES, t, type Language, type MessageKey } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { Checkbox, SelectField, TextArea, TextField } from '../ui/field';
import { SubmitRow } from '../ui/submit-row';
import {
  clearEditorDraft,
  definitionOf,
  fieldIds,
  GROUPS,
  KINDS,
  newOption,
  newQuestion,
  placeIssues,
  saveEditorDraft,
  withKind,
  type EditorDraft,
  type Group,
  type Kind,
  type PlacedIssue,
  type QuestionDraft,
  type Texts,
} from './survey-editor-draft';
import './survey-editor.css';

const languageName = (lang: Language) => LANGUAGES.find((l) => l.code === lang)?.name ?? lang;
const isChoice = (k: Kind) => k === 'single' || k === 'multiple';

/**
 * A survey's questionnaires, from scratch or from a saved survey (issue 15): per respondent group,
 * questions with a kind, one Arusha factor, a required flag and options; every text per UI language,
 * one language shown at a time. Checked with the API's own schema (in the worker) before saving.
 */
export function SurveyEditor(props: { initial: EditorDraft; restored: boolean; heading: Ref<HTMLHeadingElement>; onDone: (saved: SurveyDetail | null) => void }) {
  const [draft, setDraftState] = useState<EditorDraft>(props.initial);
  const [lang, setLang] = useState<Language>(props.initial.writtenIn);
  const [issues, setIssues] = useState<PlacedIssue[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState('');
  const [focusNext, setFocusNext] = useState<string | null>(null);
  // A screen of its own: its heading takes the focus, as the staff area does on a change of address.
  useEffect(() => document.getElementById('se-heading')?.focus(), []);
  useEffect(() => {
    if (!focusNext) return;
    document.getElementById(focusNext)?.focus();
    setFocusNext(null);
  }, [focusNext]);

  const setDraft = (d: EditorDraft) => {
    setDraftState(d);
    saveEditorDraft(d);
  };
  const setQuestions = (g: Group, qs: QuestionDraft[]) => setDraft({ ...draft, questions: { ...draft.questions, [g]: qs } });
  const setQuestion = (g: Group, q: QuestionDraft) => setQuestions(g, draft.questions[g].map((x) => (x.key === q.key ? q : x)));
  const errorAt = (id: string) => issues.filter((i) => i.fieldId === id).map((i) => i.message).join(' ') || null;
  const textField = (id: string, label: string, texts: Texts, onTexts: (t: Texts) => void, rows = 2) => (
    <TextArea key={id} id={id} label={label} rows={rows} value={texts[lang] ?? ''} onValue={(v) => onTexts({ ...texts, [lang]: v })} error={errorAt(id)} required={lang === draft.writtenIn} />
  );

  const move = (g: Group, index: number, by: -1 | 1) => {
    const qs = [...draft.questions[g]];
    const [q] = qs.splice(index, 1);
    qs.splice(index + by, 0, q!);
    setQuestions(g, qs);
    setSaid(t('surveys.editor.moved', { n: index + by + 1 }));
    // The same button keeps the focus, unless the question reached the end it moved towards.
    const edge = index + by === 0 || index + by === qs.length - 1;
    setFocusNext(`se-q-${q!.key}-${edge ? (by < 0 ? 'down' : 'up') : by < 0 ? 'up' : 'down'}`);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setSaid('');
    const { definition, groups } = definitionOf(draft);
    setBusy(true);
    try {
      const found = placeIssues(draft, groups, await cryptoWorker().call('surveyCheckDefinition', { definition }));
      setIssues(found);
      if (found.length > 0) {
        setFocusNext('se-issues');
        return;
      }
      const saved = draft.surveyId
        ? await cryptoWorker().call('surveyUpdate', { surveyId: draft.surveyId, definition })
        : await cryptoWorker().call('surveyCreate', { definition });
      clearEditorDraft();
      props.onDone(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const discard = () => {
    clearEditorDraft();
    props.onDone(null);
  };
  const goToIssue = (i: PlacedIssue) => {
    if (i.lang && i.lang !== lang) setLang(i.lang);
    setFocusNext(i.fieldId);
  };

  return (
    <section class="survey-editor boxed-groups" aria-labelledby="se-heading">
      <h1 id="se-heading" ref={props.heading} tabIndex={-1}>{t(draft.surveyId ? 'surveys.editor.editHeading' : 'surveys.editor.newHeading')}</h1>
      {props.restored && <p class="notice" role="status">{t('surveys.editor.restored')}</p>}
      {draft.surveyId && <p class="notice">{t('surveys.editor.editNote')}</p>}
      <form id="se-form" tabIndex={-1} onSubmit={save} noValidate>
        {issues.length > 0 && (
          <div id="se-issues" class="error-summary" role="alert" tabIndex={-1}>
            <h2>{t('surveys.editor.errorsTitle')}</h2>
            <ul>
              {issues.map((i, n) => (
                <li key={`${n}-${i.fieldId}`}>
                  <a href={`#${i.fieldId}`} onClick={(ev) => { ev.preventDefault(); goToIssue(i); }}>
                    {t('surveys.editor.errorIn', { field: i.label, message: i.message })}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        )}
        <fieldset>
          <legend>{t('surveys.editor.languages')}</legend>
          <p class="hint">{t('surveys.editor.languageHint')}</p>
          <div class="inline-fields">
            <SelectField
              id="se-written-in"
              label={t('surveys.editor.writtenIn')}
              value={draft.writtenIn}
              onValue={(v) => v && setDraft({ ...draft, writtenIn: v as Language })}
              options={LANGUAGES.map((l) => ({ value: l.code, label: l.name }))}
              placeholder={t('admin.choose')}
            />
            <SelectField
              id="se-editing"
              label={t('surveys.editor.editing')}
              value={lang}
              onValue={(v) => v && setLang(v as Language)}
              options={LANGUAGES.map((l) => ({ value: l.code, label: l.name }))}
              placeholder={t('admin.choose')}
            />
          </div>
        </fieldset>
        <div lang={lang} dir={LANGUAGES.find((l) => l.code === lang)?.dir}>
          {textField(fieldIds.title(lang), t('surveys.editor.title', { language: languageName(lang) }), draft.title, (title) => setDraft({ ...draft, title }), 1)}
          <TextArea
            key={fieldIds.intro(lang)}
            id={fieldIds.intro(lang)}
            label={t('surveys.editor.intro', { language: languageName(lang) })}
            rows={3}
            value={draft.intro[lang] ?? ''}
            onValue={(v) => setDraft({ ...draft, intro: { ...draft.intro, [lang]: v } })}
            error={errorAt(fieldIds.intro(lang))}
          />
        </div>
        {GROUPS.map((g) => {
          const qs = draft.questions[g];
          const groupLabel = t(`survey.group.${g}` as MessageKey);
          return (
            <fieldset key={g} id={fieldIds.group(g)} tabIndex={-1} class="survey-edit-group">
              <legend>{t('surveys.editor.questionnaire', { group: groupLabel })}</legend>
              {errorAt(fieldIds.group(g)) && <p class="field-error">{errorAt(fieldIds.group(g))}</p>}
              {qs.length === 0 && <p class="muted">{t('surveys.editor.noQuestions')}</p>}
              <ol class="survey-edit-questions">
                {qs.map((q, i) => (
                  <li key={q.key}>
                    <fieldset class="survey-edit-question">
                      <legend>{t('surveys.editor.question', { n: i + 1 })}</legend>
                      <div lang={lang} dir={LANGUAGES.find((l) => l.code === lang)?.dir}>
                        {textField(fieldIds.questionText(q, lang), t('surveys.editor.questionText', { language: languageName(lang) }), q.text, (text) => setQuestion(g, { ...q, text }))}
                      </div>
                      <div class="inline-fields">
                        <SelectField
                          id={fieldIds.kind(q)}
                          label={t('surveys.editor.kind')}
                          value={q.kind}
                          onValue={(v) => v && setQuestion(g, withKind(q, v as Kind))}
                          options={KINDS.map((k) => ({ value: k, label: t(`surveys.editor.kind.${k}` as MessageKey) }))}
                          placeholder={t('admin.choose')}
                          error={errorAt(fieldIds.kind(q))}
                        />
                        <SelectField
                          id={fieldIds.factor(q)}
                          label={t('surveys.editor.factor')}
                          value={q.factor}
                          onValue={(factor) => setQuestion(g, { ...q, factor })}
                          options={ARUSHA_FACTOR_IDS.map((f) => ({ value: f, label: t(`surveys.factor.${f}` as MessageKey) }))}
                          placeholder={t('admin.choose')}
                          error={errorAt(fieldIds.factor(q))}
                          required
                        />
                      </div>
                      {q.kind === 'text' ? (
                        <p class="hint">{t('surveys.editor.textNote')}</p>
                      ) : (
                        <Checkbox id={`se-q-${q.key}-required`} checked={q.required} onChecked={(required) => setQuestion(g, { ...q, required })}>
                          {t('surveys.editor.required')}
                        </Checkbox>
                      )}
                      {isChoice(q.kind) && (
                        <fieldset id={fieldIds.options(q)} tabIndex={-1} class="survey-edit-options" aria-describedby={errorAt(fieldIds.options(q)) ? `${fieldIds.options(q)}-error` : undefined}>
                          <legend>{t('surveys.editor.options')}</legend>
                          {errorAt(fieldIds.options(q)) && <p class="field-error" id={`${fieldIds.options(q)}-error`}>{errorAt(fieldIds.options(q))}</p>}
                          {q.options.map((o, k) => (
                            <div key={o.key} class="survey-edit-option" lang={lang} dir={LANGUAGES.find((l) => l.code === lang)?.dir}>
                              <TextField
                                key={fieldIds.option(q, o, lang)}
                                id={fieldIds.option(q, o, lang)}
                                label={t('surveys.editor.option', { n: k + 1, language: languageName(lang) })}
                                value={o.text[lang] ?? ''}
                                onValue={(v) => setQuestion(g, { ...q, options: q.options.map((x) => (x.key === o.key ? { ...o, text: { ...o.text, [lang]: v } } : x)) })}
                                error={errorAt(fieldIds.option(q, o, lang))}
                                required={lang === draft.writtenIn}
                                spellcheck
                              />
                              <button type="button" class="secondary" onClick={() => { setQuestion(g, { ...q, options: q.options.filter((x) => x.key !== o.key) }); setFocusNext(`se-q-${q.key}-add-option`); }}>
                                {t('surveys.editor.removeOption', { n: k + 1 })}
                              </button>
                            </div>
                          ))}
                          <button type="button" class="secondary" id={`se-q-${q.key}-add-option`} disabled={q.options.length >= 20}
                            onClick={() => { const o = newOption(q); setQuestion(g, { ...q, options: [...q.options, o] }); setFocusNext(fieldIds.option(q, o, lang)); }}>
                            {t('surveys.editor.addOption')}
                          </button>
                        </fieldset>
                      )}
                      <div class="actions">
                        {i > 0 && <button type="button" class="secondary" id={`se-q-${q.key}-up`} onClick={() => move(g, i, -1)}>{t('surveys.editor.moveUp', { n: i + 1 })}</button>}
                        {i < qs.length - 1 && <button type="button" class="secondary" id={`se-q-${q.key}-down`} onClick={() => move(g, i, 1)}>{t('surveys.editor.moveDown', { n: i + 1 })}</button>}
                        <button type="button" class="secondary" onClick={() => { setQuestions(g, qs.filter((x) => x.key !== q.key)); setSaid(t('surveys.editor.removed', { n: i + 1 })); setFocusNext(`se-add-${g}`); }}>
                          {t('surveys.editor.removeQuestion', { n: i + 1 })}
                        </button>
                      </div>
                    </fieldset>
                  </li>
                ))}
              </ol>
              <button type="button" class="secondary" id={`se-add-${g}`} disabled={qs.length >= 200}
                onClick={() => { const q = newQuestion(draft, g); setQuestions(g, [...qs, q]); setFocusNext(fieldIds.questionText(q, lang)); }}>
                {t('surveys.editor.addQuestion', { group: groupLabel })}
              </button>
            </fieldset>
          );
        })}
        <p class="visually-hidden" role="status">{said}</p>
        <ErrorBox error={error} />
        <SubmitRow label={t('surveys.editor.save')} busy={busy ? <p class="notice" role="status">{t('surveys.editor.saving')}</p> : undefined}>
          <button type="button" class="secondary" onClick={discard}>{t('surveys.editor.discard')}</button>
        </SubmitRow>
      </form>
    </section>
  );
}
