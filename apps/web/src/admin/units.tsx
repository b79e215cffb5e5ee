import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { SelectField, TextField } from '../ui/field';
import { admin, issueFor, type StaffRow, type UnitRow } from './admin-api';
import { Done, ProblemBox } from './problem-box';
import { useAdminCall, useAdminLists } from './use-admin';

/** Units (teams): create, rename, choose the supervisor (someone holding the supervisor role). */
export function UnitsScreen() {
  const { items: units, also: people, error, reload } = useAdminLists<UnitRow, StaffRow>('/units', '/staff');
  const [done, setDone] = useState<string | null>(null);
  const supervisors = people.filter((p) => p.roles.includes('supervisor') && p.status !== 'disabled').map((p) => ({ value: p.id, label: p.displayName }));
  const nameOf = (id: string | null) => people.find((p) => p.id === id)?.displayName ?? '—';
  const saved = async (text: string) => {
    setDone(text);
    await reload();
  };

  return (
    <>
      <UnitForm id="new-unit" title={t('admin.units.createTitle')} supervisors={supervisors} submitLabel={t('admin.units.create')}
        onSubmit={(body) => admin('POST', '/units', body)} onDone={() => saved(t('admin.units.created'))} />
      <div class="panel">
        <h2>{t('admin.units.listTitle')}</h2>
        <Done text={done} />
        <ErrorBox error={error} />
        {units === null ? (
          <p>{t('admin.loading')}</p>
        ) : units.length === 0 ? (
          <p>{t('admin.units.none')}</p>
        ) : (
          units.map((u) => (
            <details key={u.id}>
              <summary>
                <span dir="auto">{u.name}</span> <span class="muted">· {t('admin.units.summary', { supervisor: nameOf(u.supervisorId), members: u.members })}</span>
              </summary>
              <UnitForm id={`unit-${u.id.slice(0, 8)}`} title={t('admin.units.editTitle', { name: u.name })} unit={u} supervisors={supervisors}
                submitLabel={t('admin.save')} onSubmit={(body) => admin('PATCH', `/units/${u.id}`, body)} onDone={() => saved(t('admin.saved'))} />
            </details>
          ))
        )}
      </div>
    </>
  );
}

function UnitForm(props: {
  id: string; title: string; unit?: UnitRow; supervisors: { value: string; label: string }[]; submitLabel: string;
  onSubmit: (body: { name: string; supervisorId: string | null }) => ReturnType<typeof admin>; onDone: () => Promise<void>;
}) {
  const [name, setName] = useState(props.unit?.name ?? '');
  const [supervisorId, setSupervisorId] = useState(props.unit?.supervisorId ?? '');
  const { problem, error, call } = useAdminCall();

  const submit = (e: Event) => {
    e.preventDefault();
    void call(
      () => props.onSubmit({ name: name.trim(), supervisorId: supervisorId || null }),
      async () => {
        if (!props.unit) setName('');
        await props.onDone();
      },
    );
  };

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby={`${props.id}-title`}>
      {props.unit ? <h3 id={`${props.id}-title`}>{props.title}</h3> : <h2 id={`${props.id}-title`}>{props.title}</h2>}
      <div class="inline-fields">
        <TextField id={`${props.id}-name`} label={t('admin.units.name')} value={name} onValue={setName} required error={issueFor(problem, 'name')} />
        <SelectField id={`${props.id}-supervisor`} label={t('admin.units.supervisor')} value={supervisorId} onValue={setSupervisorId} options={props.supervisors}
          placeholder={t('admin.none')} error={issueFor(problem, 'supervisorId')} />
      </div>
      <ProblemBox problem={problem} />
      <ErrorBox error={error} />
      <button type="submit" class="primary">
        {props.submitLabel}
      </button>
    </form>
  );
}
