import { useState } from 'preact/hooks';
import { language, t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { Checkbox, SelectField } from '../ui/field';
import { SubmitRow } from '../ui/submit-row';
import { admin, issueFor, type ContextRow } from './admin-api';
import { PRIORITY_LABEL } from './labels';
import { ProblemBox } from './problem-box';
import { useAdminCall } from './use-admin';

type Field = 'contextId' | 'channel' | 'categoryId' | 'regionId' | 'urgent';
type Step =
  | { kind: 'mismatch'; rule: string; field: Field; value: string | boolean | null; wants: string | boolean | string[] | null }
  | { kind: 'match'; rule: string; isDefault: boolean }
  | { kind: 'no_match' }
  | { kind: 'eligible'; count: number }
  | { kind: 'escalate' };

type DryRunAnswer = {
  rule: { id: string; name: string } | null; unit: { id: string; name: string | null } | null; priority: string;
  acknowledgeDays: number; feedbackDays: number; eligibleRecipientIds: string[]; steps: Step[];
};

const FIELD_LABEL = {
  contextId: 'admin.routing.context', channel: 'admin.routing.channel', categoryId: 'admin.routing.category',
  regionId: 'admin.routing.region', urgent: 'admin.routing.urgent',
} as const;

/** A condition's value as people name it: the context, category or office by its name, a channel or yes/no in words. */
function shown(field: Field, v: string | boolean | string[] | null, contexts: ContextRow[]): string {
  if (v === null) return t('admin.dryRun.nothing');
  if (Array.isArray(v)) return new Intl.ListFormat(language(), { type: 'disjunction' }).format(v.map((x) => shown(field, x, contexts)));
  if (typeof v === 'boolean') return t(v ? 'admin.dryRun.yes' : 'admin.dryRun.no');
  const named = (list: { id: string; label: string }[]) => list.find((x) => x.id === v)?.label;
  switch (field) {
    case 'contextId':
      return contexts.find((c) => c.id === v)?.name ?? v;
    case 'channel':
      return v === 'public' || v === 'internal' ? t(v === 'public' ? 'channel.public' : 'channel.internal') : v;
    case 'categoryId':
      return contexts.map((c) => named(c.categories)).find(Boolean) ?? v;
    case 'regionId':
      return contexts.map((c) => named(c.regions)).find(Boolean) ?? v;
    default:
      return v;
  }
}

/** The server's reasoning, step by step, in the reader's language, with names instead of ids. */
function stepText(step: Step, contexts: ContextRow[]): string {
  switch (step.kind) {
    case 'mismatch':
      return t('admin.dryRun.stepMismatch', {
        rule: step.rule, field: t(FIELD_LABEL[step.field]), value: shown(step.field, step.value, contexts), wants: shown(step.field, step.wants, contexts),
      });
    case 'match':
      return t(step.isDefault ? 'admin.dryRun.stepMatchDefault' : 'admin.dryRun.stepMatch', { rule: step.rule });
    case 'no_match':
      return t('admin.dryRun.stepNone');
    case 'eligible':
      return t('admin.dryRun.stepEligible', { count: step.count });
    case 'escalate':
      return t('admin.dryRun.stepEscalate');
  }
}

/** "Where would this go, and why": the saved rules applied to a combination, nothing stored. */
export function DryRun({ contexts }: { contexts: ContextRow[] }) {
  const [contextId, setContextId] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [regionId, setRegionId] = useState('');
  const [urgent, setUrgent] = useState(false);
  const [answer, setAnswer] = useState<DryRunAnswer | null>(null);
  const { problem, error, call } = useAdminCall();
  const context = contexts.find((c) => c.id === contextId);

  const run = (e: Event) => {
    e.preventDefault();
    setAnswer(null);
    void call(() => admin<DryRunAnswer>('POST', '/routing-rules/dry-run', { contextId, categoryId, regionId: regionId || null, urgent }), setAnswer);
  };

  return (
    <form class="panel" onSubmit={run} noValidate aria-labelledby="dry-run-title">
      <h2 id="dry-run-title">{t('admin.dryRun.title')}</h2>
      <p class="hint">{t('admin.dryRun.hint')}</p>
      <div class="inline-fields">
        <SelectField id="dry-context" label={t('admin.routing.context')} value={contextId} placeholder={t('admin.choose')} required
          onValue={(v) => {
            setContextId(v);
            setCategoryId('');
            setRegionId('');
          }} options={contexts.map((c) => ({ value: c.id, label: c.name }))} error={issueFor(problem, 'contextId')} />
        <SelectField id="dry-category" label={t('admin.routing.category')} value={categoryId} placeholder={t('admin.choose')} required onValue={setCategoryId}
          options={(context?.categories ?? []).map((c) => ({ value: c.id, label: c.label }))} error={issueFor(problem, 'categoryId')} />
        <SelectField id="dry-region" label={t('admin.routing.region')} value={regionId} placeholder={t('admin.none')} onValue={setRegionId}
          options={(context?.regions ?? []).map((c) => ({ value: c.id, label: c.label }))} error={issueFor(problem, 'regionId')} />
      </div>
      <Checkbox id="dry-urgent" checked={urgent} onChecked={setUrgent}>
        {t('admin.dryRun.urgent')}
      </Checkbox>
      <SubmitRow label={t('admin.dryRun.run')} />
      <ProblemBox problem={problem} />
      <ErrorBox error={error} />
      {answer && (
        <div class="notice" role="status" aria-live="polite">
          <h3>{t('admin.dryRun.resultTitle')}</h3>
          <dl class="facts">
            <dt>{t('admin.dryRun.rule')}</dt>
            <dd dir="auto">{answer.rule?.name ?? t('admin.dryRun.noRule')}</dd>
            <dt>{t('admin.routing.unit')}</dt>
            <dd dir="auto">{answer.unit?.name ?? t('admin.routing.allRecipients')}</dd>
            <dt>{t('admin.routing.priority')}</dt>
            <dd>{PRIORITY_LABEL[answer.priority] ? t(PRIORITY_LABEL[answer.priority]!) : answer.priority}</dd>
            <dt>{t('admin.dryRun.deadlines')}</dt>
            <dd>{t('admin.dryRun.deadlineValues', { ack: answer.acknowledgeDays, feedback: answer.feedbackDays })}</dd>
            <dt>{t('admin.dryRun.eligible')}</dt>
            <dd>{answer.eligibleRecipientIds.length}</dd>
          </dl>
          <h4>{t('admin.dryRun.why')}</h4>
          <ol class="explanation">
            {answer.steps.map((step, i) => (
              <li key={i} dir="auto">
                {stepText(step, contexts)}
              </li>
            ))}
          </ol>
        </div>
      )}
    </form>
  );
}
