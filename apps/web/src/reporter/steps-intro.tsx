import type { IntakeContext } from '@sauti/core';
import { t } from '../i18n';
import { Checkbox, SelectField, TextArea } from '../ui/field';
import { questionsOf, type Draft, type FieldError } from './draft';
import { Op, opText } from './operator-text';

export type StepProps = { draft: Draft; update: (patch: Partial<Draft>) => void; context: IntakeContext; errors: FieldError[] };

const errorFor = (errors: FieldError[], id: string): string | null => errors.find((e) => e.id === id)?.message ?? null;

export function StepChannel({ draft, update, contexts, errors }: Omit<StepProps, 'context'> & { contexts: IntakeContext[] }) {
  const error = errorFor(errors, 'channel-0');
  return (
    <fieldset class="choices" aria-describedby={error ? 'channel-error' : undefined}>
      <legend>{t('channel.legend')}</legend>
      {error && (
        <p class="field-error" id="channel-error">
          {error}
        </p>
      )}
      {contexts.map((c, i) => (
        <div class={`choice ${draft.contextId === c.id ? 'selected' : ''}`} key={c.id}>
          <input
            type="radio"
            name="channel"
            id={`channel-${i}`}
            value={c.id}
            checked={draft.contextId === c.id}
            aria-describedby={`channel-${i}-desc`}
            onChange={() => update({ contextId: c.id, category: '', region: '', answers: {}, exclude: [], identityMode: 'anonymous' })}
          />
          <label for={`channel-${i}`}>
            <span class="choice-title">
              <Op value={opText(c, 'name', c.name)} />
            </span>
            <span class={`badge ${c.channel}`}>{c.channel === 'internal' ? t('channel.internal') : t('channel.public')}</span>
          </label>
          <p class="hint" id={`channel-${i}-desc`}>
            {c.description ? <Op value={opText(c, 'description', c.description)} /> : c.channel === 'internal' ? t('channel.internalHint') : t('channel.publicHint')}
          </p>
        </div>
      ))}
    </fieldset>
  );
}

export function StepDetails({ draft, update, context, errors }: StepProps) {
  return (
    <div>
      <SelectField
        id="category"
        label={t('details.category')}
        required
        value={draft.category}
        onValue={(category) => update({ category })}
        options={context.categories.map((c) => ({ value: c.id, label: opText(context, `category.${c.id}`, c.label).text }))}
        placeholder={t('details.choose')}
        error={errorFor(errors, 'category')}
      />
      {context.regions.length > 0 && (
        <SelectField
          id="region"
          label={t('details.region')}
          hint={t('details.regionHint')}
          value={draft.region}
          onValue={(region) => update({ region })}
          options={context.regions.map((r) => ({ value: r.id, label: opText(context, `region.${r.id}`, r.label).text }))}
          placeholder={t('details.notSay')}
        />
      )}
      {questionsOf(context).map((q) => {
        const label = opText(context, `question.${q.id}.label`, q.label);
        const help = q.help ? opText(context, `question.${q.id}.help`, q.help) : null;
        return (
        <TextArea
          key={q.id}
          id={`q-${q.id}`}
          label={label.text}
          labelLang={label.lang}
          hint={help?.text}
          hintLang={help?.lang}
          required={q.required}
          rows={q.kind === 'textarea' ? 6 : 2}
          value={draft.answers[q.id] ?? ''}
          onValue={(v) => update({ answers: { ...draft.answers, [q.id]: v } })}
          error={errorFor(errors, `q-${q.id}`)}
        />
        );
      })}
      <TextArea
        id="free-text"
        label={t('details.freeText')}
        hint={t('details.freeTextHint')}
        rows={6}
        value={draft.text}
        onValue={(text) => update({ text })}
        error={errorFor(errors, 'free-text')}
      />
      <Checkbox id="urgent" checked={draft.urgent} onChecked={(urgent) => update({ urgent })} hint={t('details.urgentHint')}>
        {t('details.urgent')}
      </Checkbox>
    </div>
  );
}

export function StepExclusions({ draft, update, context, errors }: StepProps) {
  const error = errorFor(errors, 'exclusions');
  const full = draft.exclude.length >= context.maxExclusions;
  const toggle = (id: string, on: boolean) => update({ exclude: on ? [...draft.exclude, id] : draft.exclude.filter((x) => x !== id) });
  if (context.maxExclusions === 0) return <p>{t('exclusions.notAllowed')}</p>;
  return (
    <fieldset id="exclusions" tabIndex={-1} aria-describedby="exclusions-hint">
      <legend>{t('exclusions.legend')}</legend>
      <p class="hint" id="exclusions-hint">
        {t('exclusions.hint', { n: context.maxExclusions })}
      </p>
      {error && <p class="field-error">{error}</p>}
      {context.recipients.map((p, i) => (
        <Checkbox
          key={p.id}
          id={`exclude-${i}`}
          checked={draft.exclude.includes(p.id)}
          disabled={full && !draft.exclude.includes(p.id)}
          onChecked={(on) => toggle(p.id, on)}
        >
          <span dir="auto">{p.displayName}</span>
          {p.unit && (
            <span class="muted" dir="auto">
              {' '}
              — {p.unit}
            </span>
          )}
        </Checkbox>
      ))}
      <p class="hint" role="status">
        {t('exclusions.count', { n: draft.exclude.length, max: context.maxExclusions })}
      </p>
    </fieldset>
  );
}
