import { useState } from 'preact/hooks';
import { formatDate, t } from '../i18n';
import { DataTable, type RowAction } from '../ui/data-table';
import { ErrorBox } from '../ui/error-box';
import { SelectField, TextField } from '../ui/field';
import { SubmitRow } from '../ui/submit-row';
import { admin, issueFor, type StaffRow, type UnitRow } from './admin-api';
import { Done, ProblemBox } from './problem-box';
import { RoleChecks, roleNames } from './role-checks';
import { useAdminCall, useAdminLists } from './use-admin';

const STATUS_LABEL = { invited: 'admin.people.status.invited', active: 'admin.people.status.active', disabled: 'admin.people.status.disabled' } as const;

/** People and invitations: invite, change roles and unit, disable or enable, reset the authenticator. */
export function PeopleScreen() {
  const { items: people, also: units, error: loadError, reload: load } = useAdminLists<StaffRow, UnitRow>('/staff', '/units');
  const action = useAdminCall();
  const [done, setDone] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);

  const act = (run: () => ReturnType<typeof admin>, success: string) => {
    setDone(null);
    return action.call(run, async () => {
      setDone(success);
      await load();
    });
  };

  const personActions = (p: StaffRow): RowAction[] => {
    const name = p.displayName;
    const list: RowAction[] = [{ label: t('admin.edit'), what: name, onClick: () => setEditing(editing === p.id ? null : p.id) }];
    if (p.status === 'active') {
      list.push({ label: t('admin.people.disable'), what: name, onClick: () => void act(() => admin('POST', `/staff/${p.id}/disable`), t('admin.people.disabled', { name })) });
    }
    if (p.status === 'disabled') {
      list.push({ label: t('admin.people.enable'), what: name, onClick: () => void act(() => admin('POST', `/staff/${p.id}/enable`), t('admin.people.enabled', { name })) });
    }
    if (p.status === 'active') {
      list.push({
        label: t('admin.people.totpReset'),
        what: name,
        onClick: () => {
          if (!confirm(t('admin.people.totpResetConfirm', { name }))) return;
          void act(() => admin('POST', `/staff/${p.id}/totp-reset`), t('admin.people.totpResetDone', { name }));
        },
      });
    }
    return list;
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
        <ProblemBox problem={action.problem} />
        <ErrorBox error={action.error ?? loadError} />
        {people === null ? (
          <p>{t('admin.loading')}</p>
        ) : (
          <DataTable
            caption={t('admin.people.listTitle')}
            rows={people}
            columns={[
              { header: t('admin.people.name'), dir: 'auto', cell: (p) => p.displayName },
              { header: t('admin.people.email'), dir: 'ltr', cell: (p) => p.email },
              { header: t('admin.people.roles'), cell: (p) => roleNames(p.roles) },
              { header: t('admin.people.unit'), dir: 'auto', cell: (p) => p.unitName ?? '—' },
              {
                header: t('admin.people.status'),
                cell: (p) => (
                  <>
                    {t(STATUS_LABEL[p.status as keyof typeof STATUS_LABEL] ?? 'admin.people.status.invited')}
                    {p.activatedAt && <span class="muted"> · {formatDate(p.activatedAt)}</span>}
                  </>
                ),
              },
            ]}
            actions={{ header: t('admin.actions'), of: personActions }}
            below={(p) =>
              editing === p.id && (
                <EditPerson person={p} units={units} onSaved={async () => {
                    setEditing(null);
                    setDone(t('admin.saved'));
                    await load();
                  }} />
              )
            }
          />
        )}
      </div>
    </>
  );
}

/** The fields the person forms show their issues next to. */
const PERSON_FIELDS = ['email', 'displayName', 'unitId', 'roles'];

const unitOptions = (units: UnitRow[]) => units.map((u) => ({ value: u.id, label: u.name }));

function InviteForm({ units, onInvited }: { units: UnitRow[]; onInvited: (email: string) => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<string[]>(['investigator']);
  const [unitId, setUnitId] = useState('');
  const [rolesMissing, setRolesMissing] = useState(false);
  const { problem, error, busy, call } = useAdminCall();

  const submit = (e: Event) => {
    e.preventDefault();
    const sentTo = email.trim();
    // Checked here, so the error is said once, next to the roles, in the reader's language.
    setRolesMissing(roles.length === 0);
    if (roles.length === 0) return document.getElementById('invite-roles-admin')?.focus();
    void call(
      () => admin('POST', '/invites', { email: sentTo, displayName: name.trim(), roles, unitId: unitId || null }),
      async () => {
        setEmail('');
        setName('');
        await onInvited(sentTo);
      },
    );
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
      <RoleChecks id="invite-roles" legend={t('admin.people.roles')} value={roles} onValue={setRoles} error={rolesMissing ? t('admin.people.rolesRequired') : issueFor(problem, 'roles')} />
      <ProblemBox problem={problem} atFields={PERSON_FIELDS} />
      <ErrorBox error={error} />
      <SubmitRow label={t('admin.people.invite')} disabled={busy} />
    </form>
  );
}

function EditPerson({ person, units, onSaved }: { person: StaffRow; units: UnitRow[]; onSaved: () => Promise<void> }) {
  const [roles, setRoles] = useState(person.roles);
  const [unitId, setUnitId] = useState(person.unitId ?? '');
  const [name, setName] = useState(person.displayName);
  const { problem, error, call } = useAdminCall();
  const id = `edit-${person.id.slice(0, 8)}`;

  const [rolesMissing, setRolesMissing] = useState(false);
  const save = (e: Event) => {
    e.preventDefault();
    setRolesMissing(roles.length === 0);
    if (roles.length === 0) return document.getElementById(`${id}-roles-admin`)?.focus();
    void call(() => admin('PATCH', `/staff/${person.id}`, { roles, unitId: unitId || null, displayName: name.trim() }), onSaved);
  };

  return (
    <form onSubmit={save} noValidate aria-label={t('admin.people.editFor', { name: person.displayName })}>
      <TextField id={`${id}-name`} label={t('admin.people.name')} value={name} onValue={setName} error={issueFor(problem, 'displayName')} />
      <SelectField id={`${id}-unit`} label={t('admin.people.unit')} value={unitId} onValue={setUnitId} options={unitOptions(units)} placeholder={t('admin.none')} error={issueFor(problem, 'unitId')} />
      <RoleChecks id={`${id}-roles`} legend={t('admin.people.roles')} value={roles} onValue={setRoles} error={rolesMissing ? t('admin.people.rolesRequired') : issueFor(problem, 'roles')} />
      <ProblemBox problem={problem} atFields={PERSON_FIELDS} />
      <ErrorBox error={error} />
      <button type="submit" class="primary">
        {t('admin.save')}
      </button>
    </form>
  );
}
