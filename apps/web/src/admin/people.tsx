import { useEffect, useState } from 'preact/hooks';
import { formatDate, t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { SelectField, TextField } from '../ui/field';
import { admin, issueFor, type Problem, type StaffRow, type UnitRow } from './admin-api';
import { Done, ProblemBox } from './problem-box';
import { RoleChecks, roleNames } from './role-checks';

const STATUS_LABEL = { invited: 'admin.people.status.invited', active: 'admin.people.status.active', disabled: 'admin.people.status.disabled' } as const;

/** People and invitations: invite, change roles and unit, disable or enable, reset the authenticator. */
export function PeopleScreen() {
  const [people, setPeople] = useState<StaffRow[] | null>(null);
  const [units, setUnits] = useState<UnitRow[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);

  const load = async () => {
    try {
      const [p, u] = await Promise.all([admin<{ items: StaffRow[] }>('GET', '/staff'), admin<{ items: UnitRow[] }>('GET', '/units')]);
      if (p.ok) setPeople(p.value.items);
      if (u.ok) setUnits(u.value.items);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => void load(), []);

  const act = async (run: () => ReturnType<typeof admin>, success: string) => {
    setProblem(null);
    setDone(null);
    setError(null);
    try {
      const outcome = await run();
      if (outcome.ok) {
        setDone(success);
        await load();
      } else setProblem(outcome.problem);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <InviteForm units={units} onInvited={async (email) => {
          setDone(t('admin.people.invited', { email }));
          await load();
        }} />
      <div class="panel">
        <h2>{t('admin.people.listTitle')}</h2>
        <Done text={done} />
        <ProblemBox problem={problem} />
        <ErrorBox error={error} />
        {people === null ? (
          <p>{t('admin.loading')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">{t('admin.people.listTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.people.name')}</th>
                  <th scope="col">{t('admin.people.email')}</th>
                  <th scope="col">{t('admin.people.roles')}</th>
                  <th scope="col">{t('admin.people.unit')}</th>
                  <th scope="col">{t('admin.people.status')}</th>
                  <th scope="col">{t('admin.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {people.map((p) => (
                  <tr key={p.id}>
                    <td dir="auto">{p.displayName}</td>
                    <td dir="ltr">{p.email}</td>
                    <td>{roleNames(p.roles)}</td>
                    <td dir="auto">{p.unitName ?? '—'}</td>
                    <td>
                      {t(STATUS_LABEL[p.status as keyof typeof STATUS_LABEL] ?? 'admin.people.status.invited')}
                      {p.activatedAt && <span class="muted"> · {formatDate(p.activatedAt)}</span>}
                    </td>
                    <td>
                      <div class="row-actions">
                        <button type="button" class="link" aria-label={`${t('admin.edit')}: ${p.displayName}`} onClick={() => setEditing(editing === p.id ? null : p.id)}>
                          {t('admin.edit')}
                        </button>
                        {p.status === 'active' && (
                          <button type="button" class="link" aria-label={`${t('admin.people.disable')}: ${p.displayName}`}
                            onClick={() => act(() => admin('POST', `/staff/${p.id}/disable`), t('admin.people.disabled', { name: p.displayName }))}>
                            {t('admin.people.disable')}
                          </button>
                        )}
                        {p.status === 'disabled' && (
                          <button type="button" class="link" aria-label={`${t('admin.people.enable')}: ${p.displayName}`}
                            onClick={() => act(() => admin('POST', `/staff/${p.id}/enable`), t('admin.people.enabled', { name: p.displayName }))}>
                            {t('admin.people.enable')}
                          </button>
                        )}
                        {p.status === 'active' && (
                          <button type="button" class="link" aria-label={`${t('admin.people.totpReset')}: ${p.displayName}`}
                            onClick={() => {
                              if (!confirm(t('admin.people.totpResetConfirm', { name: p.displayName }))) return;
                              void act(() => admin('POST', `/staff/${p.id}/totp-reset`), t('admin.people.totpResetDone', { name: p.displayName }));
                            }}>
                            {t('admin.people.totpReset')}
                          </button>
                        )}
                      </div>
                      {editing === p.id && (
                        <EditPerson person={p} units={units} onSaved={async () => {
                            setEditing(null);
                            setDone(t('admin.saved'));
                            await load();
                          }} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}

const unitOptions = (units: UnitRow[]) => units.map((u) => ({ value: u.id, label: u.name }));

function InviteForm({ units, onInvited }: { units: UnitRow[]; onInvited: (email: string) => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<string[]>(['investigator']);
  const [unitId, setUnitId] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    setError(null);
    setBusy(true);
    try {
      const outcome = await admin('POST', '/invites', { email: email.trim(), displayName: name.trim(), roles, unitId: unitId || null });
      if (!outcome.ok) return setProblem(outcome.problem);
      const sentTo = email.trim();
      setEmail('');
      setName('');
      await onInvited(sentTo);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="invite-title">
      <h2 id="invite-title">{t('admin.people.inviteTitle')}</h2>
      <p class="hint">{t('admin.people.inviteHint')}</p>
      <div class="inline-fields">
        <TextField id="invite-email" label={t('admin.people.email')} type="email" value={email} onValue={setEmail} required error={issueFor(problem, 'email')} />
        <TextField id="invite-name" label={t('admin.people.name')} value={name} onValue={setName} required error={issueFor(problem, 'displayName')} />
        <SelectField id="invite-unit" label={t('admin.people.unit')} value={unitId} onValue={setUnitId} options={unitOptions(units)} placeholder={t('admin.none')} error={issueFor(problem, 'unitId')} />
      </div>
      <RoleChecks id="invite-roles" legend={t('admin.people.roles')} value={roles} onValue={setRoles} error={issueFor(problem, 'roles')} />
      <ProblemBox problem={problem} />
      <ErrorBox error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t('admin.people.invite')}
        </button>
      </div>
    </form>
  );
}

function EditPerson({ person, units, onSaved }: { person: StaffRow; units: UnitRow[]; onSaved: () => Promise<void> }) {
  const [roles, setRoles] = useState(person.roles);
  const [unitId, setUnitId] = useState(person.unitId ?? '');
  const [name, setName] = useState(person.displayName);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [error, setError] = useState<unknown>(null);
  const id = `edit-${person.id.slice(0, 8)}`;

  const save = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    try {
      const outcome = await admin('PATCH', `/staff/${person.id}`, { roles, unitId: unitId || null, displayName: name.trim() });
      if (outcome.ok) await onSaved();
      else setProblem(outcome.problem);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <form onSubmit={save} noValidate aria-label={t('admin.people.editFor', { name: person.displayName })}>
      <TextField id={`${id}-name`} label={t('admin.people.name')} value={name} onValue={setName} error={issueFor(problem, 'displayName')} />
      <SelectField id={`${id}-unit`} label={t('admin.people.unit')} value={unitId} onValue={setUnitId} options={unitOptions(units)} placeholder={t('admin.none')} error={issueFor(problem, 'unitId')} />
      <RoleChecks id={`${id}-roles`} legend={t('admin.people.roles')} value={roles} onValue={setRoles} error={issueFor(problem, 'roles')} />
      <ProblemBox problem={problem} />
      <ErrorBox error={error} />
      <button type="submit" class="primary">
        {t('admin.save')}
      </button>
    </form>
  );
}
