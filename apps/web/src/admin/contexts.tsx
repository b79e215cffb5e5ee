import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { DataTable } from '../ui/data-table';
import { ErrorBox } from '../ui/error-box';
import { SelectField, TextField } from '../ui/field';
import { admin, issueFor, type ContextRow, type StaffRow } from './admin-api';
import { ContextEditor } from './context-editor';
import { ProblemBox } from './problem-box';
import { useAdminCall, useAdminLists } from './use-admin';

/** Contexts (intake channels): the list, a new one, and the editor of the one chosen. */
export function ContextsScreen() {
  const { items: contexts, setItems: setContexts, also: people, error, reload } = useAdminLists<ContextRow, StaffRow>('/contexts', '/staff');
  const [selected, setSelected] = useState<string | null>(null);
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
          <DataTable
            caption={t('admin.contexts.listTitle')}
            rows={contexts}
            columns={[
              { header: t('admin.contexts.name'), dir: 'auto', cell: (c) => c.name },
              { header: t('admin.contexts.channel'), cell: (c) => t(c.channel === 'public' ? 'admin.contexts.public' : 'admin.contexts.internal') },
              { header: t('admin.contexts.open'), cell: (c) => t(c.active ? 'admin.yes' : 'admin.no') },
              {
                header: t('admin.contexts.deadlines'),
                cell: (c) => t('admin.contexts.deadlineSummary', { ack: c.acknowledgeDays, feedback: c.feedbackDays, retention: c.retentionDays }),
              },
            ]}
            actions={{ header: t('admin.actions'), of: (c) => [{ label: t('admin.edit'), what: c.name, pressed: selected === c.id, onClick: () => setSelected(c.id) }] }}
          />
        )}
      </div>
      {current && <ContextEditor key={current.id} context={current} people={people} onChange={replace} />}
      <NewContext onCreated={async (c) => {
          await reload();
          setSelected(c.id);
        }} />
    </>
  );
}

function NewContext({ onCreated }: { onCreated: (c: ContextRow) => Promise<void> }) {
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [channel, setChannel] = useState('public');
  const { problem, error, call } = useAdminCall();

  const submit = (e: Event) => {
    e.preventDefault();
    // Created closed: categories and recipients come next, then the admin opens it.
    void call(
      () => admin<ContextRow>('POST', '/contexts', { slug: slug.trim(), name: name.trim(), channel, active: false }),
      async (created) => {
        setSlug('');
        setName('');
        await onCreated(created);
      },
    );
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
