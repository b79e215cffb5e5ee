import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { Checkbox, SelectField, TextArea, TextField } from '../ui/field';
import { SubmitRow } from '../ui/submit-row';
import { admin, issueFor, type ContextRow, type StaffRow } from './admin-api';
import { ListEditor } from './list-editor';
import { NumberField } from '../ui/number-field';
import { PeoplePicker } from './people-picker';
import { Done, ProblemBox } from './problem-box';
import { useAdminCall } from './use-admin';
import { QuestionEditor } from './question-editor';
import { ContextTranslationsEditor } from './context-translations';

type Form = {
  name: string; description: string; channel: string; active: boolean; position: string; maxExclusions: string;
  acknowledgeDays: string; feedbackDays: string; retentionDays: string; reminderDaysBefore: string;
};

const formOf = (c: ContextRow): Form => ({
  name: c.name, description: c.description, channel: c.channel, active: c.active, position: String(c.position), maxExclusions: String(c.maxExclusions),
  acknowledgeDays: String(c.acknowledgeDays), feedbackDays: String(c.feedbackDays), retentionDays: String(c.retentionDays), reminderDaysBefore: String(c.reminderDaysBefore),
});

const NUMBERS = ['position', 'maxExclusions', 'acknowledgeDays', 'feedbackDays', 'retentionDays', 'reminderDaysBefore'] as const;

/** One context: its settings, deadlines and retention, categories, regions, recipients and custodians. */
export function ContextEditor({ context, people, onChange }: { context: ContextRow; people: StaffRow[]; onChange: (c: ContextRow) => void }) {
  const [form, setForm] = useState<Form>(formOf(context));
  const { problem, error, call, clear } = useAdminCall();
  const [done, setDone] = useState<string | null>(null);
  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => setForm({ ...form, [k]: v });
  const base = `/contexts/${context.id}`;

  const save = async (e: Event) => {
    e.preventDefault();
    clear();
    setDone(null);
    // Only what changed is sent, so the audit log names exactly the fields an admin touched.
    const before = formOf(context);
    const change: Record<string, unknown> = {};
    for (const k of Object.keys(form) as (keyof Form)[]) {
      if (form[k] === before[k]) continue;
      change[k] = (NUMBERS as readonly string[]).includes(k) ? (String(form[k]).trim() === '' ? null : Number(form[k])) : k === 'name' ? String(form[k]).trim() : form[k];
    }
    if (Object.keys(change).length === 0) return setDone(t('admin.nothingChanged'));
    await call(
      () => admin<ContextRow>('PATCH', base, change),
      (updated) => {
        onChange(updated);
        setForm(formOf(updated));
        setDone(t('admin.saved'));
      },
    );
  };
  const id = (k: string) => `ctx-${k}`;

  return (
    <section class="panel" aria-labelledby="ctx-title">
      <h2 id="ctx-title">
        {t('admin.contexts.editTitle')} <span dir="auto">{context.name}</span>
      </h2>
      <form onSubmit={save} noValidate>
        <TextField id={id('name')} label={t('admin.contexts.name')} value={form.name} onValue={set('name')} required error={issueFor(problem, 'name')} />
        <TextArea id={id('description')} label={t('admin.contexts.description')} rows={2} value={form.description} onValue={set('description')} error={issueFor(problem, 'description')} />
        <div class="inline-fields">
          <SelectField id={id('channel')} label={t('admin.contexts.channel')} value={form.channel} onValue={set('channel')} placeholder={t('admin.choose')}
            options={[{ value: 'public', label: t('admin.contexts.public') }, { value: 'internal', label: t('admin.contexts.internal') }]} error={issueFor(problem, 'channel')} />
          <NumberField id={id('position')} label={t('admin.contexts.position')} min={0} max={10000} value={form.position} onValue={set('position')} error={issueFor(problem, 'position')} />
          <NumberField id={id('maxExclusions')} label={t('admin.contexts.maxExclusions')} min={0} max={20} value={form.maxExclusions} onValue={set('maxExclusions')} error={issueFor(problem, 'maxExclusions')} />
        </div>
        <Checkbox id={id('active')} checked={form.active} onChecked={set('active')} hint={issueFor(problem, 'active') ?? t('admin.contexts.openHint')}>
          {t('admin.contexts.openLabel')}
        </Checkbox>
        <fieldset>
          <legend>{t('admin.contexts.deadlinesTitle')}</legend>
          <p class="hint">{t('admin.contexts.deadlinesHint')}</p>
          <div class="inline-fields">
            <NumberField id={id('acknowledgeDays')} label={t('admin.contexts.acknowledgeDays')} hint={t('admin.contexts.acknowledgeHint')} min={1} max={7}
              value={form.acknowledgeDays} onValue={set('acknowledgeDays')} error={issueFor(problem, 'acknowledgeDays')} />
            <NumberField id={id('feedbackDays')} label={t('admin.contexts.feedbackDays')} hint={t('admin.contexts.feedbackHint')} min={1} max={183}
              value={form.feedbackDays} onValue={set('feedbackDays')} error={issueFor(problem, 'feedbackDays')} />
            <NumberField id={id('reminderDaysBefore')} label={t('admin.contexts.reminderDays')} hint={t('admin.contexts.reminderHint')} min={0} max={30}
              value={form.reminderDaysBefore} onValue={set('reminderDaysBefore')} error={issueFor(problem, 'reminderDaysBefore')} />
            <NumberField id={id('retentionDays')} label={t('admin.contexts.retentionDays')} hint={t('admin.contexts.retentionHint')} min={1} max={3650}
              value={form.retentionDays} onValue={set('retentionDays')} error={issueFor(problem, 'retentionDays')} />
          </div>
        </fieldset>
        <ProblemBox problem={problem} />
        <ErrorBox error={error} />
        <Done text={done} />
        <SubmitRow label={t('admin.contexts.save')} />
      </form>
      <ListEditor list="categories" title={t('admin.contexts.categories')} items={context.categories} base={base} onChange={onChange} />
      <ListEditor list="regions" title={t('admin.contexts.regions')} items={context.regions} base={base} onChange={onChange} />
      <QuestionEditor context={context} base={base} onChange={onChange} />
      <ContextTranslationsEditor key={context.id} context={context} onChange={onChange} />
      <PeoplePicker kind="recipients" title={t('admin.contexts.recipients')} hint={t('admin.contexts.recipientsHint')} chosen={context.recipients.map((p) => p.id)}
        candidates={people.filter((p) => p.status === 'active' && p.roles.some((r) => r === 'investigator' || r === 'supervisor'))} base={base} onChange={onChange} />
      <PeoplePicker kind="custodians" title={t('admin.contexts.custodians')} hint={t('admin.contexts.custodiansHint')} chosen={context.custodians.map((p) => p.id)}
        candidates={people.filter((p) => p.status === 'active' && p.roles.includes('custodian'))} base={base} onChange={onChange} />
    </section>
  );
}
