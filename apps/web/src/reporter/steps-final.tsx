import type { ComponentChildren } from 'preact';
import type { IntakeContext } from '@sauti/core';
import { formatBytes, formatList, t, type MessageKey } from '../i18n';
import { TextField } from '../ui/field';
import { questionsOf, type Draft } from './draft';
import { Op, opText } from './operator-text';
import type { StepProps } from './steps-intro';

const errorFor = (errors: { id: string; message: string }[], id: string): string | null => errors.find((e) => e.id === id)?.message ?? null;

export function StepAttachments({ draft, update }: StepProps) {
  const add = (list: FileList | null) => {
    if (!list) return;
    const known = new Set(draft.files.map((f) => `${f.name}/${f.size}/${f.lastModified}`));
    update({ files: [...draft.files, ...Array.from(list).filter((f) => !known.has(`${f.name}/${f.size}/${f.lastModified}`))] });
  };
  return (
    <div>
      <p>{t('attachments.intro')}</p>
      <p class="notice warning">{t('attachments.metadata')}</p>
      <div class="field">
        <label for="attachments">{t('attachments.add')}</label>
        <input
          id="attachments"
          type="file"
          multiple
          onChange={(e) => {
            add(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
      </div>
      {draft.files.length > 0 ? (
        <ul class="file-list" aria-label={t('attachments.chosen')}>
          {draft.files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              <bdi>{f.name}</bdi> <span class="muted">— {formatBytes(f.size)}</span>
              <button
                type="button"
                class="link"
                aria-label={t('attachments.removeNamed', { name: f.name })}
                onClick={() => update({ files: draft.files.filter((_, j) => j !== i) })}
              >
                {t('action.remove')}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('attachments.none')}</p>
      )}
    </div>
  );
}

export function StepIdentity({ draft, update, errors }: StepProps) {
  return (
    <div>
      <fieldset class="choices">
        <legend>{t('identity.legend')}</legend>
        {(['anonymous', 'confidential'] as const).map((mode) => (
          <div class={`choice ${draft.identityMode === mode ? 'selected' : ''}`} key={mode}>
            <input
              type="radio"
              name="identity"
              id={`identity-${mode}`}
              checked={draft.identityMode === mode}
              aria-describedby={`identity-${mode}-desc`}
              onChange={() => update({ identityMode: mode })}
            />
            <label for={`identity-${mode}`}>
              <span class="choice-title">{t(mode === 'anonymous' ? 'identity.anonymous' : 'identity.confidential')}</span>
            </label>
            <p class="hint" id={`identity-${mode}-desc`}>
              {t(mode === 'anonymous' ? 'identity.anonymousHint' : 'identity.confidentialHint')}
            </p>
          </div>
        ))}
      </fieldset>
      {draft.identityMode === 'confidential' && (
        <div class="panel">
          <p>{t('identity.custodian')}</p>
          <TextField id="identity-name" label={t('identity.name')} required value={draft.name} onValue={(name) => update({ name })} error={errorFor(errors, 'identity-name')} autoComplete="off" />
          <TextField
            id="identity-contact"
            label={t('identity.contact')}
            hint={t('identity.contactHint')}
            required
            value={draft.contact}
            onValue={(contact) => update({ contact })}
            error={errorFor(errors, 'identity-contact')}
          />
        </div>
      )}
    </div>
  );
}

type StepName = 'channel' | 'details' | 'exclusions' | 'attachments' | 'identity';

function Row({ label, children, onEdit, step, labelLang }: { label: string; children: ComponentChildren; onEdit: (s: StepName) => void; step: StepName; labelLang?: string }) {
  return (
    <div class="review-row">
      <dt>{labelLang === undefined ? label : <bdi lang={labelLang}>{label}</bdi>}</dt>
      <dd>
        <div class="review-value">{children}</div>
        <button type="button" class="link" aria-label={t('review.changeNamed', { what: label })} onClick={() => onEdit(step)}>
          {t('review.change')}
        </button>
      </dd>
    </div>
  );
}

export function StepReview({ draft, context, onEdit }: { draft: Draft; context: IntakeContext; onEdit: (s: StepName) => void }) {
  const categoryItem = context.categories.find((c) => c.id === draft.category);
  const category = opText(context, `category.${draft.category}`, categoryItem?.label ?? '');
  const regionItem = context.regions.find((r) => r.id === draft.region);
  const region = regionItem ? opText(context, `region.${regionItem.id}`, regionItem.label) : null;
  const excluded = context.recipients.filter((p) => draft.exclude.includes(p.id));
  const answered = questionsOf(context).filter((q) => (draft.answers[q.id] ?? '').trim());
  const channelKey: MessageKey = context.channel === 'internal' ? 'channel.internal' : 'channel.public';
  return (
    <div>
      <p>{t('review.intro')}</p>
      <dl class="review">
        <Row label={t('review.channel')} step="channel" onEdit={onEdit}>
          <Op value={opText(context, 'name', context.name)} /> ({t(channelKey)})
        </Row>
        <Row label={t('details.category')} step="details" onEdit={onEdit}>
          <Op value={category} />
        </Row>
        <Row label={t('review.region')} step="details" onEdit={onEdit}>
          {region ? <Op value={region} /> : t('review.notGiven')}
        </Row>
        {answered.map((q) => {
          const label = opText(context, `question.${q.id}.label`, q.label);
          return (
          <Row key={q.id} label={label.text} labelLang={label.lang} step="details" onEdit={onEdit}>
            <span class="prewrap" dir="auto">
              {draft.answers[q.id]}
            </span>
          </Row>
          );
        })}
        <Row label={t('details.freeText')} step="details" onEdit={onEdit}>
          <span class="prewrap" dir="auto">
            {draft.text.trim() || t('review.notGiven')}
          </span>
        </Row>
        <Row label={t('review.urgent')} step="details" onEdit={onEdit}>
          {draft.urgent ? t('review.yes') : t('review.no')}
        </Row>
        <Row label={t('review.excluded')} step="exclusions" onEdit={onEdit}>
          {excluded.length === 0 ? t('review.nobody') : <bdi>{formatList(excluded.map((p) => `${p.displayName}${p.unit ? ` — ${p.unit}` : ''}`))}</bdi>}
        </Row>
        <Row label={t('review.attachments')} step="attachments" onEdit={onEdit}>
          {draft.files.length === 0 ? t('review.none') : <bdi>{formatList(draft.files.map((f) => f.name))}</bdi>}
        </Row>
        {context.channel === 'internal' && (
          <Row label={t('review.identity')} step="identity" onEdit={onEdit}>
            {draft.identityMode === 'confidential' ? t('review.identityGiven', { name: draft.name }) : t('identity.anonymous')}
          </Row>
        )}
      </dl>
      <p class="notice info">{t('review.whatHappens', { n: context.recipients.length - draft.exclude.length })}</p>
    </div>
  );
}

export type { StepName };
