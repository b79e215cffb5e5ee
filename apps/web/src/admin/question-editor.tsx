import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { Checkbox, SelectField, TextField } from '../ui/field';
import { admin, issueFor, type ContextRow } from './admin-api';
import { Done, ListIssues, ProblemBox } from './problem-box';
import { useAdminCall } from './use-admin';

/** A question as edited; `key` only keeps each row's inputs stable while the list is reordered. */
type Draft = { key: string; id: string; label: string; kind: string; required: boolean; help: string };

function draftsOf(questions: unknown[]): Draft[] {
  return questions.map((raw) => {
    const q = (raw ?? {}) as { id?: unknown; label?: unknown; kind?: unknown; required?: unknown; help?: unknown };
    return {
      key: crypto.randomUUID(),
      id: typeof q.id === 'string' ? q.id : '',
      label: typeof q.label === 'string' ? q.label : '',
      kind: q.kind === 'textarea' ? 'textarea' : 'text',
      required: q.required === true,
      help: typeof q.help === 'string' ? q.help : '',
    };
  });
}

/** A context's intake questions, edited as a list and saved whole (PATCH `questions`); the server's issues show at each field. */
export function QuestionEditor({ context, base, onChange }: { context: ContextRow; base: string; onChange: (c: ContextRow) => void }) {
  const [drafts, setDrafts] = useState<Draft[]>(() => draftsOf(context.questions));
  const { problem, error, call, clear } = useAdminCall();
  const [done, setDone] = useState<string | null>(null);
  const [focusKey, setFocusKey] = useState<string | null>(null);

  // A new question's id field takes the focus, so a keyboard user carries on where it appeared.
  useEffect(() => {
    if (!focusKey) return;
    const index = drafts.findIndex((d) => d.key === focusKey);
    if (index >= 0) document.getElementById(`question-${index}-id`)?.focus();
    setFocusKey(null);
  }, [focusKey, drafts]);

  // Issues name positions (questions.2.label): any change of order makes the old ones point at the wrong row.
  const restructure = (next: Draft[]) => {
    clear();
    setDone(null);
    setDrafts(next);
  };
  const update = (i: number, change: Partial<Draft>) => setDrafts((ds) => ds.map((d, j) => (j === i ? { ...d, ...change } : d)));
  const move = (i: number, by: number) => {
    const next = [...drafts];
    const [moved] = next.splice(i, 1);
    next.splice(i + by, 0, moved!);
    restructure(next);
  };
  const add = () => {
    const fresh: Draft = { key: crypto.randomUUID(), id: '', label: '', kind: 'text', required: false, help: '' };
    restructure([...drafts, fresh]);
    setFocusKey(fresh.key);
  };
  const save = async () => {
    setDone(null);
    const questions = drafts.map((d) => ({ id: d.id.trim(), label: d.label.trim(), kind: d.kind, required: d.required, ...(d.help.trim() ? { help: d.help.trim() } : {}) }));
    await call(
      () => admin<ContextRow>('PATCH', base, { questions }),
      (updated) => {
        onChange(updated);
        setDrafts(draftsOf(updated.questions));
        setDone(t('admin.questions.saved', { n: updated.questions.length }));
      },
    );
  };

  return (
    <div class="panel">
      <h3 id="questions-title">{t('admin.questions.title')}</h3>
      <p class="hint">{t('admin.questions.hint')}</p>
      {drafts.length === 0 && <p>{t('admin.questions.none')}</p>}
      <ListIssues problem={problem} field="questions" />
      {drafts.length > 0 && (
        <ol class="item-list" aria-labelledby="questions-title">
          {drafts.map((d, i) => {
            const at = (field?: string) => issueFor(problem, field ? `questions.${i}.${field}` : `questions.${i}`);
            const anyIssue = problem?.issues.some((x) => x.field === `questions.${i}` || x.field.startsWith(`questions.${i}.`));
            const title = t('admin.questions.itemTitle', { n: i + 1, label: d.label.trim() || d.id.trim() || '…' });
            const id = (f: string) => `question-${i}-${f}`;
            return (
              <li key={d.key} class={`rule ${anyIssue ? 'has-issues' : ''}`}>
                <fieldset>
                  <legend dir="auto">{title}</legend>
                  {at() && (
                    <p class="field-error" dir="auto">
                      {at()}
                    </p>
                  )}
                  <div class="inline-fields">
                    <TextField id={id('id')} label={t('admin.questions.id')} hint={t('admin.questions.idHint')} value={d.id} onValue={(v) => update(i, { id: v })} required error={at('id')} />
                    <TextField id={id('label')} label={t('admin.questions.label')} value={d.label} onValue={(v) => update(i, { label: v })} required error={at('label')} />
                    <TextField id={id('help')} label={t('admin.questions.help')} value={d.help} onValue={(v) => update(i, { help: v })} error={at('help')} />
                    <SelectField id={id('kind')} label={t('admin.questions.kind')} value={d.kind} onValue={(v) => update(i, { kind: v })} placeholder={t('admin.choose')}
                      options={[{ value: 'text', label: t('admin.questions.kindText') }, { value: 'textarea', label: t('admin.questions.kindTextarea') }]} error={at('kind')} />
                  </div>
                  <Checkbox id={id('required')} checked={d.required} onChecked={(v) => update(i, { required: v })} hint={at('required') ?? undefined}>
                    {t('admin.questions.required')}
                  </Checkbox>
                  <div class="row-actions">
                    <button type="button" class="secondary" disabled={i === 0} aria-label={`${t('admin.list.up')}: ${title}`} onClick={() => move(i, -1)}>
                      {t('admin.list.up')}
                    </button>
                    <button type="button" class="secondary" disabled={i === drafts.length - 1} aria-label={`${t('admin.list.down')}: ${title}`} onClick={() => move(i, 1)}>
                      {t('admin.list.down')}
                    </button>
                    <button type="button" class="secondary" aria-label={`${t('admin.list.remove')}: ${title}`} onClick={() => restructure(drafts.filter((_, j) => j !== i))}>
                      {t('admin.list.remove')}
                    </button>
                  </div>
                </fieldset>
              </li>
            );
          })}
        </ol>
      )}
      <ProblemBox problem={problem} />
      <ErrorBox error={error} />
      <Done text={done} />
      <div class="actions">
        <button type="button" class="secondary" onClick={add}>
          {t('admin.questions.add')}
        </button>
        <button type="button" class="primary" onClick={() => void save()}>
          {t('admin.questions.save')}
        </button>
      </div>
    </div>
  );
}
