import { useState } from 'preact/hooks';
import type { PublicIteration, SurveyQuestion, SurveyResponseBody } from '../crypto/protocol';
import { language, t, type MessageKey } from '../i18n';
import { SubmitRow } from '../ui/submit-row';
import { pick } from './texts';

type Answer = number | string | string[];
const SCALE = [1, 2, 3, 4, 5] as const;

/**
 * One respondent's questionnaire: the group first, then the questions of that group in the reader's
 * language. Required answers are checked here before anything is sealed; the server cannot check them.
 */
export function QuestionnaireForm(props: { iteration: PublicIteration; busy?: string | null; submitLabel: string; onAnswers: (body: SurveyResponseBody) => void }) {
  const { definition } = props.iteration;
  const groups = definition.questionnaires.map((q) => q.group);
  const [group, setGroup] = useState(groups.length === 1 ? groups[0]! : null);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [missing, setMissing] = useState<string[]>([]);
  const questionnaire = definition.questionnaires.find((q) => q.group === group);
  const set = (id: string, a: Answer | null) => {
    const next = { ...answers };
    if (a === null || (Array.isArray(a) && a.length === 0) || a === '') delete next[id];
    else next[id] = a;
    setAnswers(next);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    if (!questionnaire || !group) return;
    const lacking = questionnaire.questions.filter((q) => q.required && answers[q.id] === undefined);
    setMissing(lacking.map((q) => q.id));
    if (lacking.length > 0) {
      document.getElementById(`q-${lacking[0]!.id}`)?.focus();
      return;
    }
    props.onAnswers({
      v: 1, group, language: language(),
      answers: questionnaire.questions.filter((q) => answers[q.id] !== undefined).map((q) => ({ q: q.id, a: answers[q.id]! })),
    });
  };
  return (
    <form class="survey-form boxed-groups" onSubmit={submit} noValidate>
      {groups.length > 1 && (
        <fieldset class="survey-group">
          <legend>{t('survey.groupLegend')}</legend>
          {groups.map((g) => (
            <label key={g} class="survey-option">
              <input type="radio" name="survey-group" value={g} checked={group === g} onChange={() => { setGroup(g); setAnswers({}); setMissing([]); }} />
              <span>{t(`survey.group.${g}` as MessageKey)}</span>
            </label>
          ))}
        </fieldset>
      )}
      {questionnaire && (
        <>
          <h2 class="survey-questions-title">{t('survey.questionsHeading')}</h2>
          <ol class="survey-questions">
            {questionnaire.questions.map((q) => (
              <li key={q.id}>
                <Question q={q} value={answers[q.id]} onValue={(a) => set(q.id, a)} missing={missing.includes(q.id)} />
              </li>
            ))}
          </ol>
          {missing.length > 0 && (
            <p class="notice error" role="alert">
              {t('survey.missing', { question: missing.map((id) => pick(questionnaire.questions.find((q) => q.id === id)!.text)).join(' · ') })}
            </p>
          )}
          <SubmitRow label={props.submitLabel} busy={props.busy ? <p class="notice" role="status">{props.busy}</p> : undefined} />
        </>
      )}
    </form>
  );
}

function Question({ q, value, onValue, missing }: { q: SurveyQuestion; value: Answer | undefined; onValue: (a: Answer | null) => void; missing: boolean }) {
  const id = `q-${q.id}`;
  const mark = <span class="muted"> ({t(q.required ? 'survey.required' : 'survey.optional')})</span>;
  if (q.kind === 'text') {
    return (
      <div class={`field ${missing ? 'invalid' : ''}`}>
        <label for={id}>
          <span dir="auto">{pick(q.text)}</span>
          {mark}
        </label>
        <p class="hint warning-text" id={`${id}-hint`}>
          {t('survey.textWarning')}
        </p>
        <textarea id={id} rows={4} maxLength={2000} aria-describedby={`${id}-hint`} value={typeof value === 'string' ? value : ''} onInput={(e) => onValue(e.currentTarget.value)} />
      </div>
    );
  }
  const options: { id: string; label: string }[] =
    q.kind === 'agreement-5' ? SCALE.map((n) => ({ id: String(n), label: t(`survey.scale.${n}` as MessageKey) })) : (q.options ?? []).map((o) => ({ id: o.id, label: pick(o.text) }));
  const multiple = q.kind === 'multiple';
  const selected = (o: string) => (multiple ? Array.isArray(value) && value.includes(o) : q.kind === 'agreement-5' ? value === Number(o) : value === o);
  return (
    <fieldset id={id} tabIndex={-1} class={`survey-question ${q.kind === 'agreement-5' ? 'scale' : ''} ${missing ? 'invalid' : ''}`} aria-invalid={missing ? 'true' : undefined}>
      <legend>
        <span dir="auto">{pick(q.text)}</span>
        {mark}
      </legend>
      {options.map((o) => (
        <label key={o.id} class="survey-option">
          <input
            type={multiple ? 'checkbox' : 'radio'}
            name={id}
            value={o.id}
            checked={selected(o.id)}
            onChange={(e) => {
              if (!multiple) return onValue(q.kind === 'agreement-5' ? Number(o.id) : o.id);
              const now = Array.isArray(value) ? value : [];
              onValue(e.currentTarget.checked ? [...now, o.id] : now.filter((x) => x !== o.id));
            }}
          />
          <span dir="auto">{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
