import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { admin, type ContextRow, type StaffRow } from './admin-api';
import { Done, ProblemBox } from './problem-box';
import { useAdminCall } from './use-admin';

/** Recipients (who gets a key wrap of each new report) or custodians (identity wraps) of a context. */
export function PeoplePicker(props: {
  kind: 'recipients' | 'custodians'; title: string; hint: string; chosen: string[]; candidates: StaffRow[]; base: string; onChange: (c: ContextRow) => void;
}) {
  const [chosen, setChosen] = useState(props.chosen);
  const { problem, error, call } = useAdminCall();
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => setChosen(props.chosen), [props.chosen.join()]);
  // Someone chosen earlier who no longer qualifies is still listed, so that removing them is possible.
  const listed = [...props.candidates, ...props.chosen.filter((id) => !props.candidates.some((c) => c.id === id)).map((id) => ({ id, displayName: id } as StaffRow))];

  const save = (e: Event) => {
    e.preventDefault();
    setDone(null);
    void call(
      () => admin<ContextRow>('PUT', `${props.base}/${props.kind}`, { userIds: chosen }),
      (updated) => {
        props.onChange(updated);
        setDone(t('admin.saved'));
      },
    );
  };

  return (
    <form class="panel" onSubmit={save} noValidate>
      <fieldset>
        <legend>{props.title}</legend>
        <p class="hint">{props.hint}</p>
        {listed.length === 0 && <p>{t('admin.contexts.nobodyEligible')}</p>}
        {listed.map((p) => (
          <div class="check" key={p.id}>
            <input type="checkbox" id={`${props.kind}-${p.id}`} checked={chosen.includes(p.id)}
              onChange={(e) => setChosen(e.currentTarget.checked ? [...chosen, p.id] : chosen.filter((x) => x !== p.id))} />
            <label for={`${props.kind}-${p.id}`}>
              <span dir="auto">{p.displayName}</span>
              {p.unitName && <span class="muted"> · {p.unitName}</span>}
            </label>
          </div>
        ))}
      </fieldset>
      <ProblemBox problem={problem} />
      <ErrorBox error={error} />
      <Done text={done} />
      <button type="submit" class="primary">
        {t('admin.contexts.savePeople', { list: props.title })}
      </button>
    </form>
  );
}
