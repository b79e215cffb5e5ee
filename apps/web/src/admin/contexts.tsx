import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { SelectField, TextField } from '../ui/field';
import { admin, issueFor, type ContextRow, type Problem, type StaffRow } from './admin-api';
import { ContextEditor } from './context-editor';
import { ProblemBox } from './problem-box';

/** Contexts (intake channels): the list, a new one, and the editor of the one chosen. */
export function ContextsScreen() {
  const [contexts, setContexts] = useState<ContextRow[] | null>(null);
  const [people, setPeople] = useState<StaffRow[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = async () => {
    try {
      const [c, p] = await Promise.all([admin<{ items: ContextRow[] }>('GET', '/contexts'), admin<{ items: StaffRow[] }>('GET', '/staff')]);
      if (c.ok) setContexts(c.value.items);
      if (p.ok) setPeople(p.value.items);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => void load(), []);
  const current = contexts?.find((c) => c.id === selected) ?? null;
  const replace = (updated: ContextRow) => setContexts((list) => (list ?? []).map((c) => (c.id === updated.id ? updated : c)));

  return (
    <>
      <div class="panel">
        <h2>{t('admin.contexts.listTitle')}</h2>
        <ErrorBox error={error} />
        {contexts === null ? (
          <p>{t('admin.loading')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">{t('admin.contexts.listTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.contexts.name')}</th>
                  <th scope="col">{t('admin.contexts.channel')}</th>
                  <th scope="col">{t('admin.contexts.open')}</th>
                  <th scope="col">{t('admin.contexts.deadlines')}</th>
                  <th scope="col">{t('admin.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {contexts.map((c) => (
                  <tr key={c.id}>
                    <td dir="auto">{c.name}</td>
                    <td>{t(c.channel === 'public' ? 'admin.contexts.public' : 'admin.contexts.internal')}</td>
                    <td>{t(c.active ? 'admin.yes' : 'admin.no')}</td>
                    <td>{t('admin.contexts.deadlineSummary', { ack: c.acknowledgeDays, feedback: c.feedbackDays, retention: c.retentionDays })}</td>
                    <td>
                      <button type="button" class="link" aria-label={`${t('admin.edit')}: ${c.name}`} aria-pressed={selected === c.id} onClick={() => setSelected(c.id)}>
                        {t('admin.edit')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {current && <ContextEditor key={current.id} context={current} people={people} onChange={replace} />}
      <NewContext onCreated={async (c) => {
          await load();
          setSelected(c.id);
        }} />
    </>
  );
}

function NewContext({ onCreated }: { onCreated: (c: ContextRow) => Promise<void> }) {
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [channel, setChannel] = useState('public');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    try {
      // Created closed: categories and recipients come next, then the admin opens it.
      const outcome = await admin<ContextRow>('POST', '/contexts', { slug: slug.trim(), name: name.trim(), channel, active: false });
      if (!outcome.ok) return setProblem(outcome.problem);
      setSlug('');
      setName('');
      await onCreated(outcome.value);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="new-context-title">
      <h2 id="new-context-title">{t('admin.contexts.createTitle')}</h2>
      <p class="hint">{t('admin.contexts.createHint')}</p>
      <div class="inline-fields">
        <TextField id="new-context-name" label={t('admin.contexts.name')} value={name} onValue={setName} required error={issueFor(problem, 'name')} />
        <TextField id="new-context-slug" label={t('admin.contexts.slug')} hint={t('admin.contexts.slugHint')} value={slug} onValue={setSlug} required error={issueFor(problem, 'slug')} />
        <SelectField id="new-context-channel" label={t('admin.contexts.channel')} value={channel} onValue={setChannel} required placeholder={t('admin.choose')}
          options={[{ value: 'public', label: t('admin.contexts.public') }, { value: 'internal', label: t('admin.contexts.internal') }]} error={issueFor(problem, 'channel')} />
      </div>
      <ProblemBox problem={problem} />
      <ErrorBox error={error} />
      <button type="submit" class="primary">
        {t('admin.contexts.create')}
      </button>
    </form>
  );
}
