import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { SelectField, TextField } from '../ui/field';
import { admin, issueFor, type Problem, type StaffRow, type UnitRow } from './admin-api';
import { Done, ProblemBox } from './problem-box';

/** Units (teams): create, rename, choose the supervisor (someone holding the supervisor role). */
export function UnitsScreen() {
  const [units, setUnits] = useState<UnitRow[] | null>(null);
  const [people, setPeople] = useState<StaffRow[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = async () => {
    try {
      const [u, p] = await Promise.all([admin<{ items: UnitRow[] }>('GET', '/units'), admin<{ items: StaffRow[] }>('GET', '/staff')]);
      if (u.ok) setUnits(u.value.items);
      if (p.ok) setPeople(p.value.items);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => void load(), []);
  const supervisors = people.filter((p) => p.roles.includes('supervisor') && p.status !== 'disabled').map((p) => ({ value: p.id, label: p.displayName }));
  const nameOf = (id: string | null) => people.find((p) => p.id === id)?.displayName ?? '—';
  const saved = async (text: string) => {
    setDone(text);
    await load();
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
  const [problem, setProblem] = useState<Problem | null>(null);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    setError(null);
    try {
      const outcome = await props.onSubmit({ name: name.trim(), supervisorId: supervisorId || null });
      if (!outcome.ok) return setProblem(outcome.problem);
      if (!props.unit) setName('');
      await props.onDone();
    } catch (err) {
      setError(err);
    }
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
